package nl.sleutelbos.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The PEP in the HTTP chain, over real HTTP with real tokens: after the bearer gate, every route
 * is decided by the default policy set, denies are 403 problems, and attributes the subject may
 * not see are removed from the answer.
 */
class EnforcementApiTest extends ApiTestBase {
  private static final String METER = """
      {"id":"%s","type":"Device","town":{"type":"Property","value":"Ede"},
       "activePower":{"type":"Property","value":1.5},"connection":{"type":"Property","value":"%s"}}""";

  /** A daily billing consent for supplier:eneco: id, connection. */
  private static final String CONSENT = """
      {"id":"%s","type":"Consent","connection":{"type":"Property","value":"%s"},
       "grantee":{"type":"Property","value":"supplier:eneco"},"purpose":{"type":"Property","value":"billing"},
       "granularity":{"type":"Property","value":"P1D"},"validFrom":{"type":"Property","value":"2026-01-01T00:00:00Z"},
       "revoked":{"type":"Property","value":false}}""";

  private String meter(String connection) {
    String id = newId("Device");
    Api.Response created = api.post(V1 + "/entities", METER.formatted(id, connection));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return id;
  }

  @Test
  void theAdministratorSeesAMeterWithoutItsPersonalReadings() {
    String id = meter("EAN1");
    Api.Response got = api.get(V1 + "/entities/" + id + "?options=keyValues");
    assertThat(got.status()).isEqualTo(200);
    assertThat(got.json().path("town").asText()).isEqualTo("Ede");
    assertThat(got.json().has("activePower")).isFalse();
    Api.Response listed = api.get(V1 + "/entities?type=Device&options=keyValues&limit=1000");
    assertThat(listed.json().findValues("activePower")).isEmpty();
    assertThat(listed.json().findValues("town")).isNotEmpty();
  }

  @Test
  void noOneFiltersOnAnAttributeTheyMayNotSee() {
    meter("EAN1");
    // Which meters match would tell the hidden readings, even with the attribute removed from the answer.
    Api.Response byReading = api.get(V1 + "/entities?type=Device&q=activePower%3E1");
    assertThat(byReading.status()).as(byReading.toString()).isEqualTo(403);
    assertThat(byReading.errorType()).isEqualTo("Forbidden");
    assertThat(byReading.json().path("detail").asText()).contains("activePower");
    Api.Response batch = api.post(V1 + "/entityOperations/query",
        "{\"type\":\"Query\",\"entities\":[{\"type\":\"Device\"}],\"q\":\"town==\\\"Ede\\\"|activePower>1\"}");
    assertThat(batch.status()).as(batch.toString()).isEqualTo(403);

    Api.Response byTown = api.get(V1 + "/entities?type=Device&q=town==%22Ede%22&options=keyValues");
    assertThat(byTown.status()).as(byTown.toString()).isEqualTo(200);
    assertThat(byTown.json().findValues("town")).isNotEmpty();
  }

  @Test
  void aVendorGetsNothing() {
    String id = meter("EAN1");
    Api vendor = as("[\"operator-admin\"]", "vendor:acme");
    Api.Response denied = vendor.get(V1 + "/entities/" + id);
    assertThat(denied.status()).isEqualTo(403);
    assertThat(denied.errorType()).isEqualTo("Forbidden");
    assertThat(vendor.get(V1 + "/entities?type=Device").status()).isEqualTo(403);
    assertThat(vendor.get(V1 + "/types").status()).isEqualTo(403);
    assertThat(vendor.get("/sleutelbos/v1/policies").status()).isEqualTo(403);
  }

  @Test
  void aHouseholdReadsItsOwnMeterOnly() {
    String own = meter("EAN7");
    String other = meter("EAN8");
    Api household = as("[]", "household:EAN7");
    Api.Response mine = household.get(V1 + "/entities/" + own + "?options=keyValues");
    assertThat(mine.status()).as(mine.toString()).isEqualTo(200);
    assertThat(mine.json().path("activePower").asDouble()).isEqualTo(1.5);
    assertThat(household.get(V1 + "/entities/" + other).status()).isEqualTo(403);
    assertThat(household.delete(V1 + "/entities/" + own).status()).isEqualTo(403);
  }

  @Test
  void anAuditorReadsButNeverWrites() {
    String id = meter("EAN1");
    Api auditor = as("[\"auditor\"]", "auditor:kpmg");
    Api.Response got = auditor.get(V1 + "/entities/" + id + "?options=keyValues");
    assertThat(got.status()).isEqualTo(200);
    assertThat(got.json().has("activePower")).isFalse();
    assertThat(auditor.patch(V1 + "/entities/" + id + "/attrs", "{\"town\":{\"type\":\"Property\",\"value\":\"X\"}}")
        .status()).isEqualTo(403);
    assertThat(auditor.get("/sleutelbos/v1/policies").status()).isEqualTo(200);
  }

  @Test
  void aSupplierWithoutConsentIsDenied() {
    String id = meter("EAN1");
    Api supplier = as("[]", "supplier:eneco");
    assertThat(supplier.get(V1 + "/entities/" + id, "Sleutelbos-Purpose", "billing").status()).isEqualTo(403);
  }

  @Test
  void aHouseholdCreatesAndRevokesItsOwnConsentButNoOneElses() {
    Api household = as("[]", "household:EAN5");
    String own = newId("Consent");
    Api.Response created = household.post(V1 + "/entities", CONSENT.formatted(own, "EAN5"));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    assertThat(household.post(V1 + "/entities", CONSENT.formatted(newId("Consent"), "EAN6")).status()).isEqualTo(403);
    Api.Response revoked = household.patch(V1 + "/entities/" + own + "/attrs",
        "{\"revoked\":{\"type\":\"Property\",\"value\":true}}");
    assertThat(revoked.status()).as(revoked.toString()).isEqualTo(204);
    // The consent is personal data: the auditor does not see it.
    assertThat(as("[\"auditor\"]", "auditor:kpmg").get(V1 + "/entities/" + own).status()).isEqualTo(403);
  }

  @Test
  void aBatchWriteIsPermittedOnlyIfEachOfItsEntitiesWouldBe() {
    Api household = as("[]", "household:EAN8");
    String own = newId("Consent");
    Api.Response mine = household.post(V1 + "/entityOperations/upsert", "[" + CONSENT.formatted(own, "EAN8") + "]");
    assertThat(mine.status()).as(mine.toString()).isIn(200, 201, 204);

    // One foreign entity in the batch refuses all of it, and nothing of it is written.
    String mixed = newId("Consent");
    Api.Response both = household.post(V1 + "/entityOperations/upsert",
        "[" + CONSENT.formatted(mixed, "EAN8") + "," + CONSENT.formatted(newId("Consent"), "EAN9") + "]");
    assertThat(both.status()).as(both.toString()).isEqualTo(403);
    assertThat(api.get(V1 + "/entities/" + mixed).status()).isIn(403, 404);

    // Claiming another connection's existing entity in the body does not take it over.
    String theirs = meter("EAN9");
    Api.Response takeover = household.post(V1 + "/entityOperations/upsert", """
        [{"id":"%s","type":"Device","connection":{"type":"Property","value":"EAN8"}}]""".formatted(theirs));
    assertThat(takeover.status()).as(takeover.toString()).isEqualTo(403);
    Api.Response delete = household.post(V1 + "/entityOperations/delete", "[\"" + theirs + "\"]");
    assertThat(delete.status()).as(delete.toString()).isEqualTo(403);
  }
}

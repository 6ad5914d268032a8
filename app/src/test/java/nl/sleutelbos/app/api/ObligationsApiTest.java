package nl.sleutelbos.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Obligations that only an aggregating route can fulfil, over real HTTP with real tokens: a
 * supplier reads a household's history only with its consent, only as aggregates at the consented
 * granularity, and a revocation takes effect on the very next request.
 */
class ObligationsApiTest extends ApiTestBase {
  static final String T = V1 + "/temporal/entities";
  private static final String BILLING = "billing";
  private static final String DAILY = "?options=aggregatedValues&aggrMethods=sum,totalCount&aggrPeriodDuration=P1D";

  /** A meter of the connection, with two UTC days of quarter-hour readings of 1.0 from 2026-01-01. */
  private String meterWithTwoDays(String connection) {
    String id = newId("Device");
    Api.Response created = api.post(V1 + "/entities", """
        {"id":"%s","type":"Device","connection":{"type":"Property","value":"%s"}}""".formatted(id, connection));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    StringBuilder readings = new StringBuilder();
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    for (int i = 0; i < 192; i++, t = t.plus(Duration.ofMinutes(15))) {
      readings.append(i == 0 ? "" : ",").append("{\"type\":\"Property\",\"value\":1.0,\"observedAt\":\"")
          .append(t).append("\"}");
    }
    Api.Response history = api.post(T, "{\"id\":\"" + id + "\",\"type\":\"Device\",\"power\":[" + readings + "]}");
    assertThat(history.status()).as(history.toString()).isIn(201, 204); // 204: the create above began its history
    return id;
  }

  private String consent(Api household, String connection, String granularity) {
    String id = newId("Consent");
    Api.Response created = household.post(V1 + "/entities", """
        {"id":"%s","type":"Consent","connection":{"type":"Property","value":"%s"},
         "grantee":{"type":"Property","value":"supplier:eneco"},"purpose":{"type":"Property","value":"billing"},
         "granularity":{"type":"Property","value":"%s"},"validFrom":{"type":"Property","value":"2025-01-01T00:00:00Z"},
         "revoked":{"type":"Property","value":false}}""".formatted(id, connection, granularity));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return id;
  }

  private static Api.Response read(Api who, String path) {
    return who.get(path, "Sleutelbos-Purpose", BILLING);
  }

  @Test
  void aSupplierWithADailyConsentGetsDailyValuesOnlyUntilTheHouseholdRevokesIt() {
    String meter = meterWithTwoDays("EAN21");
    Api supplier = as("[]", "supplier:eneco");
    Api household = as("[]", "household:EAN21");
    String twoDays = "&timerel=between&timeAt=2026-01-01T00:00:00Z&endTimeAt=2026-01-03T00:00:00Z";

    Api.Response before = read(supplier, T + "/" + meter + DAILY + twoDays);
    assertThat(before.status()).as(before.toString()).isEqualTo(403);
    assertThat(before.errorType()).isEqualTo("Forbidden");

    String consent = consent(household, "EAN21", "P1D");
    Api.Response daily = read(supplier, T + "/" + meter + DAILY + twoDays);
    assertThat(daily.status()).as(daily.toString()).isEqualTo(200);
    assertThat(daily.json().path("power").path("sum").toString()).isEqualTo(
        "[[96.0,\"2026-01-01T00:00:00Z\",\"2026-01-02T00:00:00Z\"],[96.0,\"2026-01-02T00:00:00Z\",\"2026-01-03T00:00:00Z\"]]");

    // Never a quarter-hour value: not as instances, not as finer periods, not as a day that starts anywhere.
    for (String raw : new String[] {"", "?options=temporalValues", "?lastN=1",
        "?options=aggregatedValues&aggrMethods=sum&aggrPeriodDuration=PT15M",
        "?options=aggregatedValues&aggrMethods=sum&aggrPeriodDuration=PT36H",
        "?options=aggregatedValues&aggrMethods=sum"}) {
      Api.Response refused = read(supplier, T + "/" + meter + raw);
      assertThat(refused.status()).as(raw + " " + refused).isEqualTo(403);
      assertThat(refused.body()).contains("P1D");
    }
    JsonNode shifted = read(supplier, T + "/" + meter + DAILY
        + "&timerel=between&timeAt=2026-01-01T00:15:00Z&endTimeAt=2026-01-02T00:15:00Z").json();
    assertThat(shifted.findValues("sum")).as("a day that is not a whole UTC day is not answered: " + shifted).isEmpty();
    assertThat(shifted.path("id").asText()).isEqualTo(meter);
    JsonNode open = read(supplier, T + "/" + meter + DAILY + "&timerel=after&timeAt=2026-01-01T12:00:00Z").json();
    assertThat(open.path("power").path("totalCount").toString())
        .isEqualTo("[[96,\"2026-01-02T00:00:00Z\",\"2026-01-03T00:00:00Z\"]]");
    JsonNode weekly = read(supplier, T + "/" + meter
        + "?options=aggregatedValues&aggrMethods=sum&aggrPeriodDuration=P1W").json();
    assertThat(weekly.path("power").path("sum").get(0).get(0).asDouble()).isEqualTo(192.0);

    Api.Response revoked = household.patch(V1 + "/entities/" + consent + "/attrs",
        "{\"revoked\":{\"type\":\"Property\",\"value\":true}}");
    assertThat(revoked.status()).as(revoked.toString()).isEqualTo(204);
    assertThat(read(supplier, T + "/" + meter + DAILY + twoDays).status()).isEqualTo(403);
  }

  @Test
  void aConsentForOneConnectionOpensNoOther() {
    String mine = meterWithTwoDays("EAN22");
    String other = meterWithTwoDays("EAN23");
    Api supplier = as("[]", "supplier:eneco");
    consent(as("[]", "household:EAN22"), "EAN22", "P1D");
    assertThat(read(supplier, T + "/" + mine + DAILY).status()).isEqualTo(200);
    assertThat(read(supplier, T + "/" + other + DAILY).status()).isEqualTo(403);
    assertThat(supplier.get(T + "/" + mine + DAILY, "Sleutelbos-Purpose", "marketing").status())
        .as("the consent is for billing only").isEqualTo(403);
  }

  @Test
  void theGranularityCapIsNoBusinessOfOtherRoutes() {
    String meter = meterWithTwoDays("EAN24");
    Api supplier = as("[]", "supplier:eneco");
    consent(as("[]", "household:EAN24"), "EAN24", "P1D");
    // The entity API answers current values, which no cap can be applied to: still a 403.
    Api.Response current = read(supplier, V1 + "/entities/" + meter);
    assertThat(current.status()).as(current.toString()).isEqualTo(403);
    assertThat(current.body()).contains("cannot fulfil");
  }
}

package nl.sleutelbos.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * A subscription is a standing query whose notifications leave without the PEP, so the PEP
 * decides it on what it would be told. An auditor's permit hides activePower, energyConsumed and
 * address: its subscriptions may not filter or watch on those, its notifications come without
 * them, and it may not subscribe to personal data at all, by naming the type or by naming none.
 */
class SubscriptionEnforcementApiTest extends ApiTestBase {
  private static final String DEVICES = "\"entities\":[{\"type\":\"Device\"}]";

  private Api.Response subscribe(Api who, String selection, String endpoint) {
    return who.post(V1 + "/subscriptions", "{\"type\":\"Subscription\"," + selection
        + ",\"notification\":{\"endpoint\":{\"uri\":\"" + endpoint + "\"}}}");
  }

  @Test
  void anAuditorIsNotifiedWithoutTheAttributesItMayNotSee() {
    Api auditor = as("[\"auditor\"]", "auditor:adr");
    try (Receiver receiver = new Receiver()) {
      Api.Response created = subscribe(auditor, DEVICES, receiver.url("/auditor"));
      assertThat(created.status()).as(created.toString()).isEqualTo(201);
      String meter = newId("Device");
      Api.Response write = api.post(V1 + "/entities", """
          {"id":"%s","type":"Device","firmwareVersion":{"type":"Property","value":"5.1"},
           "activePower":{"type":"Property","value":1.5}}""".formatted(meter));
      assertThat(write.status()).as(write.toString()).isEqualTo(201);

      JsonNode notified = receiver.await(all -> !all.isEmpty()).get(0).body().path("data").get(0);
      assertThat(notified.path("id").asText()).isEqualTo(meter);
      assertThat(notified.has("firmwareVersion")).as(notified.toString()).isTrue();
      assertThat(notified.has("activePower")).as(notified.toString()).isFalse();
    }
  }

  @Test
  void anAuditorMayNotFilterOrWatchOnWhatItMayNotSee() {
    Api auditor = as("[\"auditor\"]", "auditor:adr");
    Api.Response filtered = subscribe(auditor, DEVICES + ",\"q\":\"energyConsumed>3\"", "http://127.0.0.1:9/n");
    assertThat(filtered.status()).as(filtered.toString()).isEqualTo(403);
    assertThat(filtered.json().path("detail").asText()).contains("energyConsumed");

    Api.Response watched = subscribe(auditor, DEVICES + ",\"watchedAttributes\":[\"address\"]", "http://127.0.0.1:9/n");
    assertThat(watched.status()).as(watched.toString()).isEqualTo(403);
    assertThat(watched.json().path("detail").asText()).contains("address");
  }

  @Test
  void personalDataCannotBeSubscribedToWithOrWithoutNamingItsType() {
    Api auditor = as("[\"auditor\"]", "auditor:adr");
    Api.Response readings = subscribe(auditor, "\"entities\":[{\"type\":\"Reading\"}]", "http://127.0.0.1:9/n");
    assertThat(readings.status()).as(readings.toString()).isEqualTo(403);

    Api.Response untyped = subscribe(auditor, "\"watchedAttributes\":[\"firmwareVersion\"]", "http://127.0.0.1:9/n");
    assertThat(untyped.status()).as(untyped.toString()).isEqualTo(403);
    assertThat(untyped.json().path("detail").asText()).contains("name the entity types");

    // The operator's administrator may not follow households one by one either.
    Api.Response admin = subscribe(api, "\"watchedAttributes\":[\"firmwareVersion\"]", "http://127.0.0.1:9/n");
    assertThat(admin.status()).as(admin.toString()).isEqualTo(403);
    Api.Response adminTyped = subscribe(api, DEVICES, "http://127.0.0.1:9/n");
    assertThat(adminTyped.status()).as(adminTyped.toString()).isEqualTo(201);
  }
}

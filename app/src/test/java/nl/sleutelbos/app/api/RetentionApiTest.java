package nl.sleutelbos.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/** History retention policies on the control plane, /sleutelbos/v1/retention, over real HTTP. */
class RetentionApiTest extends ApiTestBase {
  static final String R = "/sleutelbos/v1/retention";
  static final String CORE = "https://uri.etsi.org/ngsi-ld/default-context/";

  private static String type() {
    return "R" + Long.toHexString(System.nanoTime());
  }

  /** An entity of the type with power and status observed long ago (2015) and a minute ago. */
  private String entity(String type) {
    String id = newId(type);
    String recent = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS).toString();
    Api.Response r = api.post(V1 + "/temporal/entities", """
        {"id":"%s","type":"%s",
         "power":[{"type":"Property","value":1,"observedAt":"2015-01-01T00:00:00Z"},
                  {"type":"Property","value":2,"observedAt":"2015-06-01T00:00:00Z"},
                  {"type":"Property","value":3,"observedAt":"%s"}],
         "status":[{"type":"Property","value":"off","observedAt":"2015-01-01T00:00:00Z"},
                   {"type":"Property","value":"on","observedAt":"%s"}]}""".formatted(id, type, recent, recent));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return id;
  }

  private JsonNode history(String id) {
    Api.Response r = api.get(V1 + "/temporal/entities/" + id);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json();
  }

  @Test
  void aPolicyIsKeptListedAndDeleted() {
    String type = type();
    Api.Response put = api.put(R + "/" + type + "/power", "{\"maxAge\":\"P24M\"}");
    assertThat(put.status()).as(put.toString()).isEqualTo(200);
    assertThat(put.json().path("type").asText()).isEqualTo(CORE + type);
    assertThat(put.json().path("attribute").asText()).isEqualTo(CORE + "power");
    assertThat(put.json().path("maxAge").asText()).isEqualTo("P2Y");

    assertThat(api.get(R + "/" + type + "/power").json().path("maxAge").asText()).isEqualTo("P2Y");
    assertThat(api.get(R).json()).anyMatch(p -> p.path("type").asText().equals(CORE + type));
    assertThat(api.with("NGSILD-Tenant", "elsewhere").get(R).json())
        .noneMatch(p -> p.path("type").asText().equals(CORE + type));

    assertThat(api.delete(R + "/" + type + "/power").status()).isEqualTo(204);
    Api.Response gone = api.get(R + "/" + type + "/power");
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.errorType()).isEqualTo("ResourceNotFound");
    assertThat(api.delete(R + "/" + type + "/power").status()).isEqualTo(404);
  }

  @Test
  void aSweepDeletesExpiredInstancesOfThePolicysTypeAndAttributeOnly() {
    String type = type();
    String meter = entity(type);
    String other = entity(type());
    api.put(R + "/" + type + "/power", "{\"maxAge\":\"P1Y\"}");

    Api.Response sweep = api.post(R + "/sweep", "");

    assertThat(sweep.status()).as(sweep.toString()).isEqualTo(200);
    assertThat(sweep.json().path("deleted").asLong()).isGreaterThanOrEqualTo(2);
    JsonNode kept = history(meter);
    assertThat(kept.path("power")).extracting(i -> i.path("value").asInt()).containsExactly(3);
    assertThat(kept.path("status")).hasSize(2);
    assertThat(history(other).path("power")).hasSize(3);
  }

  @Test
  void anAttributesOwnPolicyWinsOverItsTypesPolicy() {
    String type = type();
    String meter = entity(type);
    api.put(R + "/" + type + "/*", "{\"maxAge\":\"P1Y\"}");
    api.put(R + "/" + type + "/power", "{\"maxAge\":\"P100Y\"}");

    api.post(R + "/sweep", "");

    JsonNode kept = history(meter);
    assertThat(kept.path("power")).hasSize(3);
    assertThat(kept.path("status")).extracting(i -> i.path("value").asText()).containsExactly("on");
  }

  @Test
  void refusesBadPolicies() {
    String type = type();
    for (String body : new String[] {"{\"maxAge\":\"two years\"}", "{\"maxAge\":\"P\"}", "{}",
        "{\"maxAge\":\"P1Y\",\"colour\":\"red\"}", "[\"P1Y\"]"}) {
      Api.Response r = api.put(R + "/" + type + "/power", body);
      assertThat(r.status()).as(body).isEqualTo(400);
      assertThat(r.errorType()).as(body).isEqualTo("BadRequestData");
    }
    assertThat(api.put(R + "/bad%3Ename/power", "{\"maxAge\":\"P1Y\"}").errorType()).isEqualTo("BadRequestData");
    assertThat(api.get(R + "/" + type + "/power").status()).isEqualTo(404);
  }
}

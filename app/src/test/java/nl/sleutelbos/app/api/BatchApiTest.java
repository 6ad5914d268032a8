package nl.sleutelbos.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** The batch operations: /entityOperations/create|upsert|update|delete|query. */
class BatchApiTest extends ApiTestBase {

  private static String entity(String id, int power) {
    return "{\"id\":\"" + id + "\",\"type\":\"Meter\",\"power\":{\"type\":\"Property\",\"value\":" + power + "}}";
  }

  @Test
  void createAnswers201WithTheIds() {
    String a = newId("Meter");
    String b = newId("Meter");
    Api.Response r = api.post(V1 + "/entityOperations/create", "[" + entity(a, 1) + "," + entity(b, 2) + "]");
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    assertThat(r.json().toString()).contains(a).contains(b);
    assertThat(api.get(V1 + "/entities/" + b).status()).isEqualTo(200);
  }

  @Test
  void createReportsEachFailureAndWritesTheRest() {
    String existing = newId("Meter");
    api.post(V1 + "/entities", entity(existing, 1));
    String fresh = newId("Meter");
    String invalid = "{\"id\":\"" + newId("Meter") + "\",\"type\":\"Meter\",\"p\":{\"type\":\"Relationship\",\"object\":\"no uri\"}}";
    Api.Response r = api.post(V1 + "/entityOperations/create",
        "[" + entity(existing, 5) + "," + entity(fresh, 2) + "," + invalid + ",{\"id\":\"bad id\",\"type\":\"M\"}]");
    assertThat(r.status()).isEqualTo(207);
    JsonNode body = r.json();
    assertThat(body.path("success").toString()).contains(fresh);
    assertThat(body.path("errors")).hasSize(3);
    assertThat(body.path("errors").get(0).path("entityId").asText()).isEqualTo(existing);
    assertThat(body.path("errors").get(0).path("error").path("type").asText()).endsWith("AlreadyExists");
    assertThat(body.path("errors").get(2).path("entityId").asText()).isEqualTo("bad id");
    // the rejected entity wrote nothing: the existing one keeps its value
    assertThat(api.get(V1 + "/entities/" + existing + "?options=keyValues").json().path("power").asInt()).isEqualTo(1);
  }

  @Test
  void upsertCreatesThenReplacesOrUpdates() {
    String a = newId("Meter");
    Api.Response created = api.post(V1 + "/entityOperations/upsert", "[" + entity(a, 1) + "]");
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().get(0).asText()).isEqualTo(a);

    String withVoltage = "{\"id\":\"" + a + "\",\"type\":\"Meter\",\"voltage\":230}";
    assertThat(api.post(V1 + "/entityOperations/upsert?options=update", "[" + withVoltage + "]").status()).isEqualTo(204);
    JsonNode e = api.get(V1 + "/entities/" + a + "?options=keyValues").json();
    assertThat(e.path("power").asInt()).isEqualTo(1);
    assertThat(e.path("voltage").asInt()).isEqualTo(230);

    assertThat(api.post(V1 + "/entityOperations/upsert?options=replace", "[" + withVoltage + "]").status()).isEqualTo(204);
    e = api.get(V1 + "/entities/" + a + "?options=keyValues").json();
    assertThat(e.has("power")).isFalse();

    Api.Response both = api.post(V1 + "/entityOperations/upsert?options=update,replace", "[" + withVoltage + "]");
    assertThat(both.status()).isEqualTo(400);
    Api.Response unknown = api.post(V1 + "/entityOperations/upsert?options=merge", "[" + withVoltage + "]");
    assertThat(unknown.status()).isEqualTo(400);
  }

  @Test
  void updateFailsPerMissingEntity() {
    String a = newId("Meter");
    api.post(V1 + "/entities", entity(a, 1));
    String missing = newId("Meter");
    Api.Response r = api.post(V1 + "/entityOperations/update", "[" + entity(a, 7) + "," + entity(missing, 7) + "]");
    assertThat(r.status()).isEqualTo(207);
    assertThat(r.json().path("success").get(0).asText()).isEqualTo(a);
    assertThat(r.json().path("errors").get(0).path("entityId").asText()).isEqualTo(missing);
    assertThat(r.json().path("errors").get(0).path("error").path("status").asInt()).isEqualTo(404);
    assertThat(api.get(V1 + "/entities/" + a + "?options=keyValues").json().path("power").asInt()).isEqualTo(7);

    Api.Response noOverwrite = api.post(V1 + "/entityOperations/update?options=noOverwrite", "[" + entity(a, 9) + "]");
    assertThat(noOverwrite.status()).isEqualTo(204);
    assertThat(api.get(V1 + "/entities/" + a + "?options=keyValues").json().path("power").asInt()).isEqualTo(7);
  }

  @Test
  void deleteRemovesAndReportsUnknownIds() {
    String a = newId("Meter");
    api.post(V1 + "/entities", entity(a, 1));
    String missing = newId("Meter");
    Api.Response r = api.post(V1 + "/entityOperations/delete", "[\"" + a + "\",\"" + missing + "\"]");
    assertThat(r.status()).isEqualTo(207);
    assertThat(r.json().path("success").get(0).asText()).isEqualTo(a);
    assertThat(r.json().path("errors").get(0).path("entityId").asText()).isEqualTo(missing);
    assertThat(api.get(V1 + "/entities/" + a).status()).isEqualTo(404);

    String b = newId("Meter");
    api.post(V1 + "/entities", entity(b, 1));
    assertThat(api.post(V1 + "/entityOperations/delete", "[\"" + b + "\"]").status()).isEqualTo(204);
  }

  @Test
  void badBatchBodiesAre400() {
    assertThat(api.post(V1 + "/entityOperations/create", "{}").status()).isEqualTo(400);
    assertThat(api.post(V1 + "/entityOperations/create", "[]").status()).isEqualTo(400);
    assertThat(api.post(V1 + "/entityOperations/delete", "[1,").status()).isEqualTo(400);
    assertThat(api.postAs("text/plain", V1 + "/entityOperations/upsert", "[]").status()).isEqualTo(415);
  }

  @Test
  void ldJsonBatchesCarryAContextPerEntity() {
    String a = newId("Meter");
    String ctx = "\"@context\":\"https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld\",";
    Api.Response r = api.postAs(Api.LD_JSON, V1 + "/entityOperations/upsert",
        "[{" + ctx + entity(a, 3).substring(1) + "]");
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    Api.Response missing = api.postAs(Api.LD_JSON, V1 + "/entityOperations/upsert", "[" + entity(newId("Meter"), 3) + "]");
    assertThat(missing.status()).isEqualTo(207);
  }

  @Test
  void queryTakesAQueryObject() {
    String type = "Q" + Long.toHexString(System.nanoTime());
    for (int i = 0; i < 3; i++) {
      api.post(V1 + "/entities", "{\"id\":\"" + newId(type) + "\",\"type\":\"" + type + "\",\"n\":" + i + "}");
    }
    Api.Response r = api.post(V1 + "/entityOperations/query?count=true",
        "{\"type\":\"Query\",\"entities\":[{\"type\":\"" + type + "\"}],\"attrs\":[\"n\"]}");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.json()).hasSize(3);
    assertThat(r.header("NGSILD-Results-Count")).hasValue("3");

    assertThat(api.post(V1 + "/entityOperations/query", "{\"entities\":[]}").status()).isEqualTo(400);
    assertThat(api.post(V1 + "/entityOperations/query", "{\"type\":\"Query\",\"colour\":1}").status()).isEqualTo(400);
  }
}

package nl.sleutelbos.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** /types, /types/{type}, /attributes, /attributes/{attr}, in a tenant of their own. */
class CatalogApiTest extends ApiTestBase {
  private Api t;

  @BeforeAll
  void load() {
    t = api.with("NGSILD-Tenant", "catalog");
    t.post(V1 + "/entities", "{\"id\":\"urn:ngsi-ld:Meter:1\",\"type\":\"Meter\",\"power\":1,\"owner\":{\"object\":\"urn:a:b\"}}");
    t.post(V1 + "/entities", "{\"id\":\"urn:ngsi-ld:Meter:2\",\"type\":\"Meter\",\"power\":2}");
    t.post(V1 + "/entities", "{\"id\":\"urn:ngsi-ld:Station:1\",\"type\":[\"Station\",\"Asset\"],\"power\":3}");
  }

  @Test
  void typesListsEveryType() {
    JsonNode list = t.get(V1 + "/types").json();
    assertThat(list.path("type").asText()).isEqualTo("EntityTypeList");
    assertThat(list.path("typeList").toString()).contains("\"Meter\"").contains("\"Station\"").contains("\"Asset\"");
    JsonNode details = t.get(V1 + "/types?details=true").json();
    assertThat(details.toString()).contains("\"typeName\":\"Meter\"").contains("owner");
  }

  @Test
  void typeInfoCountsEntitiesAndAttributes() {
    JsonNode info = t.get(V1 + "/types/Meter").json();
    assertThat(info.path("entityCount").asInt()).isEqualTo(2);
    assertThat(info.path("attributeDetails").toString()).contains("power").contains("Relationship");
    assertThat(t.get(V1 + "/types/Nothing").status()).isEqualTo(404);
  }

  @Test
  void attributesListAndDetail() {
    JsonNode list = t.get(V1 + "/attributes").json();
    assertThat(list.path("attributeList").toString()).contains("power").contains("owner");
    JsonNode power = t.get(V1 + "/attributes/power").json();
    assertThat(power.path("attributeCount").asInt()).isEqualTo(3);
    assertThat(power.path("typeNames").toString()).contains("Meter").contains("Station");
    assertThat(t.get(V1 + "/attributes/nothing").status()).isEqualTo(404);
    assertThat(t.get(V1 + "/attributes?details=yes").status()).isEqualTo(400);
  }

  @Test
  void answersInLdJsonToo() {
    Api.Response r = t.get(V1 + "/types", "Accept", Api.LD_JSON);
    assertThat(r.json().has("@context")).isTrue();
  }
}

package nl.sleutelbos.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The entity endpoints of the NGSI-LD API over real HTTP: /entities and /entities/{id}[/attrs[/{attr}]]. */
class EntitiesApiTest extends ApiTestBase {

  private String meter(String id) {
    return """
        {"id":"%s","type":"Meter",
         "power":{"type":"Property","value":2.5,"unitCode":"KWT","observedAt":"2026-11-23T10:00:00Z",
                  "accuracy":{"type":"Property","value":0.1}},
         "name":{"type":"LanguageProperty","languageMap":{"nl":"meter","en":"meter (en)"}},
         "supplier":{"type":"Relationship","object":"urn:ngsi-ld:Organization:a"},
         "location":{"type":"GeoProperty","value":{"type":"Point","coordinates":[5.1,52.1]}}}
        """.formatted(id);
  }

  private String create(String body) {
    Api.Response r = api.post(V1 + "/entities", body);
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.header("Location").orElseThrow();
  }

  @Nested
  class Create {
    @Test
    void answers201WithTheLocationOfTheNewEntity() {
      String id = newId("Meter");
      String location = create(meter(id));
      assertThat(location).isEqualTo(V1 + "/entities/" + id);
      Api.Response r = api.get(location);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.json().path("power").path("value").asDouble()).isEqualTo(2.5);
    }

    @Test
    void refusesADuplicateIdWithAlreadyExists() {
      String id = newId("Meter");
      create(meter(id));
      Api.Response r = api.post(V1 + "/entities", meter(id));
      assertThat(r.status()).isEqualTo(409);
      assertThat(r.errorType()).isEqualTo("AlreadyExists");
      assertThat(r.json().path("detail").asText()).contains(id);
    }

    @Test
    void refusesAnIdThatIsNotAUri() {
      Api.Response r = api.post(V1 + "/entities", "{\"id\":\"not a uri\",\"type\":\"Meter\"}");
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.errorType()).isEqualTo("BadRequestData");
      assertThat(r.json().path("detail").asText()).contains("not a uri");
    }

    @Test
    void refusesAnEntityWithoutType() {
      Api.Response r = api.post(V1 + "/entities", "{\"id\":\"" + newId("X") + "\"}");
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.json().path("detail").asText()).contains("type");
    }

    @Test
    void refusesMalformedJsonAndSaysWhere() {
      Api.Response r = api.post(V1 + "/entities", "{\"id\": \"urn:a:b\", \"type\": ");
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.errorType()).isEqualTo("BadRequestData");
      assertThat(r.json().path("detail").asText()).contains("not valid JSON");
    }

    @Test
    void refusesAWrongContentTypeWith415() {
      Api.Response r = api.postAs("text/plain", V1 + "/entities", meter(newId("Meter")));
      assertThat(r.status()).isEqualTo(415);
      assertThat(r.json().path("detail").asText()).contains("text/plain");
    }

    @Test
    void refusesABodyOverTheLimitWith413() {
      String big = "{\"id\":\"" + newId("Meter") + "\",\"type\":\"Meter\",\"blob\":\"" + "x".repeat(70_000) + "\"}";
      Api.Response r = api.post(V1 + "/entities", big);
      assertThat(r.status()).isEqualTo(413);
      assertThat(r.json().path("type").asText()).contains("PayloadTooLarge");
    }

    @Test
    void refusesAbsurdNesting() {
      String deep = "[".repeat(2000) + "]".repeat(2000);
      String body = "{\"id\":\"" + newId("Meter") + "\",\"type\":\"Meter\",\"p\":{\"type\":\"Property\",\"value\":" + deep + "}}";
      Api.Response r = api.post(V1 + "/entities", body);
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.json().path("detail").asText()).containsIgnoringCase("nesting");
    }

    @Test
    void refusesInvalidAttributesWithoutWritingAnything() {
      String id = newId("Meter");
      String body = "{\"id\":\"" + id + "\",\"type\":\"Meter\",\"ok\":{\"type\":\"Property\",\"value\":1},"
          + "\"bad\":{\"type\":\"Relationship\",\"object\":\"not a uri\"}}";
      assertThat(api.post(V1 + "/entities", body).status()).isEqualTo(400);
      assertThat(api.get(V1 + "/entities/" + id).status()).isEqualTo(404);
    }

    @Test
    void refusesAnUnclosedPolygon() {
      String body = "{\"id\":\"" + newId("Area") + "\",\"type\":\"Area\",\"location\":{\"type\":\"GeoProperty\","
          + "\"value\":{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,1]]]}}}";
      Api.Response r = api.post(V1 + "/entities", body);
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.json().path("detail").asText()).contains("not closed");
    }

    @Test
    void refusesAPropertyWithoutValue() {
      Api.Response r = api.post(V1 + "/entities",
          "{\"id\":\"" + newId("M") + "\",\"type\":\"M\",\"p\":{\"type\":\"Property\"}}");
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.json().path("detail").asText()).contains("'p' has no value");
    }

    @Test
    void acceptsTheConciseForm() {
      String id = newId("Meter");
      create("{\"id\":\"" + id + "\",\"type\":\"Meter\",\"power\":3,\"owner\":{\"object\":\"urn:ngsi-ld:Person:1\"},"
          + "\"location\":{\"type\":\"Point\",\"coordinates\":[4.9,52.3]}}");
      JsonNode e = api.get(V1 + "/entities/" + id).json();
      assertThat(e.path("power").path("type").asText()).isEqualTo("Property");
      assertThat(e.path("owner").path("type").asText()).isEqualTo("Relationship");
      assertThat(e.path("location").path("type").asText()).isEqualTo("GeoProperty");
    }

    @Test
    void ldJsonBodiesMustCarryTheirContext() {
      Api.Response missing = api.postAs(Api.LD_JSON, V1 + "/entities", meter(newId("Meter")));
      assertThat(missing.status()).isEqualTo(400);
      assertThat(missing.json().path("detail").asText()).contains("@context");

      String id = newId("Meter");
      String withContext = "{\"@context\":\"https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld\","
          + meter(id).substring(1);
      assertThat(api.postAs(Api.LD_JSON, V1 + "/entities", withContext).status()).isEqualTo(201);
    }

    @Test
    void plainJsonBodiesMustNotCarryAContext() {
      String body = "{\"@context\":\"https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld\","
          + meter(newId("Meter")).substring(1);
      Api.Response r = api.post(V1 + "/entities", body);
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.json().path("detail").asText()).contains("application/json");
    }
  }

  @Nested
  class Retrieve {
    @Test
    void unknownEntityIs404ResourceNotFound() {
      Api.Response r = api.get(V1 + "/entities/urn:ngsi-ld:Meter:nope");
      assertThat(r.status()).isEqualTo(404);
      assertThat(r.errorType()).isEqualTo("ResourceNotFound");
      assertThat(r.header("Content-Type")).hasValue("application/json");
    }

    @Test
    void badIdIs400() {
      assertThat(api.get(V1 + "/entities/nope").status()).isEqualTo(400);
    }

    @Test
    void keyValuesShowsOnlyValues() {
      String id = newId("Meter");
      create(meter(id));
      JsonNode e = api.get(V1 + "/entities/" + id + "?options=keyValues").json();
      assertThat(e.path("power").asDouble()).isEqualTo(2.5);
      assertThat(e.path("supplier").asText()).isEqualTo("urn:ngsi-ld:Organization:a");
      assertThat(e.path("location").path("type").asText()).isEqualTo("Point");
      assertThat(api.get(V1 + "/entities/" + id + "?format=keyValues").json()).isEqualTo(e);
    }

    @Test
    void conciseLeavesOutTheTypes() {
      String id = newId("Meter");
      create(meter(id));
      JsonNode e = api.get(V1 + "/entities/" + id + "?options=concise").json();
      assertThat(e.path("power").has("type")).isFalse();
      assertThat(e.path("power").path("value").asDouble()).isEqualTo(2.5);
      assertThat(e.path("supplier").path("object").asText()).isEqualTo("urn:ngsi-ld:Organization:a");
    }

    @Test
    void sysAttrsAddsCreatedAndModifiedAt() {
      String id = newId("Meter");
      create(meter(id));
      JsonNode plain = api.get(V1 + "/entities/" + id).json();
      assertThat(plain.has("createdAt")).isFalse();
      assertThat(plain.path("power").has("modifiedAt")).isFalse();
      JsonNode e = api.get(V1 + "/entities/" + id + "?options=sysAttrs").json();
      assertThat(e.path("createdAt").asText()).isNotEmpty();
      assertThat(e.path("power").path("createdAt").asText()).isNotEmpty();
      assertThat(e.path("power").path("accuracy").path("modifiedAt").asText()).isNotEmpty();
    }

    @Test
    void attrsProjects() {
      String id = newId("Meter");
      create(meter(id));
      JsonNode e = api.get(V1 + "/entities/" + id + "?attrs=power,name").json();
      assertThat(e.has("power")).isTrue();
      assertThat(e.has("name")).isTrue();
      assertThat(e.has("supplier")).isFalse();
      assertThat(e.path("id").asText()).isEqualTo(id);
    }

    @Test
    void langPicksOneLanguage() {
      String id = newId("Meter");
      create(meter(id));
      JsonNode e = api.get(V1 + "/entities/" + id + "?lang=en").json();
      assertThat(e.path("name").path("value").asText()).isEqualTo("meter (en)");
      assertThat(e.path("name").path("type").asText()).isEqualTo("Property");
    }

    @Test
    void unknownOptionIs400() {
      String id = newId("Meter");
      create(meter(id));
      Api.Response r = api.get(V1 + "/entities/" + id + "?options=fancy");
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.json().path("detail").asText()).contains("fancy");
    }

    @Test
    void unknownParameterIs400() {
      Api.Response r = api.get(V1 + "/entities/urn:a:b?colour=red");
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.json().path("detail").asText()).contains("colour");
    }

    @Test
    void ldJsonAnswersCarryTheContextInTheBody() {
      String id = newId("Meter");
      create(meter(id));
      Api.Response r = api.get(V1 + "/entities/" + id, "Accept", Api.LD_JSON);
      assertThat(r.header("Content-Type")).hasValue(Api.LD_JSON);
      assertThat(r.json().has("@context")).isTrue();
      assertThat(r.header("Link")).isEmpty();
    }

    @Test
    void jsonAnswersCarryTheContextInALinkHeader() {
      String id = newId("Meter");
      create(meter(id));
      Api.Response r = api.get(V1 + "/entities/" + id, "Accept", Api.JSON);
      assertThat(r.json().has("@context")).isFalse();
      assertThat(r.header("Link").orElseThrow()).contains("rel=\"http://www.w3.org/ns/json-ld#context\"");
    }

    @Test
    void geoJsonAnswersAreFeatures() {
      String id = newId("Meter");
      create(meter(id));
      JsonNode f = api.get(V1 + "/entities/" + id, "Accept", "application/geo+json").json();
      assertThat(f.path("type").asText()).isEqualTo("Feature");
      assertThat(f.path("geometry").path("type").asText()).isEqualTo("Point");
      assertThat(f.path("properties").has("power")).isTrue();
    }

    @Test
    void anUnsatisfiableAcceptIs406() {
      Api.Response r = api.get(V1 + "/entities/urn:a:b", "Accept", "text/html");
      assertThat(r.status()).isEqualTo(406);
    }

    @Test
    void encodedIdsWork() {
      String id = "urn:ngsi-ld:Meter:with%2Fslash";
      create("{\"id\":\"urn:ngsi-ld:Meter:with/slash\",\"type\":\"Meter\"}");
      assertThat(api.get(V1 + "/entities/" + id).json().path("id").asText()).isEqualTo("urn:ngsi-ld:Meter:with/slash");
    }
  }

  @Nested
  class Delete {
    @Test
    void deletesAndThenIs404() {
      String id = newId("Meter");
      create(meter(id));
      assertThat(api.delete(V1 + "/entities/" + id).status()).isEqualTo(204);
      assertThat(api.get(V1 + "/entities/" + id).status()).isEqualTo(404);
      assertThat(api.delete(V1 + "/entities/" + id).status()).isEqualTo(404);
    }
  }

  @Nested
  class Attributes {
    @Test
    void appendAddsAndOverwrites() {
      String id = newId("Meter");
      create(meter(id));
      Api.Response r = api.post(V1 + "/entities/" + id + "/attrs",
          "{\"power\":{\"type\":\"Property\",\"value\":9},\"voltage\":{\"type\":\"Property\",\"value\":230}}");
      assertThat(r.status()).as(r.toString()).isEqualTo(204);
      JsonNode e = api.get(V1 + "/entities/" + id + "?options=keyValues").json();
      assertThat(e.path("power").asInt()).isEqualTo(9);
      assertThat(e.path("voltage").asInt()).isEqualTo(230);
    }

    @Test
    void appendWithNoOverwriteKeepsExistingAndAnswers207() {
      String id = newId("Meter");
      create(meter(id));
      Api.Response r = api.post(V1 + "/entities/" + id + "/attrs?options=noOverwrite",
          "{\"power\":{\"type\":\"Property\",\"value\":9},\"voltage\":{\"type\":\"Property\",\"value\":230}}");
      assertThat(r.status()).isEqualTo(207);
      assertThat(r.json().path("updated").toString()).contains("voltage");
      assertThat(r.json().path("notUpdated").get(0).path("attributeName").asText()).isEqualTo("power");
      assertThat(api.get(V1 + "/entities/" + id + "?options=keyValues").json().path("power").asDouble()).isEqualTo(2.5);
    }

    @Test
    void updateChangesOnlyExistingAttributes() {
      String id = newId("Meter");
      create(meter(id));
      Api.Response r = api.patch(V1 + "/entities/" + id + "/attrs",
          "{\"power\":{\"type\":\"Property\",\"value\":4},\"ghost\":{\"type\":\"Property\",\"value\":1}}");
      assertThat(r.status()).isEqualTo(207);
      assertThat(r.json().path("notUpdated").get(0).path("attributeName").asText()).isEqualTo("ghost");
      JsonNode e = api.get(V1 + "/entities/" + id + "?options=keyValues").json();
      assertThat(e.path("power").asInt()).isEqualTo(4);
      assertThat(e.has("ghost")).isFalse();
    }

    @Test
    void updateOfAMissingEntityIs404() {
      Api.Response r = api.patch(V1 + "/entities/urn:ngsi-ld:Meter:none/attrs", "{\"power\":1}");
      assertThat(r.status()).isEqualTo(404);
    }

    @Test
    void partialAttributeUpdateKeepsOtherMembers() {
      String id = newId("Meter");
      create(meter(id));
      Api.Response r = api.patch(V1 + "/entities/" + id + "/attrs/power", "{\"value\":7}");
      assertThat(r.status()).as(r.toString()).isEqualTo(204);
      JsonNode power = api.get(V1 + "/entities/" + id).json().path("power");
      assertThat(power.path("value").asInt()).isEqualTo(7);
      assertThat(power.path("unitCode").asText()).isEqualTo("KWT");
      assertThat(power.path("accuracy").path("value").asDouble()).isEqualTo(0.1);
    }

    @Test
    void partialUpdateKeepsTheStoredKindAndChecksWhatItGives() {
      String id = newId("Meter");
      create(meter(id));
      assertThat(api.patch(V1 + "/entities/" + id + "/attrs/location",
          "{\"value\":{\"type\":\"Point\",\"coordinates\":[4.5,52.0]}}").status()).isEqualTo(204);
      JsonNode location = api.get(V1 + "/entities/" + id).json().path("location");
      assertThat(location.path("type").asText()).isEqualTo("GeoProperty");
      assertThat(location.path("value").path("coordinates").get(0).asDouble()).isEqualTo(4.5);

      assertThat(api.patch(V1 + "/entities/" + id + "/attrs/power", "{\"unitCode\":\"WTT\"}").status()).isEqualTo(204);
      JsonNode power = api.get(V1 + "/entities/" + id).json().path("power");
      assertThat(power.path("unitCode").asText()).isEqualTo("WTT");
      assertThat(power.path("value").asDouble()).isEqualTo(2.5);

      Api.Response bad = api.patch(V1 + "/entities/" + id + "/attrs/supplier", "{\"object\":\"not a uri\"}");
      assertThat(bad.status()).isEqualTo(400);
      assertThat(api.get(V1 + "/entities/" + id).json().path("supplier").path("object").asText())
          .isEqualTo("urn:ngsi-ld:Organization:a");
    }

    @Test
    void partialUpdateOfAMissingAttributeIs404() {
      String id = newId("Meter");
      create(meter(id));
      assertThat(api.patch(V1 + "/entities/" + id + "/attrs/nothing", "{\"value\":7}").status()).isEqualTo(404);
    }

    @Test
    void multiAttributesAreKeptByDatasetId() {
      String id = newId("Meter");
      create("{\"id\":\"" + id + "\",\"type\":\"Meter\",\"temp\":["
          + "{\"type\":\"Property\",\"value\":20},"
          + "{\"type\":\"Property\",\"value\":21,\"datasetId\":\"urn:ngsi-ld:Dataset:b\"}]}");
      JsonNode temp = api.get(V1 + "/entities/" + id).json().path("temp");
      assertThat(temp.isArray()).isTrue();
      assertThat(temp).hasSize(2);

      assertThat(api.delete(V1 + "/entities/" + id + "/attrs/temp?datasetId=urn:ngsi-ld:Dataset:b").status()).isEqualTo(204);
      temp = api.get(V1 + "/entities/" + id).json().path("temp");
      assertThat(temp.isObject()).isTrue();
      assertThat(temp.path("value").asInt()).isEqualTo(20);
    }

    @Test
    void duplicateDatasetIdsAreRefused() {
      Api.Response r = api.post(V1 + "/entities", "{\"id\":\"" + newId("Meter") + "\",\"type\":\"Meter\",\"temp\":["
          + "{\"type\":\"Property\",\"value\":20},{\"type\":\"Property\",\"value\":21}]}");
      assertThat(r.status()).isEqualTo(400);
    }

    @Test
    void deleteAttributeDefaultInstanceAndDeleteAll() {
      String id = newId("Meter");
      create("{\"id\":\"" + id + "\",\"type\":\"Meter\",\"temp\":["
          + "{\"type\":\"Property\",\"value\":20},"
          + "{\"type\":\"Property\",\"value\":21,\"datasetId\":\"urn:ngsi-ld:Dataset:b\"}],\"power\":1}");
      assertThat(api.delete(V1 + "/entities/" + id + "/attrs/temp").status()).isEqualTo(204);
      assertThat(api.get(V1 + "/entities/" + id).json().path("temp").path("datasetId").asText()).isEqualTo("urn:ngsi-ld:Dataset:b");
      assertThat(api.delete(V1 + "/entities/" + id + "/attrs/temp?deleteAll=true").status()).isEqualTo(204);
      assertThat(api.get(V1 + "/entities/" + id).json().has("temp")).isFalse();
      assertThat(api.delete(V1 + "/entities/" + id + "/attrs/temp").status()).isEqualTo(404);
      assertThat(api.delete(V1 + "/entities/" + id + "/attrs/power?deleteAll=maybe").status()).isEqualTo(400);
    }
  }

  @Nested
  class ReplaceAndMerge {
    @Test
    void putReplacesEverythingButKeepsCreatedAt() {
      String id = newId("Meter");
      create(meter(id));
      String createdAt = api.get(V1 + "/entities/" + id + "?options=sysAttrs").json().path("createdAt").asText();
      Api.Response r = api.put(V1 + "/entities/" + id, "{\"type\":\"Meter\",\"voltage\":230}");
      assertThat(r.status()).as(r.toString()).isEqualTo(204);
      JsonNode e = api.get(V1 + "/entities/" + id + "?options=sysAttrs").json();
      assertThat(e.has("power")).isFalse();
      assertThat(e.path("voltage").path("value").asInt()).isEqualTo(230);
      assertThat(e.path("createdAt").asText()).isEqualTo(createdAt);
    }

    @Test
    void putWithAnotherIdIs400() {
      String id = newId("Meter");
      create(meter(id));
      assertThat(api.put(V1 + "/entities/" + id, "{\"id\":\"urn:x:y\",\"type\":\"Meter\"}").status()).isEqualTo(400);
    }

    @Test
    void patchMergesAndNullDeletes() {
      String id = newId("Meter");
      create(meter(id));
      Api.Response r = api.patch(V1 + "/entities/" + id,
          "{\"power\":{\"value\":3.5},\"supplier\":\"urn:ngsi-ld:null\",\"voltage\":231}");
      assertThat(r.status()).as(r.toString()).isEqualTo(204);
      JsonNode e = api.get(V1 + "/entities/" + id).json();
      assertThat(e.path("power").path("value").asDouble()).isEqualTo(3.5);
      assertThat(e.path("power").path("unitCode").asText()).isEqualTo("KWT");
      assertThat(e.has("supplier")).isFalse();
      assertThat(e.path("voltage").path("value").asInt()).isEqualTo(231);
    }

    @Test
    void patchOfAMissingEntityIs404() {
      assertThat(api.patch(V1 + "/entities/urn:ngsi-ld:M:none", "{\"a\":1}").status()).isEqualTo(404);
    }
  }

  @Test
  void unknownPathIs404AndWrongMethodIs405() {
    Api.Response unknown = api.get(V1 + "/nothing");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.errorType()).isEqualTo("ResourceNotFound");
    Api.Response wrong = api.send("PUT", V1 + "/entities", "{}", Api.JSON);
    assertThat(wrong.status()).isEqualTo(405);
    assertThat(wrong.header("Allow").orElseThrow()).contains("GET").contains("POST");
  }
}

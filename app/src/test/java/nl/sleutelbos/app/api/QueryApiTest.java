package nl.sleutelbos.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** GET /entities: selection by id, idPattern, type, attrs and q; paging and counting. */
class QueryApiTest extends ApiTestBase {
  private Api t;

  @BeforeAll
  void load() {
    t = api.with("NGSILD-Tenant", "query");
    StringBuilder batch = new StringBuilder("[");
    for (int i = 0; i < 30; i++) {
      if (i > 0) {
        batch.append(',');
      }
      batch.append("""
          {"id":"urn:ngsi-ld:Meter:%02d","type":"%s","power":{"type":"Property","value":%d,"observedAt":"2026-11-%02dT00:00:00Z"},
           "town":"%s","site":{"type":"Property","value":{"city":"%s","zip":"35%02d"}},
           "vendor":{"type":"Relationship","object":"urn:ngsi-ld:Vendor:%s"}%s}"""
          .formatted(i, i % 3 == 0 ? "Gauge" : "Meter", i, i % 28 + 1, i % 2 == 0 ? "Utrecht" : "Arnhem",
              i % 2 == 0 ? "Utrecht" : "Arnhem", i, i % 5 == 0 ? "a" : "b", i % 4 == 0 ? ",\"tamper\":true" : ""));
    }
    batch.append(']');
    Api.Response r = t.post(V1 + "/entityOperations/upsert", batch.toString());
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
  }

  private List<String> ids(String query) {
    Api.Response r = t.get(V1 + "/entities?" + query + "&limit=1000");
    assertThat(r.status()).as(query + " -> " + r).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    r.json().forEach(e -> ids.add(e.path("id").asText().replace("urn:ngsi-ld:Meter:", "")));
    return ids;
  }

  @Test
  void byType() {
    assertThat(ids("type=Gauge")).hasSize(10).contains("00", "03");
    assertThat(ids("type=Meter,Gauge")).hasSize(30);
    assertThat(ids("type=" + Api.q("Meter|Gauge"))).hasSize(30);
    assertThat(ids("type=Meter;Gauge")).isEmpty();
  }

  @Test
  void byIdAndPattern() {
    assertThat(ids("id=urn:ngsi-ld:Meter:01,urn:ngsi-ld:Meter:02")).containsExactly("01", "02");
    assertThat(ids("idPattern=Meter:1.")).hasSize(10);
    assertThat(ids("type=Gauge&idPattern=Meter:1.")).containsExactly("12", "15", "18");
    assertThat(t.get(V1 + "/entities?idPattern=(").status()).isEqualTo(400);
    assertThat(t.get(V1 + "/entities?id=not%20a%20uri").status()).isEqualTo(400);
  }

  @Test
  void byAttrs() {
    assertThat(ids("attrs=tamper")).hasSize(8);
    JsonNode first = t.get(V1 + "/entities?attrs=tamper&limit=1").json().get(0);
    assertThat(first.has("power")).isFalse();
    assertThat(first.has("tamper")).isTrue();
  }

  @Test
  void pagingAndCounting() {
    Api.Response page = t.get(V1 + "/entities?type=Meter&limit=5&offset=5&count=true");
    assertThat(page.json()).hasSize(5);
    assertThat(page.header("NGSILD-Results-Count")).hasValue("20");
    assertThat(page.json().get(0).path("id").asText()).isEqualTo("urn:ngsi-ld:Meter:08");
    Api.Response countOnly = t.get(V1 + "/entities?type=Meter&limit=0&count=true");
    assertThat(countOnly.json()).isEmpty();
    assertThat(countOnly.header("NGSILD-Results-Count")).hasValue("20");
    assertThat(t.get(V1 + "/entities?type=Meter").json()).hasSize(20); // default limit
    assertThat(t.get(V1 + "/entities?type=Meter&limit=0").status()).isEqualTo(400);
    assertThat(t.get(V1 + "/entities?type=Meter&limit=5000").errorType()).isEqualTo("TooManyResults");
    assertThat(t.get(V1 + "/entities?type=Meter&limit=-1").status()).isEqualTo(400);
    assertThat(t.get(V1 + "/entities?type=Meter&offset=x").status()).isEqualTo(400);
    assertThat(t.get(V1 + "/entities?type=Meter&count=yes").status()).isEqualTo(400);
  }

  @Test
  void byQ() {
    assertThat(ids("type=Meter&q=" + Api.q("power>25"))).containsExactly("26", "28", "29");
    assertThat(ids("q=" + Api.q("power>=10;power<12"))).containsExactly("10", "11");
    assertThat(ids("q=" + Api.q("power==1..3"))).containsExactly("01", "02", "03");
    assertThat(ids("q=" + Api.q("power==1,5,7"))).containsExactly("01", "05", "07");
    assertThat(ids("q=" + Api.q("town==\"Utrecht\";power<5"))).containsExactly("00", "02", "04");
    assertThat(ids("q=" + Api.q("(power<2|power>28);town==\"Arnhem\""))).containsExactly("01", "29");
    assertThat(ids("q=" + Api.q("site[city]==\"Arnhem\";power<4"))).containsExactly("01", "03");
    assertThat(ids("q=" + Api.q("vendor==urn:ngsi-ld:Vendor:a;power<11"))).containsExactly("00", "05", "10");
    assertThat(ids("q=" + Api.q("tamper;power<9"))).containsExactly("00", "04", "08");
    assertThat(ids("type=Gauge&q=" + Api.q("!tamper"))).containsExactly("03", "06", "09", "15", "18", "21", "27");
    assertThat(ids("q=" + Api.q("town=~\"^Utr\";power>26"))).containsExactly("28");
    assertThat(ids("q=" + Api.q("town!~\"^Utr\";power>26"))).containsExactly("27", "29");
    assertThat(ids("q=" + Api.q("power.observedAt>=2026-11-28T00:00:00Z"))).containsExactly("27");
  }

  @Test
  void aBadQIsBadRequestData() {
    Api.Response r = t.get(V1 + "/entities?type=Meter&q=" + Api.q("power>>2"));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.errorType()).isEqualTo("BadRequestData");
    assertThat(r.json().path("detail").asText()).contains("power>>2");
  }

  @Test
  void keyValuesAndGeoJsonForQueries() {
    JsonNode kv = t.get(V1 + "/entities?type=Meter&limit=1&options=keyValues").json();
    assertThat(kv.get(0).path("power").isNumber()).isTrue();
    JsonNode fc = t.get(V1 + "/entities?type=Meter&limit=2", "Accept", "application/geo+json").json();
    assertThat(fc.path("type").asText()).isEqualTo("FeatureCollection");
    assertThat(fc.path("features")).hasSize(2);
  }
}

package nl.sleutelbos.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Geo-queries (clause 4.10) on GET /entities and in POST /entityOperations/query, over HTTP.
 * Expected distances are worked out here with the haversine formula (R = 6 371 008.8 m); the
 * radii are chosen more than 0.5% away from every entity's distance, so an answer that is off by
 * more than that fails.
 */
class GeoQueryApiTest extends ApiTestBase {
  private static final double R = 6_371_008.8;
  private static final String SQUARE = "[[[4.9,51.9],[5.1,51.9],[5.1,52.1],[4.9,52.1],[4.9,51.9]]]";

  /** Points by name: [lon, lat]. Around (5, 52); 0.009° of latitude is 1000.8 m. */
  private static final Map<String, double[]> POINTS = new LinkedHashMap<>();

  static {
    POINTS.put("center", new double[] {5.0, 52.0});      // 0 m
    POINTS.put("north1k", new double[] {5.0, 52.009});   // 1 000.8 m
    POINTS.put("east1k", new double[] {5.0146, 52.0});   // 999.5 m: 0.0146° × 111 195 m × cos 52°
    POINTS.put("north2k", new double[] {5.0, 52.018});   // 2 001.5 m
    POINTS.put("east3k", new double[] {5.0438, 52.0});   // 2 998.4 m
    POINTS.put("far", new double[] {6.0, 52.0});         // 68 457 m
    POINTS.put("oslo1", new double[] {4.0, 60.0});       // up north: 1° of longitude is 55 597 m
    POINTS.put("oslo2", new double[] {5.0, 60.0});
    POINTS.put("dateline", new double[] {179.99, 0.0});  // 2 223.9 m from (-179.99, 0)
  }

  private Api t;

  @BeforeAll
  void load() {
    t = api.with("NGSILD-Tenant", "geo");
    StringBuilder batch = new StringBuilder("[");
    for (Map.Entry<String, double[]> p : POINTS.entrySet()) {
      batch.append("""
          {"id":"urn:ngsi-ld:Meter:%s","type":"Meter","kind":"%s",
           "location":{"type":"GeoProperty","value":{"type":"Point","coordinates":[%s,%s]}}},"""
          .formatted(p.getKey(), p.getKey().startsWith("east") ? "east" : "other", p.getValue()[0], p.getValue()[1]));
    }
    batch.append("""
        {"id":"urn:ngsi-ld:District:square","type":"District",
         "location":{"type":"GeoProperty","value":{"type":"Polygon","coordinates":%s}}},
        {"id":"urn:ngsi-ld:District:shifted","type":"District",
         "location":{"type":"GeoProperty","value":{"type":"Polygon",
           "coordinates":[[[5.0,52.0],[5.2,52.0],[5.2,52.2],[5.0,52.2],[5.0,52.0]]]}}},
        {"id":"urn:ngsi-ld:Cable:a","type":"Cable",
         "location":{"type":"GeoProperty","value":{"type":"LineString","coordinates":[[4.8,52.05],[5.3,52.05]]}}},
        {"id":"urn:ngsi-ld:Gateway:g","type":"Gateway",
         "site":{"type":"GeoProperty","value":{"type":"Point","coordinates":[5.0,52.0]}},
         "location":{"type":"GeoProperty","value":{"type":"Point","coordinates":[10.0,50.0]}}},
        {"id":"urn:ngsi-ld:Meter:nowhere","type":"Meter"}
        ]""".formatted(SQUARE));
    Api.Response r = t.post(V1 + "/entityOperations/upsert", batch.toString());
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
  }

  private List<String> ids(String query) {
    Api.Response r = t.get(V1 + "/entities?" + query + "&limit=1000");
    assertThat(r.status()).as(query + " -> " + r).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    r.json().forEach(e -> ids.add(e.path("id").asText().replaceAll("urn:ngsi-ld:[A-Za-z]+:", "")));
    return ids;
  }

  private static String geo(String georel, String geometry, String coordinates) {
    return "georel=" + Api.q(georel) + "&geometry=" + geometry + "&coordinates=" + Api.q(coordinates);
  }

  private static double haversine(double[] a, double[] b) {
    double h = Math.pow(Math.sin(Math.toRadians(b[1] - a[1]) / 2), 2) + Math.cos(Math.toRadians(a[1]))
        * Math.cos(Math.toRadians(b[1])) * Math.pow(Math.sin(Math.toRadians(b[0] - a[0]) / 2), 2);
    return 2 * R * Math.asin(Math.sqrt(h));
  }

  @Test
  void theHandComputedDistancesAreWhatTheFixtureSays() {
    double[] c = POINTS.get("center");
    assertThat(haversine(c, POINTS.get("north1k"))).isBetween(1000.0, 1001.5);
    assertThat(haversine(c, POINTS.get("east1k"))).isBetween(999.0, 1000.0);
    assertThat(haversine(c, POINTS.get("north2k"))).isBetween(2001.0, 2002.0);
    assertThat(haversine(c, POINTS.get("east3k"))).isBetween(2998.0, 2999.0);
    assertThat(haversine(POINTS.get("oslo1"), POINTS.get("oslo2"))).isBetween(55_597.0, 55_597.1);
  }

  @Test
  void nearMaxDistanceFindsExactlyThePointsTheHaversineFormulaPutsWithinIt() {
    for (double radius : new double[] {500, 1500, 2500, 5000, 100_000}) {
      List<String> expected = new ArrayList<>();
      POINTS.forEach((name, p) -> {
        double d = haversine(POINTS.get("center"), p);
        assertThat(Math.abs(d - radius) / radius).as("%s is too close to the radius", name).isGreaterThan(0.005);
        if (d <= radius) {
          expected.add(name);
        }
      });
      assertThat(ids("type=Meter&" + geo("near;maxDistance==" + (long) radius, "Point", "[5,52]")))
          .as("radius %s", radius).containsExactlyInAnyOrderElementsOf(expected);
    }
    assertThat(ids("type=Meter&" + geo("near;maxDistance==1500", "Point", "[5,52]")))
        .containsExactlyInAnyOrder("center", "north1k", "east1k");
  }

  @Test
  void nearMinDistanceFindsThePointsFartherAway() {
    assertThat(ids("type=Meter&" + geo("near;minDistance==2500", "Point", "[5,52]")))
        .containsExactlyInAnyOrder("east3k", "far", "oslo1", "oslo2", "dateline");
  }

  @Test
  void nearIsMeasuredOnTheSphereNotInDegrees() {
    // At 60°N one degree of longitude is 55 597 m, half a degree of latitude.
    assertThat(ids("type=Meter&" + geo("near;maxDistance==56000", "Point", "[4,60]")))
        .containsExactlyInAnyOrder("oslo1", "oslo2");
    assertThat(ids("type=Meter&" + geo("near;maxDistance==55000", "Point", "[4,60]"))).containsExactly("oslo1");
  }

  @Test
  void nearWorksAcrossTheAntimeridian() {
    assertThat(ids("type=Meter&" + geo("near;maxDistance==2300", "Point", "[-179.99,0]"))).containsExactly("dateline");
    assertThat(ids("type=Meter&" + geo("near;maxDistance==2100", "Point", "[-179.99,0]"))).isEmpty();
  }

  @Test
  void nearMeasuresToTheNearestPointOfALineOrPolygon() {
    // The cable runs along 52.05°N; from (5, 52.06) that is 0.01° of latitude, 1 112 m.
    assertThat(ids("type=Cable&" + geo("near;maxDistance==1200", "Point", "[5,52.06]"))).containsExactly("a");
    assertThat(ids("type=Cable&" + geo("near;maxDistance==1000", "Point", "[5,52.06]"))).isEmpty();
    // Inside the square district the distance is 0.
    assertThat(ids("type=District&" + geo("near;maxDistance==1", "Point", "[5.05,52.05]")))
        .containsExactlyInAnyOrder("square", "shifted");
  }

  @Test
  void withinAPolygonOrMultiPolygon() {
    assertThat(ids("type=Meter&" + geo("within", "Polygon", SQUARE)))
        .containsExactlyInAnyOrder("center", "north1k", "east1k", "north2k", "east3k");
    assertThat(ids("type=Meter&" + geo("within", "MultiPolygon",
        "[[[[4.99,51.99],[5.001,51.99],[5.001,52.001],[4.99,52.001],[4.99,51.99]]],"
            + "[[[5.9,51.9],[6.1,51.9],[6.1,52.1],[5.9,52.1],[5.9,51.9]]]]")))
        .containsExactlyInAnyOrder("center", "far");
  }

  @Test
  void containsIntersectsEqualsDisjointAndOverlaps() {
    assertThat(ids("type=District&" + geo("contains", "Point", "[4.95,51.95]"))).containsExactly("square");
    assertThat(ids(geo("intersects", "LineString", "[[5.05,51.95],[5.05,52.15]]")))
        .containsExactlyInAnyOrder("square", "shifted", "a");
    assertThat(ids(geo("equals", "Polygon", "[[[5.1,51.9],[5.1,52.1],[4.9,52.1],[4.9,51.9],[5.1,51.9]]]")))
        .containsExactly("square");
    assertThat(ids("type=District,Cable&" + geo("disjoint", "Point", "[4.95,51.95]")))
        .containsExactlyInAnyOrder("shifted", "a");
    assertThat(ids(geo("overlaps", "Polygon", SQUARE))).containsExactly("shifted");
  }

  @Test
  void geopropertyChoosesTheAttribute() {
    assertThat(ids(geo("near;maxDistance==10", "Point", "[5,52]") + "&geoproperty=site")).containsExactly("g");
    assertThat(ids("type=Gateway&" + geo("near;maxDistance==10", "Point", "[5,52]"))).isEmpty();
    assertThat(ids("type=Gateway&" + geo("near;maxDistance==10", "Point", "[10,50]") + "&geoproperty=location"))
        .containsExactly("g");
  }

  @Test
  void combinesWithQAndCounts() {
    assertThat(ids("type=Meter&q=" + Api.q("kind==\"east\"") + "&" + geo("within", "Polygon", SQUARE)))
        .containsExactlyInAnyOrder("east1k", "east3k");
    Api.Response r = t.get(V1 + "/entities?type=Meter&count=true&limit=0&" + geo("within", "Polygon", SQUARE));
    assertThat(r.header("NGSILD-Results-Count")).contains("5");
  }

  @Test
  void aMovedEntityIsFoundAtItsNewPlaceOnlyAndADeletedOneNowhere() {
    String id = newId("Meter");
    assertThat(t.post(V1 + "/entities", """
        {"id":"%s","type":"Roamer","location":{"type":"Point","coordinates":[20,40]}}""".formatted(id)).status())
        .isEqualTo(201);
    assertThat(ids("type=Roamer&" + geo("near;maxDistance==100", "Point", "[20,40]"))).hasSize(1);
    Api.Response moved = t.patch(V1 + "/entities/" + id + "/attrs",
        "{\"location\":{\"type\":\"GeoProperty\",\"value\":{\"type\":\"Point\",\"coordinates\":[21,41]}}}");
    assertThat(moved.status()).as(moved.toString()).isEqualTo(204);
    assertThat(ids("type=Roamer&" + geo("near;maxDistance==100", "Point", "[20,40]"))).isEmpty();
    assertThat(ids("type=Roamer&" + geo("near;maxDistance==100", "Point", "[21,41]"))).hasSize(1);
    assertThat(t.delete(V1 + "/entities/" + id).status()).isEqualTo(204);
    assertThat(ids("type=Roamer&" + geo("near;maxDistance==100", "Point", "[21,41]"))).isEmpty();
  }

  @Test
  void theBatchQueryTakesAGeoQ() {
    Api.Response r = t.post(V1 + "/entityOperations/query", """
        {"type":"Query","entities":[{"type":"Meter"}],
         "geoQ":{"georel":"near;maxDistance==1500","geometry":"Point","coordinates":[5,52]}}""");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    r.json().forEach(e -> ids.add(e.path("id").asText()));
    assertThat(ids).containsExactlyInAnyOrder("urn:ngsi-ld:Meter:center", "urn:ngsi-ld:Meter:north1k",
        "urn:ngsi-ld:Meter:east1k");
    Api.Response site = t.post(V1 + "/entityOperations/query", """
        {"type":"Query","geoQ":{"georel":"within","geometry":"Polygon","coordinates":%s,"geoproperty":"site"}}"""
        .formatted(SQUARE));
    assertThat(site.status()).as(site.toString()).isEqualTo(200);
    assertThat(site.json()).hasSize(1);
    assertThat(site.json().get(0).path("id").asText()).isEqualTo("urn:ngsi-ld:Gateway:g");
  }

  private void refused(String query, String detail) {
    Api.Response r = t.get(V1 + "/entities?type=Meter&" + query);
    assertThat(r.status()).as(query + " -> " + r).isEqualTo(400);
    assertThat(r.errorType()).isEqualTo("BadRequestData");
    assertThat(r.json().path("detail").asText()).contains(detail);
  }

  @Test
  void invalidGeoQueriesAreBadRequestDataSayingWhatIsWrong() {
    refused("georel=within&geometry=Polygon", "missing: coordinates");
    refused("geometry=Point&coordinates=" + Api.q("[5,52]"), "missing: georel");
    refused(geo("nearby", "Point", "[5,52]"), "unknown georel 'nearby'");
    refused(geo("near", "Point", "[5,52]"), "near needs");
    refused(geo("near;maxDistance==-1", "Point", "[5,52]"), "non-negative");
    refused(geo("near;maxDistance==1", "Polygon", SQUARE), "needs a Point");
    refused(geo("within", "Circle", "[5,52]"), "unknown geometry 'Circle'");
    refused(geo("within", "Point", "5,52"), "not a JSON array");
    refused(geo("within", "Point", "[5]"), "2 or 3 numbers");
    refused(geo("within", "Point", "[5,91]"), "outside longitude");
    refused(geo("within", "Polygon", "[[[4.9,51.9],[5.1,51.9],[5.1,52.1],[4.9,52.1]]]"), "not closed");
    refused(geo("within", "Polygon", "[[[0,0],[2,2],[2,0],[0,2],[0,0]]]"), "Self-intersection");
    refused(geo("within", "LineString", "[[5,52]]"), "at least 2");
    refused("geoproperty=location", "geoproperty is given without");
  }

  @Test
  void anInvalidGeoQInABatchQueryIsBadRequestData() {
    for (String geoQ : List.of("[1,2]", "{\"georel\":\"within\",\"geometry\":\"Point\"}",
        "{\"georel\":\"within\",\"geometry\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,0.5]]]}",
        "{\"georel\":\"within\",\"geometry\":\"Point\",\"coordinates\":[5,52],\"radius\":1}")) {
      Api.Response r = t.post(V1 + "/entityOperations/query", "{\"type\":\"Query\",\"geoQ\":" + geoQ + "}");
      assertThat(r.status()).as(geoQ + " -> " + r).isEqualTo(400);
      assertThat(r.errorType()).isEqualTo("BadRequestData");
    }
  }

  @Test
  void anEntityWithInvalidGeoJsonIsRefusedAndNothingIsWritten() {
    String id = newId("Meter");
    Api.Response r = t.post(V1 + "/entities", """
        {"id":"%s","type":"Meter","location":{"type":"GeoProperty","value":{"type":"Polygon",
         "coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}}}""".formatted(id));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.errorType()).isEqualTo("BadRequestData");
    assertThat(t.get(V1 + "/entities/" + id).status()).isEqualTo(404);
  }
}

package nl.sleutelbos.ngsild.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.function.UnaryOperator;
import nl.sleutelbos.ngsild.ErrorType;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.ngsild.NgsiLdException;
import nl.sleutelbos.store.GeoExtent;
import org.junit.jupiter.api.Test;

class GeoQueryTest {
  private static final double DEGREE = Sphere.RADIUS * Math.PI / 180;
  private static final String SQUARE = "[[[4,51],[6,51],[6,53],[4,53],[4,51]]]";

  private static GeoQuery query(String georel, String geometry, String coordinates) {
    return GeoQuery.fromParameters(Optional.of(georel), Optional.of(geometry), Optional.of(coordinates),
        Optional.empty()).orElseThrow();
  }

  private static ObjectNode entityAt(String geometry) {
    return (ObjectNode) Json.MAPPER.valueToTree(java.util.Map.of("id", "urn:x", "type", java.util.List.of("T"),
        GeoQuery.LOCATION, java.util.List.of(java.util.Map.of("type", "GeoProperty",
            "value", Json.parseStored(geometry)))));
  }

  private static ObjectNode point(double lon, double lat) {
    return entityAt("{\"type\":\"Point\",\"coordinates\":[" + lon + "," + lat + "]}");
  }

  @Test
  void nearMaxDistanceKeepsPointsUpToThatManyMetres() {
    GeoQuery near = query("near;maxDistance==111500", "Point", "[5,52]");
    assertThat(near.test(point(5, 53))).isTrue(); // 111 195 m north
    assertThat(near.test(point(5, 53.01))).isFalse(); // 112 307 m
    assertThat(near.test(point(6, 52))).isTrue(); // 68 458 m east along the 52nd parallel
  }

  @Test
  void nearMinDistanceKeepsPointsFartherThanThat() {
    GeoQuery far = query("near;minDistance==100000", "Point", "[5,52]");
    assertThat(far.test(point(5, 53))).isTrue();
    assertThat(far.test(point(5, 52.5))).isFalse();
    assertThat(far.searchBox()).isEmpty();
  }

  @Test
  void nearMeasuresToTheNearestPointOfAPolygon() {
    GeoQuery near = query("near;maxDistance==112000", "Point", "[5,50]");
    assertThat(near.test(entityAt("{\"type\":\"Polygon\",\"coordinates\":" + SQUARE + "}"))).isTrue();
    assertThat(query("near;maxDistance==110000", "Point", "[5,50]")
        .test(entityAt("{\"type\":\"Polygon\",\"coordinates\":" + SQUARE + "}"))).isFalse();
  }

  @Test
  void withinContainsIntersectsEqualsDisjointOverlapsRelateTheEntityToTheReference() {
    ObjectNode inside = point(5, 52);
    ObjectNode outside = point(7, 52);
    ObjectNode square = entityAt("{\"type\":\"Polygon\",\"coordinates\":" + SQUARE + "}");
    ObjectNode shifted = entityAt("{\"type\":\"Polygon\",\"coordinates\":[[[5,52],[7,52],[7,54],[5,54],[5,52]]]}");
    assertThat(query("within", "Polygon", SQUARE).test(inside)).isTrue();
    assertThat(query("within", "Polygon", SQUARE).test(outside)).isFalse();
    assertThat(query("contains", "Point", "[5,52]").test(square)).isTrue();
    assertThat(query("contains", "Point", "[7,52]").test(square)).isFalse();
    assertThat(query("intersects", "LineString", "[[3,52],[5,52]]").test(square)).isTrue();
    assertThat(query("intersects", "LineString", "[[3,52],[3.9,52]]").test(square)).isFalse();
    assertThat(query("equals", "Polygon", "[[[6,51],[6,53],[4,53],[4,51],[6,51]]]").test(square)).isTrue();
    assertThat(query("disjoint", "Polygon", SQUARE).test(outside)).isTrue();
    assertThat(query("disjoint", "Polygon", SQUARE).test(inside)).isFalse();
    assertThat(query("overlaps", "Polygon", SQUARE).test(shifted)).isTrue();
    assertThat(query("overlaps", "Polygon", SQUARE).test(square)).isFalse();
  }

  @Test
  void anEntityWithoutTheGeoPropertyMatchesNoRelationNotEvenDisjoint() {
    ObjectNode bare = (ObjectNode) Json.parseStored("{\"id\":\"urn:x\",\"type\":[\"T\"]}");
    assertThat(query("disjoint", "Polygon", SQUARE).test(bare)).isFalse();
  }

  @Test
  void theSearchBoxIsTheReferenceEnvelopeOrTheCircleAroundTheNearPoint() {
    assertThat(query("within", "Polygon", SQUARE).searchBox())
        .contains(new GeoExtent(GeoQuery.LOCATION, 4, 51, 6, 53));
    GeoExtent around = query("near;maxDistance==111195.08", "Point", "[0,0]").searchBox().orElseThrow();
    assertThat(around.north()).isCloseTo(1, org.assertj.core.api.Assertions.within(1e-6));
    assertThat(query("disjoint", "Polygon", SQUARE).searchBox()).isEmpty();
  }

  @Test
  void fromJsonReadsAGeoQueryObjectAndExpandsTheGeoProperty() {
    GeoQuery q = GeoQuery.fromJson(Json.parseStored(
        "{\"georel\":\"near;maxDistance==10\",\"geometry\":\"Point\",\"coordinates\":[5,52],\"geoproperty\":\"site\"}"),
        name -> "https://example.org/" + name);
    assertThat(q.geoproperty()).isEqualTo("https://example.org/site");
    assertThat(q.georel()).isEqualTo(Georel.parse("near;maxDistance==10"));
    // coordinates may also be a string holding the array (older versions of the spec)
    GeoQuery text = GeoQuery.fromJson(Json.parseStored(
        "{\"georel\":\"near;maxDistance==10\",\"geometry\":\"Point\",\"coordinates\":\"[5,52]\"}"),
        UnaryOperator.identity());
    assertThat(text.geoproperty()).isEqualTo(GeoQuery.LOCATION);
    assertThat(GeoQuery.fromJson(q.toJson(), UnaryOperator.identity())).isEqualTo(q);
  }

  @Test
  void noParametersMeanNoGeoQuery() {
    assertThat(GeoQuery.fromParameters(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()))
        .isEmpty();
  }

  @Test
  void everyDefectIsBadRequestDataNamingIt() {
    bad(() -> GeoQuery.fromParameters(Optional.of("within"), Optional.of("Polygon"), Optional.empty(),
        Optional.empty()), "missing: coordinates");
    bad(() -> GeoQuery.fromParameters(Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.of(GeoQuery.LOCATION)), "geoproperty is given without");
    bad(() -> query("nearby", "Point", "[5,52]"), "unknown georel 'nearby'");
    bad(() -> query("near", "Point", "[5,52]"), "near needs");
    bad(() -> query("near;maxDistance==-3", "Point", "[5,52]"), "non-negative");
    bad(() -> query("near;maxDistance==abc", "Point", "[5,52]"), "not a number");
    bad(() -> query("near;maxDistance==1;maxDistance==2", "Point", "[5,52]"), "given twice");
    bad(() -> query("near;minDistance==5;maxDistance==2", "Point", "[5,52]"), "exceeds");
    bad(() -> query("near;radius==2", "Point", "[5,52]"), "unknown modifier 'radius'");
    bad(() -> query("within;maxDistance==2", "Polygon", SQUARE), "takes no modifiers");
    bad(() -> query("near;maxDistance==5", "Polygon", SQUARE), "needs a Point");
    bad(() -> query("within", "Circle", "[5,52]"), "unknown geometry 'Circle'");
    bad(() -> query("within", "Point", "5,52"), "not a JSON array");
    bad(() -> query("within", "Point", "{\"a\":1}"), "must be a JSON array");
    bad(() -> query("within", "Point", "[5]"), "2 or 3 numbers");
    bad(() -> query("within", "Point", "[5,95]"), "outside longitude");
    bad(() -> query("within", "Polygon", "[[[4,51],[6,51],[6,53],[4,53]]]"), "not closed");
    bad(() -> query("within", "Polygon", "[[[4,51],[6,51],[4,51]]]"), "at least 4");
    bad(() -> query("within", "Polygon", "[[[0,0],[2,2],[2,0],[0,2],[0,0]]]"), "Self-intersection");
    bad(() -> GeoQuery.fromJson(Json.parseStored("{\"georel\":\"within\",\"geometry\":\"Point\"}"),
        UnaryOperator.identity()), "geoQ needs 'coordinates'");
    bad(() -> GeoQuery.fromJson(Json.parseClient("[1]".getBytes()), UnaryOperator.identity()), "must be a GeoQuery object");
    bad(() -> GeoQuery.fromJson(Json.parseStored(
        "{\"georel\":\"within\",\"geometry\":\"Point\",\"coordinates\":[1,2],\"radius\":3}"),
        UnaryOperator.identity()), "unknown member 'radius'");
    bad(() -> GeoQuery.fromJson(Json.parseStored(
        "{\"georel\":7,\"geometry\":\"Point\",\"coordinates\":[1,2]}"), UnaryOperator.identity()), "must be a string");
  }

  private static void bad(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String detail) {
    assertThatThrownBy(call).isInstanceOfSatisfying(NgsiLdException.class,
        e -> assertThat(e.type()).isEqualTo(ErrorType.BAD_REQUEST_DATA)).hasMessageContaining(detail);
  }
}

package nl.sleutelbos.ngsild.geo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import nl.sleutelbos.ngsild.ErrorType;
import nl.sleutelbos.ngsild.NgsiLdException;

/**
 * Whatever a client sends as a geo-query, the parser answers with a query or a client error,
 * never anything else; a query survives its JSON form; and near agrees with the haversine formula.
 */
class GeoQueryProperties {

  @Provide
  Arbitrary<String> georels() {
    return Arbitraries.oneOf(
        Arbitraries.of("near;maxDistance==10", "near;minDistance==3", "within", "contains", "intersects",
            "equals", "disjoint", "overlaps", "near;maxDistance==1e3", "near;maxDistance==1.5"),
        Arbitraries.strings().withChars("near;maxDistance=minwthoc0123456789.-eE ").ofMaxLength(30),
        Arbitraries.strings().all().ofMaxLength(15));
  }

  @Provide
  Arbitrary<String> coordinates() {
    return Arbitraries.oneOf(
        Arbitraries.of("[5,52]", "[[4,51],[6,51]]", "[[[4,51],[6,51],[6,53],[4,53],[4,51]]]",
            "[[[[4,51],[6,51],[6,53],[4,53],[4,51]]]]", "[]", "[[]]"),
        Arbitraries.strings().withChars("[],0123456789.-e ").ofMaxLength(40),
        Arbitraries.strings().all().ofMaxLength(15));
  }

  @Provide
  Arbitrary<String> geometries() {
    return Arbitraries.oneOf(Arbitraries.of(GeoJson.GEOMETRY_TYPES.toArray(String[]::new)),
        Arbitraries.strings().ofMaxLength(10));
  }

  @Property(tries = 2000)
  void anyInputGivesAQueryOrBadRequestData(@ForAll("georels") String georel,
      @ForAll("geometries") String geometry, @ForAll("coordinates") String coordinates) {
    try {
      GeoQuery q = GeoQuery.fromParameters(Optional.of(georel), Optional.of(geometry), Optional.of(coordinates),
          Optional.empty()).orElseThrow();
      assertThat(GeoQuery.fromJson(q.toJson(), UnaryOperator.identity())).isEqualTo(q);
      assertThat(Georel.parse(q.georel().text())).isEqualTo(q.georel());
    } catch (NgsiLdException e) {
      assertThat(e.type()).isEqualTo(ErrorType.BAD_REQUEST_DATA);
    }
  }

  @Property
  void nearAgreesWithTheHaversineFormula(@ForAll @DoubleRange(min = -179, max = 179) double lon,
      @ForAll @DoubleRange(min = -89, max = 89) double lat, @ForAll @DoubleRange(min = -2, max = 2) double dLon,
      @ForAll @DoubleRange(min = -1, max = 1) double dLat, @ForAll @DoubleRange(min = 1, max = 300_000) double radius) {
    double lon2 = Math.max(-180, Math.min(180, lon + dLon));
    double lat2 = Math.max(-90, Math.min(90, lat + dLat));
    GeoQuery near = GeoQuery.fromParameters(Optional.of("near;maxDistance==" + Math.round(radius)),
        Optional.of("Point"), Optional.of("[" + lon + "," + lat + "]"), Optional.empty()).orElseThrow();
    double h = haversine(lon, lat, lon2, lat2);
    if (Math.abs(h - Math.round(radius)) > 1e-3) {
      boolean expected = h <= Math.round(radius);
      var entity = nl.sleutelbos.ngsild.Json.parseStored("{\"id\":\"urn:x\",\"type\":[\"T\"],\""
          + GeoQuery.LOCATION + "\":[{\"type\":\"GeoProperty\",\"value\":{\"type\":\"Point\",\"coordinates\":["
          + lon2 + "," + lat2 + "]}}]}");
      assertThat(near.test(entity)).as("distance %s, radius %s", h, Math.round(radius)).isEqualTo(expected);
      var box = near.searchBox().orElseThrow();
      if (expected) {
        assertThat(lon2 >= box.west() && lon2 <= box.east() && lat2 >= box.south() && lat2 <= box.north())
            .as("the search box holds every match").isTrue();
      }
    }
  }

  /** The haversine formula, written out afresh here so that the test does not trust Sphere. */
  private static double haversine(double lon1, double lat1, double lon2, double lat2) {
    double r = 6_371_008.8;
    double a = Math.pow(Math.sin(Math.toRadians(lat2 - lat1) / 2), 2) + Math.cos(Math.toRadians(lat1))
        * Math.cos(Math.toRadians(lat2)) * Math.pow(Math.sin(Math.toRadians(lon2 - lon1) / 2), 2);
    return 2 * r * Math.atan2(Math.sqrt(a), Math.sqrt(1 - a));
  }
}

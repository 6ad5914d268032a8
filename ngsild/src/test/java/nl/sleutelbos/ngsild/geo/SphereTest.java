package nl.sleutelbos.ngsild.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;

/** Known answers worked out by hand from the haversine formula with R = 6 371 008.8 m. */
class SphereTest {
  private static final double DEGREE = Sphere.RADIUS * Math.PI / 180; // 111 195.08 m
  private static final GeometryFactory F = new GeometryFactory();

  @Test
  void oneDegreeAlongTheEquatorOrAMeridianIsRTimesPiOver180() {
    assertThat(Sphere.distance(0, 0, 1, 0)).isCloseTo(111_195.08, within(0.01));
    assertThat(Sphere.distance(5, 52, 5, 53)).isCloseTo(DEGREE, within(1e-6));
  }

  @Test
  void aQuarterOfTheEquatorAndPoleToEquatorAreAQuarterCircumference() {
    assertThat(Sphere.distance(0, 0, 90, 0)).isCloseTo(Math.PI / 2 * Sphere.RADIUS, within(1e-6));
    assertThat(Sphere.distance(17, 0, -40, 90)).isCloseTo(Math.PI / 2 * Sphere.RADIUS, within(1e-6));
  }

  @Test
  void oneDegreeOfLongitudeAt60NorthFollowsTheHaversineFormula() {
    // h = cos²(60°)·sin²(0.5°) → d = 2R·asin(0.5·sin 0.5°) = 55 597.0 m; the great circle cuts
    // inside the parallel, which is 0.5 m longer (R·cos 60°·π/180 = 55 597.5 m).
    double expected = 2 * Sphere.RADIUS * Math.asin(0.5 * Math.sin(Math.toRadians(0.5)));
    assertThat(Sphere.distance(4, 60, 5, 60)).isCloseTo(expected, within(1e-6));
    assertThat(expected).isCloseTo(55_597.01, within(0.01));
  }

  @Test
  void distancesAcrossTheAntimeridianTakeTheShortWay() {
    assertThat(Sphere.distance(179.5, 0, -179.5, 0)).isCloseTo(DEGREE, within(1e-6));
  }

  @Test
  void aPointInsideAPolygonIsAtDistanceZero() {
    assertThat(Sphere.distance(5, 52, square(4, 51, 6, 53))).isZero();
  }

  @Test
  void distanceToAPolygonIsToItsNearestEdge() {
    // The southern edge is the great-circle arc from (4, 51) to (6, 51); by symmetry its point
    // nearest to (5, 50) is on the 5°E meridian, where the arc bulges north to
    // atan(tan 51° / cos 1°) = 51.0043°N. So the distance is 1.0043 degrees of arc.
    double top = Math.toDegrees(Math.atan(Math.tan(Math.toRadians(51)) / Math.cos(Math.toRadians(1))));
    assertThat(top).isCloseTo(51.0043, within(1e-4));
    double d = Sphere.distance(5, 50, square(4, 51, 6, 53));
    assertThat(d).isCloseTo((top - 50) * DEGREE, within(1e-3));
  }

  @Test
  void distanceToALineIsToTheGreatCircleArcNotOnlyItsVertices() {
    Geometry line = F.createLineString(new Coordinate[] {new Coordinate(0, 0), new Coordinate(10, 0)});
    assertThat(Sphere.distance(5, 1, line)).isCloseTo(DEGREE, within(1e-6));
    assertThat(Sphere.distance(12, 0, line)).isCloseTo(2 * DEGREE, within(1e-6));
  }

  @Test
  void theBoxAroundAPointHoldsThePointsAtThatDistanceInEveryDirection() {
    LonLatBox box = Sphere.around(5, 52, 10_000);
    for (int bearing = 0; bearing < 360; bearing += 15) {
      double[] p = Sphere.destination(5, 52, bearing, 10_000);
      assertThat(box.contains(p[0], p[1])).as("bearing %d: %s", bearing, box).isTrue();
    }
    assertThat(box.north() - box.south()).isCloseTo(2 * 10_000 / DEGREE, within(1e-8));
  }

  @Test
  void theBoxSpansAllLongitudesNearAPoleOrAcrossTheAntimeridian() {
    LonLatBox pole = Sphere.around(30, 89.95, 10_000);
    assertThat(pole.west()).isEqualTo(-180);
    assertThat(pole.east()).isEqualTo(180);
    assertThat(pole.north()).isEqualTo(90);
    assertThat(pole.south()).isCloseTo(89.95 - 10_000 / DEGREE, within(1e-8));
    LonLatBox dateLine = Sphere.around(179.99, 0, 10_000);
    assertThat(dateLine.west()).isEqualTo(-180);
    assertThat(dateLine.east()).isEqualTo(180);
  }

  @Test
  void anArcsExtentReachesItsHighestLatitude() {
    // The great circle from (-60, 60) to (60, 60) passes the 0° meridian at
    // atan(tan 60° / cos 60°) = atan(2·√3) = 73.898°N.
    Geometry line = F.createLineString(new Coordinate[] {new Coordinate(-60, 60), new Coordinate(60, 60)});
    LonLatBox extent = Sphere.extent(line);
    assertThat(extent.north()).isCloseTo(Math.toDegrees(Math.atan(2 * Math.sqrt(3))), within(1e-9));
    assertThat(extent.south()).isEqualTo(60);
    assertThat(extent.west()).isEqualTo(-60);
    assertThat(extent.east()).isEqualTo(60);
  }

  static Geometry square(double west, double south, double east, double north) {
    return F.createPolygon(new Coordinate[] {new Coordinate(west, south), new Coordinate(east, south),
        new Coordinate(east, north), new Coordinate(west, north), new Coordinate(west, south)});
  }
}

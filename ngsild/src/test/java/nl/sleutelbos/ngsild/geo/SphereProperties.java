package nl.sleutelbos.ngsild.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.GeometryFactory;

/** The sphere's functions agree with each other wherever on Earth they are used. */
class SphereProperties {
  private static final GeometryFactory F = new GeometryFactory();

  @Property
  void goingSomeMetresLandsThatFarAway(@ForAll @DoubleRange(min = -180, max = 180) double lon,
      @ForAll @DoubleRange(min = -89.9, max = 89.9) double lat, @ForAll @DoubleRange(min = 0, max = 360) double bearing,
      @ForAll @DoubleRange(min = 1, max = 5_000_000) double metres) {
    double[] p = Sphere.destination(lon, lat, bearing, metres);
    assertThat(Sphere.distance(lon, lat, p[0], p[1])).isCloseTo(metres, within(metres * 1e-9 + 1e-3));
  }

  @Property
  void theBoxAroundAPointHoldsEveryPointWithinTheDistance(@ForAll @DoubleRange(min = -180, max = 180) double lon,
      @ForAll @DoubleRange(min = -90, max = 90) double lat, @ForAll @DoubleRange(min = 0, max = 360) double bearing,
      @ForAll @DoubleRange(min = 0, max = 1) double fraction, @ForAll @DoubleRange(min = 1, max = 3_000_000) double metres) {
    double[] p = Sphere.destination(lon, lat, bearing, metres * fraction);
    LonLatBox box = Sphere.around(lon, lat, metres);
    // Tolerance only for rounding of the destination itself, which is ill-conditioned at a pole
    // (asin near 1); 1e-7 degrees is 1 cm.
    LonLatBox grown = new LonLatBox(box.west() - 1e-7, box.south() - 1e-7, box.east() + 1e-7, box.north() + 1e-7);
    assertThat(grown.contains(p[0], p[1])).as("%s from (%s, %s) in %s", java.util.Arrays.toString(p), lon, lat, box).isTrue();
  }

  @Property
  void theDistanceToALineIsAtMostTheDistanceToAnyPointOnIt(
      @ForAll @DoubleRange(min = -170, max = 170) double lon1, @ForAll @DoubleRange(min = -80, max = 80) double lat1,
      @ForAll @DoubleRange(min = -5, max = 5) double dLon, @ForAll @DoubleRange(min = -5, max = 5) double dLat,
      @ForAll @DoubleRange(min = -180, max = 180) double lon, @ForAll @DoubleRange(min = -90, max = 90) double lat,
      @ForAll @DoubleRange(min = 0, max = 1) double t) {
    double lon2 = lon1 + dLon;
    double lat2 = lat1 + dLat;
    var line = F.createLineString(new Coordinate[] {new Coordinate(lon1, lat1), new Coordinate(lon2, lat2)});
    double d = Sphere.distance(lon, lat, line);
    double toEnds = Math.min(Sphere.distance(lon, lat, lon1, lat1), Sphere.distance(lon, lat, lon2, lat2));
    assertThat(d).isLessThanOrEqualTo(toEnds + 1e-6);
    // A point of the arc: slerp between the ends.
    double[] a = Sphere.vector(lon1, lat1);
    double[] b = Sphere.vector(lon2, lat2);
    double[] m = {a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]), a[2] + t * (b[2] - a[2])};
    double mLat = Math.toDegrees(Math.atan2(m[2], Math.hypot(m[0], m[1])));
    double mLon = Math.toDegrees(Math.atan2(m[1], m[0]));
    assertThat(d).isLessThanOrEqualTo(Sphere.distance(lon, lat, mLon, mLat) + 1e-6);
    // ... and that point lies in the line's extent, so the index finds the line from there.
    LonLatBox e = Sphere.extent(line);
    assertThat(new LonLatBox(e.west() - 1e-9, e.south() - 1e-9, e.east() + 1e-9, e.north() + 1e-9)
        .contains(mLon, mLat)).as("(%s, %s) in %s", mLon, mLat, e).isTrue();
  }
}

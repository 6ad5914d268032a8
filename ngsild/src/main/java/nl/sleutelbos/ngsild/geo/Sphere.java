package nl.sleutelbos.ngsild.geo;

import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.Polygonal;

/**
 * Distances and regions on a spherical Earth, for {@code near} queries and the spatial index.
 *
 * <p>The Earth is a sphere of the IUGG mean radius; next to the WGS 84 ellipsoid that errs by at
 * most about 0.5% in distance, which is the tolerance the NGSI-LD {@code near} relation can
 * reasonably promise. Lines between positions are great-circle arcs here, while the topological
 * relations (JTS) treat them as straight in longitude/latitude; {@link #extent} covers both
 * readings, so the index never hides an entity from either.
 *
 * <p>Vectors: a position is turned into a unit vector in Earth-centred coordinates; angles
 * between vectors use {@code atan2(|u×v|, u·v)}, which stays accurate for tiny and for
 * near-antipodal angles where {@code acos} does not.
 */
public final class Sphere {
  /** Mean Earth radius R1 of the IUGG, in metres. */
  public static final double RADIUS = 6_371_008.8;

  private static final GeometryFactory FACTORY = new GeometryFactory();
  private static final double PAD = 1e-9;

  private Sphere() {}

  /** The great-circle distance in metres between two positions, by the haversine formula. */
  public static double distance(double lon1, double lat1, double lon2, double lat2) {
    double phi1 = Math.toRadians(lat1);
    double phi2 = Math.toRadians(lat2);
    double dPhi = phi2 - phi1;
    double dLambda = Math.toRadians(lon2 - lon1);
    double h = sq(Math.sin(dPhi / 2)) + Math.cos(phi1) * Math.cos(phi2) * sq(Math.sin(dLambda / 2));
    return 2 * RADIUS * Math.asin(Math.min(1, Math.sqrt(h)));
  }

  /**
   * The position reached from (lon, lat) going {@code metres} along the great circle that starts
   * with {@code bearing} degrees clockwise from north; longitude normalised to [-180, 180].
   */
  public static double[] destination(double lon, double lat, double bearing, double metres) {
    double delta = metres / RADIUS;
    double phi1 = Math.toRadians(lat);
    double theta = Math.toRadians(bearing);
    double sinPhi2 = Math.sin(phi1) * Math.cos(delta) + Math.cos(phi1) * Math.sin(delta) * Math.cos(theta);
    double phi2 = Math.asin(Math.max(-1, Math.min(1, sinPhi2)));
    double lambda2 = Math.toRadians(lon) + Math.atan2(Math.sin(theta) * Math.sin(delta) * Math.cos(phi1),
        Math.cos(delta) - Math.sin(phi1) * sinPhi2);
    double lon2 = Math.toDegrees(lambda2);
    lon2 = ((lon2 + 540) % 360) - 180;
    return new double[] {lon2, Math.toDegrees(phi2)};
  }

  /**
   * The smallest non-wrapping box that holds every position within {@code metres} of (lon, lat).
   * Near a pole the circle holds the pole, so the box spans every longitude; across the
   * antimeridian it spans every longitude too (see {@link LonLatBox}).
   */
  public static LonLatBox around(double lon, double lat, double metres) {
    double delta = metres / RADIUS;
    if (delta >= Math.PI) {
      return LonLatBox.WORLD;
    }
    // PAD (0.1 mm) keeps a point exactly on the circle inside despite rounding.
    double dLat = Math.toDegrees(delta) + PAD;
    double south = lat - dLat;
    double north = lat + dLat;
    if (south <= -90 || north >= 90) {
      return new LonLatBox(-180, Math.max(south, -90), 180, Math.min(north, 90));
    }
    // The circle's widest longitude is reached off the start's parallel (towards the pole), at
    // asin(sin δ / cos φ) (Chamberlain, "Finding points within a distance of a lat/long").
    double s = Math.sin(delta) / Math.cos(Math.toRadians(lat));
    if (s >= 1) {
      return new LonLatBox(-180, south, 180, north);
    }
    double dLon = Math.toDegrees(Math.asin(s)) + PAD;
    if (lon - dLon < -180 || lon + dLon > 180) {
      return new LonLatBox(-180, south, 180, north);
    }
    return new LonLatBox(lon - dLon, south, lon + dLon, north);
  }

  /**
   * The distance in metres from a position to a geometry: to the nearest vertex or great-circle
   * arc of its boundary, and 0 for a position inside a polygon (the inside test is the planar one
   * that the topological relations use).
   */
  public static double distance(double lon, double lat, Geometry g) {
    double[] p = vector(lon, lat);
    double best = Double.POSITIVE_INFINITY;
    if (g instanceof Polygonal && g.covers(FACTORY.createPoint(new Coordinate(lon, lat)))) {
      return 0;
    }
    for (int i = 0; i < g.getNumGeometries(); i++) {
      Geometry part = g.getGeometryN(i);
      switch (part) {
        case Point point -> best = Math.min(best, angle(p, vector(point.getX(), point.getY())));
        case LineString line -> best = Math.min(best, toLine(p, line.getCoordinates()));
        case Polygon polygon -> {
          best = Math.min(best, toLine(p, polygon.getExteriorRing().getCoordinates()));
          for (int r = 0; r < polygon.getNumInteriorRing(); r++) {
            best = Math.min(best, toLine(p, polygon.getInteriorRingN(r).getCoordinates()));
          }
        }
        default -> throw new IllegalArgumentException("unsupported geometry " + part.getGeometryType());
      }
    }
    return best * RADIUS;
  }

  /**
   * A box holding the geometry both as drawn in longitude/latitude and with great-circle arcs
   * between its positions (an arc bulges towards the pole, beyond its ends' latitudes).
   */
  public static LonLatBox extent(Geometry g) {
    var env = g.getEnvelopeInternal();
    LonLatBox box = new LonLatBox(env.getMinX(), env.getMinY(), env.getMaxX(), env.getMaxY());
    Coordinate[] all = g.getCoordinates();
    for (int part = 0; part < g.getNumGeometries(); part++) {
      Geometry piece = g.getGeometryN(part);
      for (Coordinate[] line : lines(piece)) {
        for (int i = 0; i + 1 < line.length; i++) {
          box = box.union(arcBox(line[i], line[i + 1]));
        }
      }
    }
    return all.length == 0 ? LonLatBox.WORLD : box;
  }

  private static Coordinate[][] lines(Geometry piece) {
    return switch (piece) {
      case LineString line -> new Coordinate[][] {line.getCoordinates()};
      case Polygon polygon -> {
        Coordinate[][] rings = new Coordinate[1 + polygon.getNumInteriorRing()][];
        rings[0] = polygon.getExteriorRing().getCoordinates();
        for (int r = 0; r < polygon.getNumInteriorRing(); r++) {
          rings[r + 1] = polygon.getInteriorRingN(r).getCoordinates();
        }
        yield rings;
      }
      default -> new Coordinate[0][];
    };
  }

  /** The box of the great-circle arc from a to b (the shorter one). */
  private static LonLatBox arcBox(Coordinate a, Coordinate b) {
    double south = Math.min(a.y, b.y);
    double north = Math.max(a.y, b.y);
    double dLon = b.x - a.x;
    if (Math.abs(dLon) > 180) {
      // The shorter arc crosses the antimeridian: only the full longitude range holds it.
      return new LonLatBox(-180, south, 180, north);
    }
    double[] u = vector(a.x, a.y);
    double[] v = vector(b.x, b.y);
    double[] n = cross(u, v);
    double len = norm(n);
    if (len > 1e-15) {
      // The great circle's extreme latitudes are at the points closest to the poles; they count
      // only if they lie on the arc, i.e. between a and b.
      double top = Math.toDegrees(Math.acos(Math.min(1, Math.abs(n[2] / len))));
      double[] highest = {-n[0] * n[2], -n[1] * n[2], n[0] * n[0] + n[1] * n[1]}; // z - (z·n)n, unnormalised
      if (norm(highest) > 1e-15) {
        if (between(u, v, n, highest)) {
          north = Math.max(north, top);
        }
        double[] lowest = {-highest[0], -highest[1], -highest[2]};
        if (between(u, v, n, lowest)) {
          south = Math.min(south, -top);
        }
      }
    }
    return new LonLatBox(Math.min(a.x, b.x), south, Math.max(a.x, b.x), north);
  }

  /** The smallest angle (radians) from unit vector p to the polyline of great-circle arcs. */
  private static double toLine(double[] p, Coordinate[] line) {
    double best = Double.POSITIVE_INFINITY;
    double[] prev = null;
    for (Coordinate c : line) {
      double[] v = vector(c.x, c.y);
      best = Math.min(best, angle(p, v));
      if (prev != null) {
        best = Math.min(best, toArc(p, prev, v));
      }
      prev = v;
    }
    return best;
  }

  /** The angle from p to the arc a–b, if its nearest point is inside the arc; else infinity. */
  private static double toArc(double[] p, double[] a, double[] b) {
    double[] n = cross(a, b);
    double len = norm(n);
    if (len < 1e-15) {
      return Double.POSITIVE_INFINITY; // a and b coincide (or are antipodal): the vertices count
    }
    n = scale(n, 1 / len);
    double pn = dot(p, n);
    double[] foot = {p[0] - pn * n[0], p[1] - pn * n[1], p[2] - pn * n[2]};
    if (norm(foot) < 1e-15 || !between(a, b, n, foot)) {
      return Double.POSITIVE_INFINITY;
    }
    return Math.abs(Math.asin(Math.max(-1, Math.min(1, pn))));
  }

  /** Whether c (on the great circle through a and b, with normal n) lies on the arc from a to b. */
  private static boolean between(double[] a, double[] b, double[] n, double[] c) {
    return dot(cross(a, c), n) >= 0 && dot(cross(c, b), n) >= 0;
  }

  static double[] vector(double lon, double lat) {
    double phi = Math.toRadians(lat);
    double lambda = Math.toRadians(lon);
    return new double[] {Math.cos(phi) * Math.cos(lambda), Math.cos(phi) * Math.sin(lambda), Math.sin(phi)};
  }

  private static double angle(double[] u, double[] v) {
    return Math.atan2(norm(cross(u, v)), dot(u, v));
  }

  private static double[] cross(double[] u, double[] v) {
    return new double[] {u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]};
  }

  private static double dot(double[] u, double[] v) {
    return u[0] * v[0] + u[1] * v[1] + u[2] * v[2];
  }

  private static double norm(double[] u) {
    return Math.sqrt(dot(u, u));
  }

  private static double[] scale(double[] u, double f) {
    return new double[] {u[0] * f, u[1] * f, u[2] * f};
  }

  private static double sq(double x) {
    return x * x;
  }
}

package nl.sleutelbos.ngsild.geo;

import com.fasterxml.jackson.databind.JsonNode;
import nl.sleutelbos.ngsild.NgsiLdException;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.operation.valid.IsValidOp;
import org.locationtech.jts.operation.valid.TopologyValidationError;

/**
 * GeoJSON geometries (RFC 7946) as JTS geometries with x = longitude and y = latitude. A third
 * coordinate (altitude) is kept by JTS and ignored by every relation we use.
 */
public final class Geometries {
  private static final GeometryFactory FACTORY = new GeometryFactory();

  private Geometries() {}

  /**
   * The JTS form of a GeoJSON geometry that {@link GeoJson#validate} already accepted (the
   * value of a stored GeoProperty).
   */
  public static Geometry of(JsonNode geometry) {
    JsonNode c = geometry.get("coordinates");
    return switch (geometry.get("type").asText()) {
      case "Point" -> point(c);
      case "MultiPoint" -> {
        Point[] points = new Point[c.size()];
        for (int i = 0; i < points.length; i++) {
          points[i] = point(c.get(i));
        }
        yield FACTORY.createMultiPoint(points);
      }
      case "LineString" -> line(c);
      case "MultiLineString" -> {
        LineString[] lines = new LineString[c.size()];
        for (int i = 0; i < lines.length; i++) {
          lines[i] = line(c.get(i));
        }
        yield FACTORY.createMultiLineString(lines);
      }
      case "Polygon" -> polygon(c);
      case "MultiPolygon" -> {
        Polygon[] polygons = new Polygon[c.size()];
        for (int i = 0; i < polygons.length; i++) {
          polygons[i] = polygon(c.get(i));
        }
        yield FACTORY.createMultiPolygon(polygons);
      }
      default -> throw new IllegalArgumentException("not a geometry type: " + geometry.get("type"));
    };
  }

  /**
   * Validates a reference geometry given by a client: well-formed GeoJSON (BadRequestData naming
   * the defect otherwise) and, for polygons, valid in the OGC sense — a self-intersecting ring has
   * no inside, so no relation to it would mean anything.
   */
  public static Geometry reference(JsonNode geometry) {
    GeoJson.validateIn("the geo-query", geometry);
    Geometry g = of(geometry);
    TopologyValidationError error = new IsValidOp(g).getValidationError();
    if (error != null) {
      throw NgsiLdException.badRequest("invalid " + g.getGeometryType() + " in the geo-query: "
          + error.getMessage() + " at " + error.getCoordinate());
    }
    return g;
  }

  private static Point point(JsonNode p) {
    return FACTORY.createPoint(coordinate(p));
  }

  private static LineString line(JsonNode positions) {
    return FACTORY.createLineString(coordinates(positions));
  }

  private static Polygon polygon(JsonNode rings) {
    LinearRing shell = FACTORY.createLinearRing(coordinates(rings.get(0)));
    LinearRing[] holes = new LinearRing[rings.size() - 1];
    for (int i = 1; i < rings.size(); i++) {
      holes[i - 1] = FACTORY.createLinearRing(coordinates(rings.get(i)));
    }
    return FACTORY.createPolygon(shell, holes);
  }

  private static Coordinate[] coordinates(JsonNode positions) {
    Coordinate[] out = new Coordinate[positions.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = coordinate(positions.get(i));
    }
    return out;
  }

  private static Coordinate coordinate(JsonNode p) {
    return p.size() > 2
        ? new Coordinate(p.get(0).asDouble(), p.get(1).asDouble(), p.get(2).asDouble())
        : new Coordinate(p.get(0).asDouble(), p.get(1).asDouble());
  }
}

package nl.sleutelbos.ngsild.geo;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import nl.sleutelbos.ngsild.NgsiLdException;

/**
 * Validation of GeoJSON geometries (RFC 7946, clause 3.1) as NGSI-LD GeoProperty values.
 * Positions must have 2 or 3 numbers with longitude in [-180, 180] and latitude in [-90, 90];
 * polygon rings must be closed and have at least four positions.
 */
public final class GeoJson {
  public static final Set<String> GEOMETRY_TYPES = Set.of(
      "Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon");

  private GeoJson() {}

  /** Whether the node looks like a geometry (a known type and coordinates), without validating it. */
  public static boolean looksLikeGeometry(JsonNode node) {
    return node.isObject() && node.path("type").isTextual()
        && GEOMETRY_TYPES.contains(node.get("type").asText()) && node.has("coordinates");
  }

  /** Throws {@code BadRequestData} naming the attribute and the defect unless the node is a valid geometry. */
  public static void validate(String attribute, JsonNode geometry) {
    check("attribute '" + attribute + "'", geometry);
  }

  /**
   * Throws {@code BadRequestData} naming {@code where} (for example "the geo-query") and the
   * defect unless the node is a valid geometry.
   */
  public static void validateIn(String where, JsonNode geometry) {
    check(where, geometry);
  }

  private static void check(String attribute, JsonNode geometry) {
    if (!geometry.isObject()) {
      throw bad(attribute, "the value must be a GeoJSON geometry object");
    }
    String type = geometry.path("type").asText("");
    if (!GEOMETRY_TYPES.contains(type)) {
      throw bad(attribute, "unknown geometry type '" + type + "'; expected one of " + GEOMETRY_TYPES);
    }
    JsonNode c = geometry.get("coordinates");
    if (c == null || !c.isArray()) {
      throw bad(attribute, type + " needs a 'coordinates' array");
    }
    switch (type) {
      case "Point" -> position(attribute, c);
      case "MultiPoint" -> each(attribute, c, 1, p -> position(attribute, p));
      case "LineString" -> line(attribute, c);
      case "MultiLineString" -> each(attribute, c, 1, l -> line(attribute, l));
      case "Polygon" -> polygon(attribute, c);
      case "MultiPolygon" -> each(attribute, c, 1, p -> polygon(attribute, p));
      default -> throw new IllegalStateException(type);
    }
  }

  private static void line(String attribute, JsonNode c) {
    each(attribute, c, 2, p -> position(attribute, p));
  }

  private static void polygon(String attribute, JsonNode rings) {
    each(attribute, rings, 1, ring -> {
      each(attribute, ring, 4, p -> position(attribute, p));
      if (!ring.get(0).equals(ring.get(ring.size() - 1))) {
        throw bad(attribute, "polygon ring is not closed: first position " + ring.get(0)
            + " differs from last " + ring.get(ring.size() - 1));
      }
    });
  }

  private static void each(String attribute, JsonNode array, int min, java.util.function.Consumer<JsonNode> check) {
    if (!array.isArray() || array.size() < min) {
      throw bad(attribute, "expected an array of at least " + min + " element(s), got " + abbreviate(array));
    }
    array.forEach(check);
  }

  private static void position(String attribute, JsonNode p) {
    if (!p.isArray() || p.size() < 2 || p.size() > 3) {
      throw bad(attribute, "a position needs 2 or 3 numbers, got " + abbreviate(p));
    }
    for (JsonNode n : p) {
      if (!n.isNumber()) {
        throw bad(attribute, "a position holds numbers only, got " + abbreviate(p));
      }
    }
    double lon = p.get(0).asDouble();
    double lat = p.get(1).asDouble();
    if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
      throw bad(attribute, "position " + p + " is outside longitude [-180,180] / latitude [-90,90]");
    }
  }

  private static String abbreviate(JsonNode node) {
    String s = node.toString();
    return s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }

  private static NgsiLdException bad(String where, String detail) {
    return NgsiLdException.badRequest("invalid GeoJSON in " + where + ": " + detail);
  }
}

package nl.sleutelbos.ngsild.geo;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.ngsild.NgsiLdException;
import nl.sleutelbos.ngsild.context.CoreContext;
import nl.sleutelbos.ngsild.entity.Entity;
import nl.sleutelbos.ngsild.query.EntityPredicate;
import nl.sleutelbos.store.GeoExtent;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.TopologyException;

/**
 * A geo-query (ETSI GS CIM 009 v1.8, clauses 4.10 and 5.2.13): a geo-relationship between an
 * entity's geo-property and a reference geometry. Immutable and safe to share between threads.
 *
 * <p>Semantics. An entity matches when any instance of its geo-property (every {@code datasetId})
 * stands in the relation to the reference geometry; an entity without the geo-property matches
 * nothing, not even {@code disjoint}. {@code near} measures on the sphere from the reference
 * point to the nearest point of the entity's geometry ({@link Sphere#distance(double, double,
 * Geometry)}); the topological relations are those of OGC Simple Features in the
 * longitude/latitude plane, computed with JTS (docs/decisions/0002), with the entity's geometry on
 * the left: {@code within} means the entity lies within the reference geometry.
 *
 * <p>Errors. Every defect of a geo-query — missing part, unknown georel, coordinates that are not
 * a JSON array, invalid GeoJSON, an unclosed or self-intersecting polygon, near around anything but
 * a Point — is BadRequestData (clause 5.7.2.4: "the query, geo-query ... not syntactically valid").
 */
public final class GeoQuery implements EntityPredicate {
  /** The default geo-property, {@code location} of the core context. */
  public static final String LOCATION = CoreContext.NAMESPACE + "location";

  private static final Set<String> MEMBERS = Set.of("geometry", "coordinates", "georel", "geoproperty");

  private final Georel georel;
  private final ObjectNode geometry;
  private final String geoproperty;
  private final Geometry reference;

  private GeoQuery(Georel georel, ObjectNode geometry, String geoproperty) {
    this.georel = requireNonNull(georel, "georel is null");
    this.geoproperty = requireNonNull(geoproperty, "geoproperty is null");
    this.reference = Geometries.reference(geometry);
    this.geometry = geometry;
    if (georel instanceof Georel.Near && !(reference instanceof Point)) {
      throw NgsiLdException.badRequest("georel near needs a Point as the reference geometry, got "
          + reference.getGeometryType());
    }
  }

  /**
   * The geo-query of the HTTP query parameters {@code georel}, {@code geometry},
   * {@code coordinates} (a JSON array, as text) and {@code geoproperty} (already expanded to an
   * IRI; {@link #LOCATION} when absent). Empty when none of them is given.
   *
   * @throws NgsiLdException BadRequestData when some are given but not all three of georel,
   *     geometry and coordinates, or when any is invalid
   */
  public static Optional<GeoQuery> fromParameters(Optional<String> georel, Optional<String> geometry,
      Optional<String> coordinates, Optional<String> geoproperty) {
    if (georel.isEmpty() && geometry.isEmpty() && coordinates.isEmpty()) {
      if (geoproperty.isPresent()) {
        throw NgsiLdException.badRequest("geoproperty is given without a geo-query (georel, geometry, coordinates)");
      }
      return Optional.empty();
    }
    List<String> missing = new ArrayList<>();
    georel.ifPresentOrElse(x -> { }, () -> missing.add("georel"));
    geometry.ifPresentOrElse(x -> { }, () -> missing.add("geometry"));
    coordinates.ifPresentOrElse(x -> { }, () -> missing.add("coordinates"));
    if (!missing.isEmpty()) {
      throw NgsiLdException.badRequest("a geo-query needs georel, geometry and coordinates; missing: "
          + String.join(", ", missing));
    }
    return Optional.of(build(georel.get(), geometry.get(), coordinatesText(coordinates.get()),
        geoproperty.orElse(LOCATION)));
  }

  /**
   * The geo-query of a GeoQuery object (clause 5.2.13) as in a batch query's {@code geoQ} or a
   * subscription: members {@code geometry}, {@code coordinates} (an array, or a string holding
   * one), {@code georel} and optionally {@code geoproperty}, which {@code expandName} expands.
   *
   * @throws NgsiLdException BadRequestData naming the defect
   */
  public static GeoQuery fromJson(JsonNode geoQ, UnaryOperator<String> expandName) {
    if (geoQ == null || !geoQ.isObject()) {
      throw NgsiLdException.badRequest("geoQ must be a GeoQuery object, got " + geoQ);
    }
    for (var names = geoQ.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!MEMBERS.contains(name)) {
        throw NgsiLdException.badRequest("unknown member '" + name + "' in geoQ; expected " + MEMBERS);
      }
    }
    for (String required : List.of("geometry", "coordinates", "georel")) {
      if (!geoQ.has(required)) {
        throw NgsiLdException.badRequest("geoQ needs '" + required + "'");
      }
    }
    for (String text : List.of("geometry", "georel", "geoproperty")) {
      if (geoQ.has(text) && !geoQ.get(text).isTextual()) {
        throw NgsiLdException.badRequest("geoQ." + text + " must be a string, got " + geoQ.get(text));
      }
    }
    JsonNode c = geoQ.get("coordinates");
    JsonNode coordinates = c.isTextual() ? coordinatesText(c.asText()) : c;
    String geoproperty = geoQ.has("geoproperty") ? expandName.apply(geoQ.get("geoproperty").asText()) : LOCATION;
    return build(geoQ.get("georel").asText(), geoQ.get("geometry").asText(), coordinates, geoproperty);
  }

  private static GeoQuery build(String georel, String geometry, JsonNode coordinates, String geoproperty) {
    Georel rel = Georel.parse(georel);
    if (!GeoJson.GEOMETRY_TYPES.contains(geometry)) {
      throw NgsiLdException.badRequest("unknown geometry '" + geometry + "'; expected one of "
          + GeoJson.GEOMETRY_TYPES);
    }
    if (!coordinates.isArray()) {
      throw NgsiLdException.badRequest("coordinates must be a JSON array, got " + coordinates);
    }
    ObjectNode g = Json.object();
    g.put("type", geometry);
    g.set("coordinates", coordinates.deepCopy());
    return new GeoQuery(rel, g, geoproperty);
  }

  private static JsonNode coordinatesText(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (JsonProcessingException | RuntimeException e) {
      throw NgsiLdException.badRequest("coordinates '" + abbreviate(text) + "' are not a JSON array of positions");
    }
  }

  public Georel georel() {
    return georel;
  }

  /** The reference geometry as GeoJSON; a copy. */
  public ObjectNode geometry() {
    return geometry.deepCopy();
  }

  /** The expanded IRI of the geo-property the query is about. */
  public String geoproperty() {
    return geoproperty;
  }

  /** Whether the entity matches the geo-query. */
  public boolean matches(Entity entity) {
    return test(entity.document());
  }

  /** Whether the entity, in the internal form, matches the geo-query. */
  @Override
  public boolean test(ObjectNode entity) {
    JsonNode instances = entity.get(geoproperty);
    if (instances == null || !instances.isArray()) {
      return false;
    }
    for (JsonNode instance : instances) {
      JsonNode value = instance.get("value");
      if (!"GeoProperty".equals(instance.path("type").asText()) || value == null
          || !GeoJson.looksLikeGeometry(value)) {
        continue;
      }
      if (relates(value)) {
        return true;
      }
    }
    return false;
  }

  private boolean relates(JsonNode value) {
    Geometry g;
    try {
      g = Geometries.of(value);
      return switch (georel) {
        case Georel.Near near -> {
          Point p = (Point) reference;
          yield near.admits(Sphere.distance(p.getX(), p.getY(), g));
        }
        case Georel.Topological t -> switch (t) {
          case WITHIN -> g.within(reference);
          case CONTAINS -> g.contains(reference);
          case INTERSECTS -> g.intersects(reference);
          case EQUALS -> g.equalsTopo(reference);
          case DISJOINT -> g.disjoint(reference);
          case OVERLAPS -> g.overlaps(reference);
        };
      };
    } catch (TopologyException | IllegalArgumentException e) {
      // A stored geometry that is not valid in the OGC sense (a self-intersecting ring, which
      // GeoJSON allows) has no well-defined relation; it matches nothing rather than fail a query.
      return false;
    }
  }

  /**
   * The box that the geo-property's extent of every matching entity intersects, for the store's
   * spatial index; empty when there is none smaller than the world ({@code disjoint}, and
   * {@code near} with only a minDistance).
   */
  public Optional<GeoExtent> searchBox() {
    return switch (georel) {
      case Georel.Near near when near.maxDistance().isPresent() -> {
        Point p = (Point) reference;
        yield Optional.of(Sphere.around(p.getX(), p.getY(), near.maxDistance().getAsDouble()).toExtent(geoproperty));
      }
      case Georel.Near near -> Optional.empty();
      case Georel.Topological t when t == Georel.Topological.DISJOINT -> Optional.empty();
      case Georel.Topological t -> {
        // Every other relation needs the two point sets to meet, so the entity's geometry meets
        // the reference's envelope; extents hold the planar geometry (Sphere.extent).
        var env = reference.getEnvelopeInternal();
        yield Optional.of(new GeoExtent(geoproperty, env.getMinX(), env.getMinY(), env.getMaxX(), env.getMaxY()));
      }
    };
  }

  /** The GeoQuery object (clause 5.2.13), with the geo-property as its expanded IRI. */
  public ObjectNode toJson() {
    ObjectNode out = Json.object();
    out.put("geometry", geometry.get("type").asText());
    out.set("coordinates", (ArrayNode) geometry.get("coordinates").deepCopy());
    out.put("georel", georel.text());
    out.put("geoproperty", geoproperty);
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GeoQuery other && georel.equals(other.georel) && geometry.equals(other.geometry)
        && geoproperty.equals(other.geoproperty);
  }

  @Override
  public int hashCode() {
    return georel.hashCode() * 31 * 31 + geometry.hashCode() * 31 + geoproperty.hashCode();
  }

  @Override
  public String toString() {
    return "GeoQuery" + toJson();
  }

  private static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }
}

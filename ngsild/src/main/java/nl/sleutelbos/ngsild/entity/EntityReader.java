package nl.sleutelbos.ngsild.entity;

import static nl.sleutelbos.ngsild.entity.Members.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.ngsild.NgsiLdException;
import nl.sleutelbos.ngsild.context.LdContext;
import nl.sleutelbos.ngsild.geo.GeoJson;

/**
 * Turns a client's entity or attribute fragment, in the normalised or the concise form (clause
 * 4.5.1, 4.5.2), into the internal expanded form described in {@code nl.sleutelbos.ngsild}, and
 * refuses anything invalid with {@code BadRequestData} naming the member at fault. It validates
 * everything before the caller writes anything, so a rejected request writes nothing.
 */
public final class EntityReader {
  /** Characters clause 4.6.2 forbids in names (plus whitespace). */
  private static final Pattern BAD_NAME = Pattern.compile("[<>\"'=;()\\s&?/#\\\\]");
  private static final Pattern URI = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:[^\\s<>\"{}|\\\\^`]+");
  private static final String CORE = nl.sleutelbos.ngsild.context.CoreContext.NAMESPACE;

  private final LdContext context;
  /** Whether an attribute may hold many instances of one datasetId: its history (temporal API). */
  private final boolean temporal;

  public EntityReader(LdContext context) {
    this(context, false);
  }

  private EntityReader(LdContext context, boolean temporal) {
    this.context = context;
    this.temporal = temporal;
  }

  /**
   * A reader of temporal entities (clause 4.5.7): as {@link #entity} and {@link #fragment} read,
   * but an attribute's array lists instances over time, so a datasetId may repeat.
   */
  public static EntityReader temporal(LdContext context) {
    return new EntityReader(context, true);
  }

  /** A whole entity, as in create, replace and batch operations; {@code id} and {@code type} are required. */
  public ObjectNode entity(JsonNode body) {
    ObjectNode in = requireObject(body, "entity");
    ObjectNode out = Json.object();
    out.put(ID, requireUri(in.get(ID), "entity id"));
    out.set(TYPE, types(in.get(TYPE)));
    copyScope(in, out);
    attributes(in, out, true);
    return out;
  }

  /**
   * A fragment of attributes, as in append, update and merge. {@code id} and {@code type} may be
   * present (clients send them) and must then match; they are returned in the fragment.
   */
  public ObjectNode fragment(JsonNode body, String entityId) {
    ObjectNode in = requireObject(body, "attribute fragment");
    ObjectNode out = Json.object();
    if (in.has(ID) && !entityId.equals(in.get(ID).asText())) {
      throw NgsiLdException.badRequest("the body's id '" + in.get(ID).asText()
          + "' differs from the entity id in the path '" + entityId + "'");
    }
    if (in.has(TYPE)) {
      out.set(TYPE, types(in.get(TYPE)));
    }
    copyScope(in, out);
    attributes(in, out, false);
    return out;
  }

  /** Expands an attribute name given in a path or parameter, checking it first. */
  public String expandName(String name) {
    requireName(name);
    return expand(name);
  }

  /** Expands an entity type name. */
  public String expandType(String name) {
    requireName(name);
    return expand(name);
  }

  /**
   * The IRI of a term. A context may map a term to null (JSON-LD then drops the member) or alias
   * it to a keyword; neither can name an attribute or a type, and dropping data silently would
   * hide the client's mistake, so both are refused.
   */
  private String expand(String name) {
    String iri = context.expandTerm(name);
    if (iri == null) {
      throw NgsiLdException.badRequest("'" + abbreviate(name) + "' is mapped to null by the @context, "
          + "so it cannot name an attribute or a type");
    }
    if (iri.startsWith("@")) {
      throw NgsiLdException.badRequest("'" + abbreviate(name) + "' is an alias of the keyword " + iri
          + " in the @context, so it cannot name an attribute or a type");
    }
    return iri;
  }

  public static String requireUri(JsonNode node, String what) {
    if (node == null || node.isNull()) {
      throw NgsiLdException.badRequest(what + " is missing");
    }
    if (!node.isTextual()) {
      throw NgsiLdException.badRequest(what + " must be a URI string, got " + node.getNodeType());
    }
    return requireUri(node.asText(), what);
  }

  public static String requireUri(String text, String what) {
    if (!URI.matcher(text).matches()) {
      throw NgsiLdException.badRequest(what + " '" + abbreviate(text) + "' is not a URI");
    }
    return text;
  }

  private ArrayNode types(JsonNode node) {
    if (node == null || node.isNull()) {
      throw NgsiLdException.badRequest("entity type is missing");
    }
    ArrayNode out = Json.array();
    if (node.isTextual()) {
      out.add(expandType(node.asText()));
    } else if (node.isArray() && !node.isEmpty()) {
      for (JsonNode t : node) {
        if (!t.isTextual()) {
          throw NgsiLdException.badRequest("entity type must be a string or an array of strings");
        }
        String expanded = expandType(t.asText());
        if (!contains(out, expanded)) {
          out.add(expanded);
        }
      }
    } else {
      throw NgsiLdException.badRequest("entity type must be a string or a non-empty array of strings");
    }
    return out;
  }

  private static boolean contains(ArrayNode array, String text) {
    for (JsonNode n : array) {
      if (n.asText().equals(text)) {
        return true;
      }
    }
    return false;
  }

  private static void copyScope(ObjectNode in, ObjectNode out) {
    JsonNode scope = in.get(SCOPE);
    if (scope == null) {
      return;
    }
    ArrayNode scopes = Json.array();
    for (JsonNode s : scope.isArray() ? scope : Json.array().add(scope)) {
      if (!s.isTextual() || !s.asText().startsWith("/")) {
        throw NgsiLdException.badRequest("scope must be a string or strings starting with '/', got " + s);
      }
      scopes.add(s.asText());
    }
    out.set(SCOPE, scopes);
  }

  private void attributes(ObjectNode in, ObjectNode out, boolean entity) {
    for (Iterator<Map.Entry<String, JsonNode>> it = in.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> member = it.next();
      String name = member.getKey();
      if (ENTITY_MEMBERS.contains(name)) {
        continue; // id, type and scope handled; @context resolved by the caller; system attributes ignored
      }
      requireName(name);
      String iri = expand(name);
      if (out.has(iri)) {
        throw NgsiLdException.badRequest("attribute '" + name + "' is given twice (as a term and as an IRI)");
      }
      out.set(iri, instances(name, iri, member.getValue()));
    }
  }

  /** One attribute: a single instance, or an array of instances distinguished by datasetId. */
  private ArrayNode instances(String name, String iri, JsonNode value) {
    ArrayNode out = Json.array();
    if (value.isArray() && isInstanceArray(value)) {
      if (value.isEmpty()) {
        throw NgsiLdException.badRequest("attribute '" + name + "' has an empty array of instances");
      }
      for (JsonNode instance : value) {
        out.add(instance(name, iri, instance, 0));
      }
      if (!temporal) {
        requireDistinctDatasetIds(name, out);
      }
    } else {
      out.add(instance(name, iri, value, 0));
    }
    return out;
  }

  /** An array is a list of instances when every element is an object that declares what it is. */
  private static boolean isInstanceArray(JsonNode array) {
    if (array.isEmpty()) {
      return true;
    }
    for (JsonNode e : array) {
      if (!e.isObject()) {
        return false;
      }
      boolean declared = (e.path(TYPE).isTextual() && ATTRIBUTE_TYPES.contains(e.get(TYPE).asText()))
          || e.has(VALUE) || e.has(OBJECT) || e.has(LANGUAGE_MAP);
      if (!declared) {
        return false;
      }
    }
    return true;
  }

  private static void requireDistinctDatasetIds(String name, ArrayNode instances) {
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (JsonNode i : instances) {
      String datasetId = i.path(DATASET_ID).asText("@default");
      if (!seen.add(datasetId)) {
        throw NgsiLdException.badRequest("attribute '" + name + "' has two instances with the "
            + (datasetId.equals("@default") ? "default instance (no datasetId)" : "datasetId " + datasetId));
      }
    }
  }

  private ObjectNode instance(String name, String iri, JsonNode node, int depth) {
    if (depth > 8) {
      throw new NgsiLdException(nl.sleutelbos.ngsild.ErrorType.BAD_REQUEST_DATA,
          "attribute '" + name + "' nests sub-attributes deeper than 8 levels");
    }
    return members(name, conciseToNormalized(iri, node), depth, true);
  }

  /**
   * The body of {@code PATCH /entities/{id}/attrs/{attr}} (clause 5.6.4): the members of one
   * instance that change. Unlike a whole attribute it may leave out its type and its value (or
   * object, or languageMap); the members it does give are checked as for a whole attribute.
   */
  public ObjectNode attributePatch(String name, JsonNode body) {
    requireName(name);
    if (!body.isObject()) {
      return instance(name, expandName(name), body, 0); // a bare concise value replaces the value
    }
    ObjectNode in = ((ObjectNode) body).deepCopy();
    in.remove(CONTEXT);
    return members(name, in, 0, false);
  }

  /**
   * Checks and copies the members of one instance in normalised form.
   *
   * @param complete whether the instance must be whole (a new attribute) rather than a patch
   */
  private ObjectNode members(String name, ObjectNode in, int depth, boolean complete) {
    boolean typed = in.path(TYPE).isTextual();
    // A patch without a type is checked as the kind its members say; the stored kind stays.
    String type = typed ? in.get(TYPE).asText()
        : in.has(OBJECT) ? RELATIONSHIP
        : in.has(LANGUAGE_MAP) ? LANGUAGE_PROPERTY
        : in.has(VALUE) && GeoJson.looksLikeGeometry(in.get(VALUE)) ? GEO_PROPERTY
        : PROPERTY;
    if (!ATTRIBUTE_TYPES.contains(type) || (complete && !typed)) {
      throw NgsiLdException.badRequest("attribute '" + name + "' has type '" + in.path(TYPE).asText()
          + "'; expected one of " + ATTRIBUTE_TYPES);
    }
    ObjectNode out = Json.object();
    if (typed) {
      out.put(TYPE, type);
    }
    switch (type) {
      case PROPERTY -> {
        JsonNode value = in.get(VALUE);
        if (value == null || value.isNull()) {
          if (complete) {
            throw NgsiLdException.badRequest("Property '" + name + "' has no value");
          }
        } else {
          out.set(VALUE, value);
        }
      }
      case GEO_PROPERTY -> {
        JsonNode value = in.get(VALUE);
        if (value == null || value.isNull()) {
          if (complete) {
            throw NgsiLdException.badRequest("GeoProperty '" + name + "' has no value");
          }
        } else {
          GeoJson.validate(name, value);
          out.set(VALUE, value);
        }
      }
      case RELATIONSHIP -> {
        JsonNode object = in.get(OBJECT);
        if (object != null || complete) {
          if (object != null && object.isArray() && !object.isEmpty()) {
            object.forEach(o -> requireUri(o, "object of Relationship '" + name + "'"));
          } else {
            requireUri(object, "object of Relationship '" + name + "'");
          }
          out.set(OBJECT, object);
        }
      }
      case LANGUAGE_PROPERTY -> {
        JsonNode map = in.get(LANGUAGE_MAP);
        if (map != null || complete) {
          if (map == null || !map.isObject() || map.isEmpty()) {
            throw NgsiLdException.badRequest("LanguageProperty '" + name + "' needs a non-empty languageMap object");
          }
          map.fields().forEachRemaining(e -> {
            if (!e.getValue().isTextual() && !(e.getValue().isArray() && allText(e.getValue()))) {
              throw NgsiLdException.badRequest("languageMap of '" + name + "' maps '" + e.getKey()
                  + "' to a non-string");
            }
          });
          out.set(LANGUAGE_MAP, map);
        }
      }
      default -> throw new IllegalStateException(type);
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = in.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> member = it.next();
      String key = member.getKey();
      JsonNode v = member.getValue();
      switch (key) {
        case TYPE, VALUE, OBJECT, LANGUAGE_MAP, CREATED_AT, MODIFIED_AT, INSTANCE_ID -> { }
        case DATASET_ID -> out.put(DATASET_ID, requireUri(v, "datasetId of '" + name + "'"));
        case OBSERVED_AT -> out.put(OBSERVED_AT, requireDateTime(v, "observedAt of '" + name + "'"));
        case UNIT_CODE -> {
          if (!v.isTextual() || v.asText().isEmpty()) {
            throw NgsiLdException.badRequest("unitCode of '" + name + "' must be a non-empty string");
          }
          out.set(UNIT_CODE, v);
        }
        case "objectType" -> out.set(key, v);
        default -> {
          requireName(key);
          String subIri = expand(key);
          out.set(subIri, instance(name + "." + key, subIri, v, depth + 1));
        }
      }
    }
    return out;
  }

  private static boolean allText(JsonNode array) {
    for (JsonNode n : array) {
      if (!n.isTextual()) {
        return false;
      }
    }
    return true;
  }

  /**
   * The concise form (clause 4.5.2) leaves out what can be inferred: a plain value is a Property,
   * {"object": ...} a Relationship, {"languageMap": ...} a LanguageProperty, a GeoJSON geometry
   * (or {"value": geometry}) a GeoProperty.
   */
  private static ObjectNode conciseToNormalized(String iri, JsonNode node) {
    if (node.isObject()) {
      ObjectNode obj = (ObjectNode) node;
      if (obj.path(TYPE).isTextual() && ATTRIBUTE_TYPES.contains(obj.get(TYPE).asText())) {
        return obj;
      }
      if (GeoJson.looksLikeGeometry(obj)) {
        return wrap(GEO_PROPERTY, VALUE, obj);
      }
      if (obj.has(TYPE) && !obj.has(VALUE) && !obj.has(OBJECT) && !obj.has(LANGUAGE_MAP)) {
        // {"type": "Foo"} with nothing else is a mistyped attribute, not a value; report it.
        return obj;
      }
      ObjectNode copy = obj.deepCopy();
      if (obj.has(OBJECT)) {
        copy.put(TYPE, RELATIONSHIP);
      } else if (obj.has(LANGUAGE_MAP)) {
        copy.put(TYPE, LANGUAGE_PROPERTY);
      } else if (obj.has(VALUE)) {
        boolean geo = GeoJson.looksLikeGeometry(obj.get(VALUE)) || isGeoName(iri);
        copy.put(TYPE, geo ? GEO_PROPERTY : PROPERTY);
      } else {
        return wrap(PROPERTY, VALUE, obj);
      }
      return copy;
    }
    return wrap(PROPERTY, VALUE, node);
  }

  private static boolean isGeoName(String iri) {
    return iri.startsWith(CORE) && GEO_NAMES.contains(iri.substring(CORE.length()));
  }

  private static ObjectNode wrap(String type, String member, JsonNode value) {
    ObjectNode out = Json.object();
    out.put(TYPE, type);
    out.set(member, value);
    return out;
  }

  private static String requireDateTime(JsonNode node, String what) {
    if (!node.isTextual()) {
      throw NgsiLdException.badRequest(what + " must be a DateTime string");
    }
    try {
      OffsetDateTime.parse(node.asText());
      return node.asText();
    } catch (DateTimeParseException e) {
      throw NgsiLdException.badRequest(what + " '" + abbreviate(node.asText())
          + "' is not an ISO 8601 DateTime with a zone, such as 2026-01-31T12:00:00Z");
    }
  }

  static void requireName(String name) {
    if (name.isEmpty()) {
      throw NgsiLdException.badRequest("an attribute or type name is empty");
    }
    if (name.length() > 512) {
      throw NgsiLdException.badRequest("name longer than 512 characters: '" + abbreviate(name) + "'");
    }
    // Full IRIs may contain '/' and '#'; terms and compact IRIs may not contain the rest.
    boolean iri = name.contains("://");
    String checked = iri ? name.replace("/", "").replace("#", "") : name;
    if (BAD_NAME.matcher(checked).find()) {
      throw NgsiLdException.badRequest("name '" + abbreviate(name) + "' contains a character NGSI-LD forbids");
    }
  }

  private static ObjectNode requireObject(JsonNode node, String what) {
    if (node == null || !node.isObject()) {
      throw NgsiLdException.badRequest("the " + what + " must be a JSON object, got "
          + (node == null ? "nothing" : node.getNodeType()));
    }
    return (ObjectNode) node;
  }

  static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }
}

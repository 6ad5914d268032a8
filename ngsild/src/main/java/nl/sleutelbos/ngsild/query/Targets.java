package nl.sleutelbos.ngsild.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds what an {@link AttributePath} addresses in an entity of the internal form ({@link
 * nl.sleutelbos.ngsild}), following clause 4.9:
 *
 * <ul>
 *   <li>the name selects every instance of the attribute (any datasetId);
 *   <li>each dot segment selects an NGSI-LD member of the element ({@link AttributePath#MEMBERS},
 *       such as {@code observedAt}), taken as it is, or else the instances of a sub-attribute;
 *   <li>the target value of an attribute instance is {@code value} for a Property or GeoProperty,
 *       {@code object} for a Relationship, all values of {@code languageMap} for a LanguageProperty
 *       (or, with a first compound segment, those of that language; {@code *} is any), and {@code
 *       valueList}, {@code objectList}, {@code vocab}, {@code json} for the List, Vocab and Json
 *       properties;
 *   <li>compound segments then select JSON object members inside the target value. A segment that
 *       finds nothing, or JSON null, means the target does not exist.
 * </ul>
 */
final class Targets {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private Targets() {}

  /**
   * One target value of one element addressed by a path.
   *
   * @param value the JSON target, never null or JSON null
   * @param relationship whether it is the object of a (List)Relationship, which only == and != may
   *     test (clause 4.9)
   */
  record Target(JsonNode value, boolean relationship) {}

  /** Whether the path's target element exists: clause 4.9 "Existence". */
  static boolean exists(ObjectNode entity, AttributePath path) {
    if (path.compound().isEmpty()) {
      return !elements(entity, path).isEmpty();
    }
    return !of(entity, path).isEmpty();
  }

  /** Every target value the path addresses, one per element found. */
  static List<Target> of(ObjectNode entity, AttributePath path) {
    List<Target> targets = new ArrayList<>();
    for (Element element : elements(entity, path)) {
      Target seed =
          element.member() ? new Target(element.node(), false) : seed(element.node(), path);
      if (seed == null) {
        continue;
      }
      int from = element.member() || !isLanguageProperty(element.node()) ? 0 : 1;
      JsonNode value = seed.value();
      for (int i = from; i < path.compound().size() && present(value); i++) {
        value = value.isObject() ? value.get(path.compound().get(i)) : null;
      }
      if (present(value)) {
        targets.add(new Target(value, seed.relationship()));
      }
    }
    return targets;
  }

  /** An attribute or sub-attribute instance, or (member) a member value such as observedAt. */
  private record Element(JsonNode node, boolean member) {}

  private static List<Element> elements(ObjectNode entity, AttributePath path) {
    List<Element> found = new ArrayList<>();
    for (JsonNode instance : instances(entity.get(path.name()))) {
      walk(instance, path.dotted(), 0, found);
    }
    return found;
  }

  private static void walk(JsonNode element, List<String> dotted, int i, List<Element> found) {
    if (i == dotted.size()) {
      found.add(new Element(element, false));
      return;
    }
    String segment = dotted.get(i);
    if (AttributePath.MEMBERS.contains(segment)) {
      JsonNode member = element.get(segment);
      // A member is a leaf: nothing is below observedAt.
      if (i == dotted.size() - 1 && present(member)) {
        found.add(new Element(member, true));
      }
      return;
    }
    for (JsonNode sub : instances(element.get(segment))) {
      walk(sub, dotted, i + 1, found);
    }
  }

  /** Instances are kept as an array; a single object is taken as one instance. */
  private static List<JsonNode> instances(JsonNode node) {
    List<JsonNode> instances = new ArrayList<>();
    if (node != null && node.isArray()) {
      node.forEach(
          n -> {
            if (n.isObject()) {
              instances.add(n);
            }
          });
    } else if (node != null && node.isObject()) {
      instances.add(node);
    }
    return instances;
  }

  /** The target value of an attribute instance, before compound segments; null if none. */
  private static Target seed(JsonNode instance, AttributePath path) {
    String type = instance.path("type").asText("");
    JsonNode value =
        switch (type) {
          case "Relationship" -> instance.get("object");
          case "ListRelationship" -> instance.get("objectList");
          case "LanguageProperty" -> languageValues(instance.get("languageMap"), path);
          case "ListProperty" -> instance.get("valueList");
          case "VocabProperty" -> instance.get("vocab");
          case "JsonProperty" -> instance.get("json");
          default -> instance.get("value");
        };
    if (!present(value)) {
      return null;
    }
    return new Target(value, type.equals("Relationship") || type.equals("ListRelationship"));
  }

  /**
   * The values of a languageMap as one array, so that == holds if any value matches and != if none
   * does (clause 4.9, {@code color[*]!="red"}); {@code [lang]} keeps one language.
   */
  private static JsonNode languageValues(JsonNode languageMap, AttributePath path) {
    if (languageMap == null || !languageMap.isObject()) {
      return null;
    }
    String language = path.compound().isEmpty() ? "*" : path.compound().getFirst();
    ArrayNode values = JSON.arrayNode();
    for (Map.Entry<String, JsonNode> entry : languageMap.properties()) {
      if (language.equals("*") || language.equals(entry.getKey())) {
        if (entry.getValue().isArray()) {
          values.addAll((ArrayNode) entry.getValue());
        } else {
          values.add(entry.getValue());
        }
      }
    }
    return values.isEmpty() ? null : values;
  }

  private static boolean isLanguageProperty(JsonNode instance) {
    return instance.path("type").asText("").equals("LanguageProperty");
  }

  private static boolean present(JsonNode node) {
    return node != null && !node.isNull() && !node.isMissingNode();
  }
}

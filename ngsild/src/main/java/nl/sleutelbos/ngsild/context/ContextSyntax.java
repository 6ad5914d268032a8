package nl.sleutelbos.ngsild.context;

import static nl.sleutelbos.ngsild.context.ContextErrors.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The shape checks of JSON-LD 1.1 context processing that do not depend on the active context:
 * values of keywords this package otherwise ignores, and the members of a term definition. They
 * make an invalid context fail as JSON-LD says it must, instead of being half understood.
 */
final class ContextSyntax {
  private static final BigDecimal VERSION_1_1 = new BigDecimal("1.1");
  private static final Set<String> CONTEXT_KEYWORDS =
      Set.of(
          "@base",
          "@direction",
          "@import",
          "@language",
          "@propagate",
          "@protected",
          "@version",
          "@vocab");
  private static final Set<String> TERM_DEFINITION_KEYS =
      Set.of(
          "@id",
          "@reverse",
          "@type",
          "@container",
          "@context",
          "@language",
          "@direction",
          "@index",
          "@nest",
          "@prefix",
          "@protected");
  private static final Set<String> CONTAINERS =
      Set.of("@list", "@set", "@index", "@language", "@graph", "@id", "@type");

  private ContextSyntax() {}

  /** True for the keywords that are settings of a context rather than terms it defines. */
  static boolean isContextKeyword(String key) {
    return CONTEXT_KEYWORDS.contains(key);
  }

  /** {@code @version} may only be 1.1 (JSON-LD 1.1, 4.1.2 step 5.5). */
  static void checkVersion(JsonNode version) {
    if (version != null
        && !(version.isNumber() && version.decimalValue().compareTo(VERSION_1_1) == 0)) {
      throw invalid(
          "invalid @version value: expected 1.1, found " + ContextErrors.describe(version));
    }
  }

  /**
   * {@code @base}, {@code @language}, {@code @direction}, {@code @propagate}: checked, not used.
   */
  static void checkIgnoredKeywords(ObjectNode local) {
    JsonNode base = local.get("@base");
    if (base != null && !(base.isNull() || base.isTextual())) {
      throw invalid("invalid base IRI: " + ContextErrors.describe(base));
    }
    JsonNode language = local.get("@language");
    if (language != null && !(language.isNull() || language.isTextual())) {
      throw invalid("invalid default language: " + ContextErrors.describe(language));
    }
    JsonNode direction = local.get("@direction");
    if (direction != null
        && !(direction.isNull()
            || direction.isTextual()
                && (direction.textValue().equals("ltr") || direction.textValue().equals("rtl")))) {
      throw invalid("invalid base direction: " + direction);
    }
    JsonNode propagate = local.get("@propagate");
    if (propagate != null && !propagate.isBoolean()) {
      throw invalid("invalid @propagate value: " + ContextErrors.describe(propagate));
    }
  }

  /** The values of a {@code @container} member. */
  static Set<String> containers(String term, JsonNode container) {
    if (container == null || container.isNull()) return Set.of();
    List<String> values = new ArrayList<>();
    if (container.isTextual()) {
      values.add(container.textValue());
    } else if (container.isArray()) {
      for (JsonNode c : container) {
        if (!c.isTextual()) {
          throw invalid("invalid container mapping for '" + term + "': " + container);
        }
        values.add(c.textValue());
      }
    } else {
      throw invalid("invalid container mapping for '" + term + "': " + container);
    }
    for (String v : values) {
      if (!CONTAINERS.contains(v)) {
        throw invalid("invalid container mapping for '" + term + "': " + v);
      }
    }
    return Set.copyOf(values);
  }

  /**
   * Refuses members a term definition may not have, and checks the shape of those this package does
   * not use ({@code @context}, {@code @index}, {@code @nest}, {@code @language}).
   */
  static void checkTermDefinitionMembers(String term, ObjectNode map) {
    for (Map.Entry<String, JsonNode> member : map.properties()) {
      if (!TERM_DEFINITION_KEYS.contains(member.getKey())) {
        throw invalid(
            "invalid term definition for '"
                + term
                + "': unexpected member '"
                + member.getKey()
                + "'");
      }
    }
    JsonNode scoped = map.get("@context");
    if (scoped != null
        && !(scoped.isNull() || scoped.isTextual() || scoped.isObject() || scoped.isArray())) {
      throw invalid("invalid scoped context for '" + term + "': " + ContextErrors.describe(scoped));
    }
    for (String key : List.of("@index", "@nest")) {
      JsonNode v = map.get(key);
      if (v != null && !v.isTextual()) {
        throw invalid("invalid " + key + " value in the definition of '" + term + "'");
      }
    }
    JsonNode language = map.get("@language");
    if (language != null && !(language.isNull() || language.isTextual())) {
      throw invalid("invalid language mapping for '" + term + "'");
    }
  }
}

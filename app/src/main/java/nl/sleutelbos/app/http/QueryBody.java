package nl.sleutelbos.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import nl.sleutelbos.ngsild.NgsiLdException;
import nl.sleutelbos.ngsild.entity.EntityReader;
import nl.sleutelbos.ngsild.entity.EntitySelector;
import nl.sleutelbos.ngsild.entity.TypeSelection;

/**
 * The parts of an NGSI-LD Query body (clause 5.2.23) that the entity and the temporal batch query
 * read alike: its entity selectors and its attrs, expanded with the request's @context.
 */
final class QueryBody {
  private QueryBody() {}

  /** {@code entities}, each an EntitySelector with a type; {@link EntitySelector#ANY} when none. */
  static List<EntitySelector> selectors(JsonNode body, EntityReader reader) {
    List<EntitySelector> selectors = new ArrayList<>();
    JsonNode list = body.path("entities");
    if (!list.isMissingNode() && !list.isArray()) {
      throw NgsiLdException.badRequest("Query.entities must be an array of EntitySelector objects");
    }
    for (JsonNode s : list) {
      if (!s.isObject()) {
        throw NgsiLdException.badRequest("an EntitySelector must be an object, got " + s);
      }
      Set<String> ids = s.has("id") ? Set.of(EntityReader.requireUri(s.get("id"), "EntitySelector id")) : Set.of();
      Pattern idPattern = s.has("idPattern") ? idPattern(s.get("idPattern").asText()) : null;
      if (!s.path("type").isTextual()) {
        throw NgsiLdException.badRequest("an EntitySelector needs a type (string)");
      }
      selectors.add(new EntitySelector(ids, idPattern, TypeSelection.parse(s.get("type").asText(), reader::expandType)));
    }
    if (selectors.isEmpty()) {
      selectors.add(EntitySelector.ANY);
    }
    return selectors;
  }

  /** {@code attrs}, expanded; empty when the body names none. */
  static Set<String> attrs(JsonNode body, EntityReader reader) {
    Set<String> attrs = new HashSet<>();
    if (body.has("attrs")) {
      if (!body.get("attrs").isArray()) {
        throw NgsiLdException.badRequest("Query.attrs must be an array of attribute names");
      }
      body.get("attrs").forEach(a -> attrs.add(reader.expandName(a.asText())));
    }
    return attrs;
  }

  /** An idPattern, compiled; BadRequestData if it is not a regular expression. */
  static Pattern idPattern(String regex) {
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw NgsiLdException.badRequest("idPattern '" + regex + "' is not a valid regular expression: "
          + e.getDescription());
    }
  }
}

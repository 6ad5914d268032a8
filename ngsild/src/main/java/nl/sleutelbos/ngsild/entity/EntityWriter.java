package nl.sleutelbos.ngsild.entity;

import static nl.sleutelbos.ngsild.entity.Members.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.ngsild.context.LdContext;

/**
 * Renders an entity from the internal form for one client: compacts IRIs with the client's
 * context and applies the {@link View} (format, projection, system attributes, language).
 */
public final class EntityWriter {
  private final LdContext context;

  public EntityWriter(LdContext context) {
    this.context = context;
  }

  public ObjectNode write(Entity entity, View view) {
    ObjectNode doc = entity.document();
    ObjectNode out = Json.object();
    out.put(ID, doc.get(ID).asText());
    out.set(TYPE, types(doc.get(TYPE)));
    if (doc.has(SCOPE)) {
      JsonNode scope = doc.get(SCOPE);
      out.set(SCOPE, scope.size() == 1 ? scope.get(0) : scope);
    }
    if (view.sysAttrs() && view.format() != Format.KEY_VALUES) {
      out.put(CREATED_AT, entity.createdAt().toString());
      out.put(MODIFIED_AT, entity.modifiedAt().toString());
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = doc.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> member = it.next();
      String iri = member.getKey();
      if (iri.indexOf(':') < 0 || (!view.attrs().isEmpty() && !view.attrs().contains(iri))) {
        continue;
      }
      out.set(context.compactIri(iri), attribute((ArrayNode) member.getValue(), view));
    }
    return out;
  }

  /** The compacted type: a string for one type, an array for several. */
  public JsonNode types(JsonNode types) {
    if (types.size() == 1) {
      return Json.NODES.textNode(context.compactIri(types.get(0).asText()));
    }
    ArrayNode out = Json.array();
    types.forEach(t -> out.add(context.compactIri(t.asText())));
    return out;
  }

  private JsonNode attribute(ArrayNode instances, View view) {
    if (view.format() == Format.KEY_VALUES) {
      // Simplified form shows one value per attribute: the default instance if there is one.
      JsonNode chosen = instances.get(0);
      for (JsonNode i : instances) {
        if (!i.has(DATASET_ID)) {
          chosen = i;
          break;
        }
      }
      return keyValue(chosen, view);
    }
    if (instances.size() == 1) {
      return instance((ObjectNode) instances.get(0), view);
    }
    ArrayNode out = Json.array();
    instances.forEach(i -> out.add(instance((ObjectNode) i, view)));
    return out;
  }

  private JsonNode keyValue(JsonNode instance, View view) {
    return switch (instance.path(TYPE).asText()) {
      case RELATIONSHIP -> instance.get(OBJECT);
      case LANGUAGE_PROPERTY -> language(instance.get(LANGUAGE_MAP), view.lang());
      default -> instance.get(VALUE);
    };
  }

  private static JsonNode language(JsonNode map, String lang) {
    if (lang == null) {
      return map;
    }
    JsonNode picked = map.get(lang);
    if (picked == null && map.has("@none")) {
      picked = map.get("@none");
    }
    if (picked == null) {
      Iterator<JsonNode> values = map.elements();
      picked = values.hasNext() ? values.next() : Json.NODES.nullNode();
    }
    return picked;
  }

  private JsonNode instance(ObjectNode in, View view) {
    ObjectNode out = Json.object();
    String type = in.path(TYPE).asText();
    boolean concise = view.format() == Format.CONCISE;
    if (!concise) {
      out.put(TYPE, type);
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = in.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> member = it.next();
      String key = member.getKey();
      JsonNode value = member.getValue();
      if (key.equals(TYPE)) {
        continue;
      }
      if ((key.equals(CREATED_AT) || key.equals(MODIFIED_AT)) && !view.sysAttrs()) {
        continue;
      }
      if (key.equals(LANGUAGE_MAP) && view.lang() != null) {
        // clause 4.15: with lang, a LanguageProperty is shown as a Property holding one string
        if (!concise) {
          out.put(TYPE, PROPERTY);
        }
        out.set(VALUE, language(value, view.lang()));
        out.put("lang", view.lang());
        continue;
      }
      if (key.indexOf(':') >= 0 && value.isObject()) {
        out.set(context.compactIri(key), instance((ObjectNode) value, view));
      } else {
        out.set(key, value);
      }
    }
    if (concise && out.size() == 1 && out.has(VALUE) && !out.get(VALUE).isContainerNode()) {
      return out.get(VALUE); // a bare value is a Property in the concise form
    }
    if (concise && out.size() == 1 && out.has(VALUE) && type.equals(GEO_PROPERTY)) {
      return out.get(VALUE); // a bare geometry is a GeoProperty in the concise form
    }
    return out;
  }
}

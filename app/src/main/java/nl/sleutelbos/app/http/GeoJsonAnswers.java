package nl.sleutelbos.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import nl.sleutelbos.ngsild.Json;

/**
 * The {@code application/geo+json} representation (clause 4.5.16): each entity becomes a GeoJSON
 * Feature whose geometry is the value of the chosen GeoProperty and whose properties are the rest.
 */
final class GeoJsonAnswers {
  private GeoJsonAnswers() {}

  static ObjectNode feature(ObjectNode entity, String geometryProperty) {
    ObjectNode feature = Json.object();
    feature.put("id", entity.get("id").asText());
    feature.put("type", "Feature");
    JsonNode geo = entity.get(geometryProperty);
    JsonNode geometry = geo == null ? null
        : geo.isObject() && geo.has("value") ? geo.get("value")
        : geo.isObject() && geo.has("coordinates") ? geo : null;
    feature.set("geometry", geometry == null ? Json.NODES.nullNode() : geometry);
    ObjectNode properties = entity.deepCopy();
    properties.remove("id");
    feature.set("properties", properties);
    return feature;
  }

  static ObjectNode featureCollection(ArrayNode entities, String geometryProperty) {
    ObjectNode collection = Json.object();
    collection.put("type", "FeatureCollection");
    ArrayNode features = collection.putArray("features");
    for (JsonNode e : entities) {
      features.add(feature((ObjectNode) e, geometryProperty));
    }
    return collection;
  }
}

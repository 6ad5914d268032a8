package nl.sleutelbos.ngsild.geo;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import nl.sleutelbos.ngsild.entity.Entity;
import nl.sleutelbos.ngsild.entity.EntityIndexer;
import nl.sleutelbos.ngsild.entity.EntityWrite;
import nl.sleutelbos.store.Derived;
import nl.sleutelbos.store.GeoExtent;

/**
 * Keeps the store's spatial index: the extent ({@link Sphere#extent}) of every instance of every
 * GeoProperty of the entity after the change. The store replaces the entity's old extents with
 * these, so an attribute that lost its geometry drops out of the index in the same transaction.
 */
public final class GeoIndexer implements EntityIndexer {

  @Override
  public Derived derive(String tenant, EntityWrite write, Derived derived) {
    if (!derived.extents().isEmpty() || write.isDelete()) {
      return derived;
    }
    if (!write.after().orElseThrow().document().contains("\"GeoProperty\"")) {
      // No geometry to index, so no need to parse the document (a meter's readings, thousands a second).
      return derived.withExtents(List.of());
    }
    return derived.withExtents(extents(write.afterEntity().orElseThrow()));
  }

  /** The extents of every GeoProperty instance of the entity. */
  public static List<GeoExtent> extents(Entity entity) {
    List<GeoExtent> extents = new ArrayList<>();
    for (Map.Entry<String, JsonNode> member : entity.document().properties()) {
      // Attribute names are IRIs (with ':'); the rest are NGSI-LD members such as id and type.
      if (member.getKey().indexOf(':') < 0 || !member.getValue().isArray()) {
        continue;
      }
      for (JsonNode instance : member.getValue()) {
        JsonNode value = instance.get("value");
        if ("GeoProperty".equals(instance.path("type").asText()) && value != null
            && GeoJson.looksLikeGeometry(value)) {
          extents.add(Sphere.extent(Geometries.of(value)).toExtent(member.getKey()));
        }
      }
    }
    return extents;
  }
}

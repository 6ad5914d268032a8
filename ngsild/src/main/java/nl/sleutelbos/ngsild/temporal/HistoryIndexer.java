package nl.sleutelbos.ngsild.temporal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import nl.sleutelbos.ngsild.entity.Entity;
import nl.sleutelbos.ngsild.entity.EntityIndexer;
import nl.sleutelbos.ngsild.entity.EntityWrite;
import nl.sleutelbos.store.AttributeInstance;
import nl.sleutelbos.store.Derived;

/**
 * Keeps the temporal history of entities written through the NGSI-LD entity API: every attribute
 * instance that a write creates or changes becomes one {@link AttributeInstance}, stamped with
 * its modifiedAt and, when it carries one, its observedAt. Instances a write leaves as they were
 * add nothing, and deleting an attribute or an entity removes nothing from history (the temporal
 * API deletes history). A write that brings its own history, or says it has none to keep
 * ({@link Derived#historyFinal()}), is left as it is.
 */
public final class HistoryIndexer implements EntityIndexer {

  @Override
  public Derived derive(String tenant, EntityWrite write, Derived derived) {
    if (!derived.history().isEmpty() || derived.historyFinal() || write.afterEntity().isEmpty()) {
      return derived;
    }
    Entity after = write.afterEntity().get();
    ObjectNode before = write.beforeEntity().map(Entity::document).orElse(null);
    List<AttributeInstance> changed = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = after.document().fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> member = it.next();
      String attribute = member.getKey();
      if (attribute.indexOf(':') < 0 || !member.getValue().isArray()) {
        continue; // id, type, scope: not attributes
      }
      JsonNode old = before == null ? null : before.get(attribute);
      for (JsonNode instance : member.getValue()) {
        if (instance instanceof ObjectNode object && !sameAsBefore(object, old)) {
          changed.add(Instances.stored(after.id(), attribute, object, Instances.newInstanceId(), after.modifiedAt()));
        }
      }
    }
    return changed.isEmpty() ? derived : derived.withHistory(changed);
  }

  /** Whether the attribute had this very instance (same datasetId, same members) before. */
  private static boolean sameAsBefore(ObjectNode instance, JsonNode oldInstances) {
    if (oldInstances == null) {
      return false;
    }
    Optional<String> datasetId = Optional.ofNullable(instance.get(Instances.DATASET_ID)).map(JsonNode::asText);
    for (JsonNode old : oldInstances) {
      Optional<String> oldDataset = Optional.ofNullable(old.get(Instances.DATASET_ID)).map(JsonNode::asText);
      if (oldDataset.equals(datasetId)) {
        return old.equals(instance);
      }
    }
    return false;
  }
}

package nl.sleutelbos.ngsild.subscription;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import nl.sleutelbos.ngsild.entity.Entity;
import nl.sleutelbos.ngsild.entity.EntityIndexer;
import nl.sleutelbos.ngsild.entity.EntityWrite;
import nl.sleutelbos.store.ChangeEvent;
import nl.sleutelbos.store.Derived;

/**
 * Puts each write's {@link ChangeEvent} on the change feed, with the attributes it touched. Only
 * tenants somebody subscribes to pay for the feed: for the others it derives nothing.
 */
public final class ChangeIndexer implements EntityIndexer {
  /** Entity members that are not attributes. */
  private static final Set<String> NOT_ATTRIBUTES = Set.of("id", "type", "@context", "scope", "createdAt", "modifiedAt");

  private final Predicate<String> watched;

  /** @param watched whether a tenant has subscriptions */
  public ChangeIndexer(Predicate<String> watched) {
    this.watched = watched;
  }

  @Override
  public Derived derive(String tenant, EntityWrite write, Derived derived) {
    if (derived.event().isPresent() || !watched.test(tenant)) {
      return derived;
    }
    if (write.isDelete()) {
      return derived.withEvent(new ChangeEvent(ChangeEvent.Kind.DELETED, attributes(write.beforeEntity().get())));
    }
    Entity after = write.afterEntity().get();
    if (write.isCreate()) {
      return derived.withEvent(new ChangeEvent(ChangeEvent.Kind.CREATED, attributes(after)));
    }
    Set<String> changed = changed(write.beforeEntity().get().document(), after.document());
    if (changed.isEmpty() && write.before().get().types().equals(write.after().get().types())) {
      return derived;
    }
    return derived.withEvent(new ChangeEvent(ChangeEvent.Kind.UPDATED, changed));
  }

  private static Set<String> attributes(Entity entity) {
    Set<String> names = new HashSet<>();
    entity.document().fieldNames().forEachRemaining(names::add);
    names.removeAll(NOT_ATTRIBUTES);
    return names;
  }

  /** The attributes added, removed or changed in any way (value, sub-attributes, instances). */
  private static Set<String> changed(ObjectNode before, ObjectNode after) {
    Set<String> changed = new HashSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = after.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> member = it.next();
      if (!NOT_ATTRIBUTES.contains(member.getKey()) && !member.getValue().equals(before.get(member.getKey()))) {
        changed.add(member.getKey());
      }
    }
    before.fieldNames().forEachRemaining(name -> {
      if (!NOT_ATTRIBUTES.contains(name) && !after.has(name)) {
        changed.add(name);
      }
    });
    return changed;
  }
}

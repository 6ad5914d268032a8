package nl.sleutelbos.ngsild.entity;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import nl.sleutelbos.store.EntityStore;
import nl.sleutelbos.store.Selector;

/**
 * What types and attributes a tenant holds (clause 5.7.5 to 5.7.8). Type names come from the
 * store's type index; attribute details need a scan of the entities concerned.
 */
public final class Catalog {
  /** One type: how many entities have it and which attributes (with their kinds) they carry. */
  public record TypeInfo(String type, long entityCount, Map<String, Set<String>> attributeKinds) {}

  /** One attribute: how many entities carry it, under which types, with which kinds. */
  public record AttributeInfo(String attribute, long count, Set<String> types, Set<String> kinds) {}

  private final EntityStore store;

  public Catalog(EntityStore store) {
    this.store = store;
  }

  public Set<String> types(String tenant) {
    return store.types(tenant);
  }

  /** Details of the given types (all types if empty), in name order. */
  public List<TypeInfo> typeDetails(String tenant, Set<String> only) {
    Set<String> wanted = only.isEmpty() ? store.types(tenant) : only;
    Map<String, long[]> counts = new TreeMap<>();
    Map<String, Map<String, Set<String>>> kinds = new TreeMap<>();
    store.scan(tenant, Selector.ofTypes(wanted), stored -> {
      Entity entity = Entity.of(stored);
      for (String type : stored.types()) {
        if (!wanted.contains(type)) {
          continue;
        }
        counts.computeIfAbsent(type, t -> new long[1])[0]++;
        Map<String, Set<String>> attrs = kinds.computeIfAbsent(type, t -> new TreeMap<>());
        for (Map.Entry<String, JsonNode> attr : EntityService.attributes(entity.document())) {
          Set<String> k = attrs.computeIfAbsent(attr.getKey(), a -> new TreeSet<>());
          attr.getValue().forEach(i -> k.add(i.path("type").asText()));
        }
      }
      return true;
    });
    return counts.entrySet().stream()
        .map(e -> new TypeInfo(e.getKey(), e.getValue()[0], kinds.get(e.getKey())))
        .toList();
  }

  /** Details of one attribute, or of all (when {@code only} is null), in name order. */
  public List<AttributeInfo> attributeDetails(String tenant, String only) {
    Map<String, long[]> counts = new TreeMap<>();
    Map<String, Set<String>> types = new TreeMap<>();
    Map<String, Set<String>> kinds = new TreeMap<>();
    store.scan(tenant, Selector.ALL, stored -> {
      Entity entity = Entity.of(stored);
      for (Map.Entry<String, JsonNode> attr : EntityService.attributes(entity.document())) {
        String name = attr.getKey();
        if (only != null && !only.equals(name)) {
          continue;
        }
        counts.computeIfAbsent(name, a -> new long[1])[0]++;
        types.computeIfAbsent(name, a -> new TreeSet<>()).addAll(stored.types());
        Set<String> k = kinds.computeIfAbsent(name, a -> new TreeSet<>());
        attr.getValue().forEach(i -> k.add(i.path("type").asText()));
      }
      return true;
    });
    return counts.entrySet().stream()
        .map(e -> new AttributeInfo(e.getKey(), e.getValue()[0], types.get(e.getKey()), kinds.get(e.getKey())))
        .toList();
  }
}

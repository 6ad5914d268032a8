package nl.sleutelbos.store.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import nl.sleutelbos.store.EntityVisitor;
import nl.sleutelbos.store.Selector;
import nl.sleutelbos.store.StoredEntity;

/**
 * A scan narrowed by a spatial index, common to both backends: the index gives the candidate ids
 * (in id order), the backend fetches them a slice at a time by primary key, and the selector's
 * exact conditions (ids, types) are checked here. Each slice is fetched before its entities are
 * visited, so the visitor runs without holding a connection.
 */
public final class AreaScan {
  /** How many entities one statement fetches. */
  public static final int SLICE = 256;

  /** Reads the entities with these ids (ascending), in ascending id order; missing ids are skipped. */
  @FunctionalInterface
  public interface Fetch {
    List<StoredEntity> fetch(List<String> ids);
  }

  private AreaScan() {}

  public static void scan(List<String> candidates, Selector selector, Fetch fetch, EntityVisitor visitor) {
    List<String> ids = candidates;
    if (!selector.ids().isEmpty()) {
      ids = new ArrayList<>();
      for (String id : candidates) {
        if (selector.ids().contains(id)) {
          ids.add(id);
        }
      }
    }
    for (int from = 0; from < ids.size(); from += SLICE) {
      for (StoredEntity e : fetch.fetch(ids.subList(from, Math.min(ids.size(), from + SLICE)))) {
        if (!selector.types().isEmpty() && Collections.disjoint(selector.types(), e.types())) {
          continue;
        }
        if (!visitor.visit(e)) {
          return;
        }
      }
    }
  }
}

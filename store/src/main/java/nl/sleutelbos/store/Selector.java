package nl.sleutelbos.store;

import java.util.Set;

/**
 * Which entities a {@link EntityStore#scan} visits. Empty sets mean "any". Patterns, queries and
 * everything else that needs the document are the caller's business; the store narrows only on
 * what it indexes.
 *
 * @param ids visit only entities with one of these ids
 * @param types visit only entities with at least one of these (expanded) types
 */
public record Selector(Set<String> ids, Set<String> types) {
  public static final Selector ALL = new Selector(Set.of(), Set.of());

  public Selector {
    ids = Set.copyOf(ids);
    types = Set.copyOf(types);
  }

  public static Selector ofTypes(Set<String> types) {
    return new Selector(Set.of(), types);
  }
}

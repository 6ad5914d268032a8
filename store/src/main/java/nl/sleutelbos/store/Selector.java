package nl.sleutelbos.store;

import java.util.Set;

/**
 * Which entities a {@link EntityStore#scan} visits. Empty sets mean "any". Patterns, queries and
 * everything else that needs the document are the caller's business; the store narrows only on
 * what it indexes.
 *
 * @param ids visit only entities with one of these ids
 * @param types visit only entities with at least one of these (expanded) types
 * @param fragments visit only entities whose document text contains every one of these strings
 *     (byte for byte, as the caller wrote it; a backend that normalises documents may only be
 *     given fragments that survive its normalisation, such as quoted ASCII strings)
 */
public record Selector(Set<String> ids, Set<String> types, Set<String> fragments) {
  public static final Selector ALL = new Selector(Set.of(), Set.of(), Set.of());

  public Selector {
    ids = Set.copyOf(ids);
    types = Set.copyOf(types);
    fragments = Set.copyOf(fragments);
  }

  public Selector(Set<String> ids, Set<String> types) {
    this(ids, types, Set.of());
  }

  public static Selector ofTypes(Set<String> types) {
    return new Selector(Set.of(), types, Set.of());
  }
}

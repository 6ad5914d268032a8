package nl.sleutelbos.store;

import java.util.Optional;
import java.util.Set;

/**
 * Which entities a {@link EntityStore#scan} visits. Empty sets mean "any". Patterns, queries and
 * everything else that needs the document are the caller's business; the store narrows only on
 * what it indexes.
 *
 * <p>{@code ids} and {@code types} are exact. {@code keys} and {@code fragments} are hints: a
 * backend may use them to skip entities cheaply and never skips one that satisfies them, but it
 * may visit others too, so the caller still checks every entity it is given.
 *
 * @param ids visit only entities with one of these ids
 * @param types visit only entities with at least one of these (expanded) types
 * @param keys the document of every wanted entity has each of these top-level members
 * @param fragments the document text of every wanted entity contains each of these strings (as
 *     the caller wrote it; only quoted ASCII strings, which survive any normalisation)
 * @param area a hint like {@code keys}: every wanted entity has an extent (a {@link GeoExtent}
 *     written with it in {@link Derived}) of the area's attribute that intersects the area's box
 *     (boundaries included); a backend with a spatial index visits only such entities
 */
public record Selector(Set<String> ids, Set<String> types, Set<String> keys, Set<String> fragments,
    Optional<GeoExtent> area) {
  public static final Selector ALL = new Selector(Set.of(), Set.of(), Set.of(), Set.of());

  public Selector {
    ids = Set.copyOf(ids);
    types = Set.copyOf(types);
    keys = Set.copyOf(keys);
    fragments = Set.copyOf(fragments);
    java.util.Objects.requireNonNull(area, "area is null");
  }

  public Selector(Set<String> ids, Set<String> types, Set<String> keys, Set<String> fragments) {
    this(ids, types, keys, fragments, Optional.empty());
  }

  public Selector(Set<String> ids, Set<String> types) {
    this(ids, types, Set.of(), Set.of());
  }

  public static Selector ofTypes(Set<String> types) {
    return new Selector(Set.of(), types, Set.of(), Set.of());
  }

  /** This selector, narrowed to entities with an extent that intersects the area. */
  public Selector within(GeoExtent area) {
    return new Selector(ids, types, keys, fragments, Optional.of(area));
  }
}

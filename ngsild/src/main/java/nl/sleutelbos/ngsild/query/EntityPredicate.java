package nl.sleutelbos.ngsild.query;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A test on an entity in the internal form ({@link nl.sleutelbos.ngsild}). Implementations are
 * immutable and safe to share between threads; {@code test} does not change the entity.
 */
@FunctionalInterface
public interface EntityPredicate {

  /**
   * Whether {@code entity} matches.
   *
   * @throws nl.sleutelbos.ngsild.NgsiLdException of type TOO_COMPLEX_QUERY if a regular expression
   *     needs too many steps on a value of this entity
   */
  boolean test(ObjectNode entity);

  /** The predicate every entity matches. */
  static EntityPredicate all() {
    return Always.INSTANCE;
  }

  /** Whether this predicate holds for every entity, so that callers may skip reading entities. */
  default boolean acceptsAll() {
    return false;
  }

  /** The predicate of {@link #all()}: one instance, which says so. */
  enum Always implements EntityPredicate {
    INSTANCE;

    @Override
    public boolean test(ObjectNode entity) {
      return true;
    }

    @Override
    public boolean acceptsAll() {
      return true;
    }
  }

  /** The predicate that holds when all of {@code predicates} hold; {@link #all()} if none. */
  static EntityPredicate and(EntityPredicate... predicates) {
    return and(List.of(predicates));
  }

  /** The predicate that holds when all of {@code predicates} hold; {@link #all()} if none. */
  static EntityPredicate and(List<EntityPredicate> predicates) {
    List<EntityPredicate> all = predicates.stream().filter(p -> !p.acceptsAll()).toList();
    if (all.isEmpty()) {
      return all();
    }
    if (all.size() == 1) {
      return all.getFirst();
    }
    return entity -> {
      for (EntityPredicate predicate : all) {
        if (!predicate.test(entity)) {
          return false;
        }
      }
      return true;
    };
  }
}

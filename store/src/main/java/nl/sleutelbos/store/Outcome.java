package nl.sleutelbos.store;

import static java.util.Objects.requireNonNull;

/**
 * What a {@link Mutation} decided to do with one entity. The store writes {@link Put} and
 * {@link Remove}; {@link Unchanged} and {@link Rejected} write nothing.
 */
public sealed interface Outcome {

  /** Create or replace the entity with this state. */
  record Put(StoredEntity entity) implements Outcome {
    public Put {
      requireNonNull(entity, "entity is null");
    }
  }

  /** Delete the entity. Removing an entity that does not exist is a no-op. */
  record Remove() implements Outcome {}

  /** Succeed without writing, for example an update that changed nothing. */
  record Unchanged() implements Outcome {}

  /** Refuse this change; nothing of it is written. The reason travels back to the caller. */
  record Rejected(RuntimeException reason) implements Outcome {
    public Rejected {
      requireNonNull(reason, "reason is null");
    }
  }

  static Outcome put(StoredEntity entity) {
    return new Put(entity);
  }

  static Outcome remove() {
    return new Remove();
  }

  static Outcome unchanged() {
    return new Unchanged();
  }

  static Outcome rejected(RuntimeException reason) {
    return new Rejected(reason);
  }
}

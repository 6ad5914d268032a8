package nl.sleutelbos.store;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * What a {@link Mutation} decided to do with one entity. The store writes {@link Put} and
 * {@link Remove}; {@link Unchanged} and {@link Rejected} write nothing.
 */
public sealed interface Outcome {

  /** Create or replace the entity with this state, and keep what is derived from it. */
  record Put(StoredEntity entity, Derived derived) implements Outcome {
    public Put {
      requireNonNull(entity, "entity is null");
      requireNonNull(derived, "derived is null");
    }

    public Put(StoredEntity entity) {
      this(entity, Derived.NONE);
    }

    public Put with(Derived derived) {
      return new Put(entity, derived);
    }
  }

  /**
   * Delete the entity, and publish the event on the change feed if there is one. Removing an
   * entity that does not exist is a no-op.
   */
  record Remove(Optional<ChangeEvent> event) implements Outcome {
    public Remove {
      requireNonNull(event, "event is null");
    }

    public Remove() {
      this(Optional.empty());
    }
  }

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

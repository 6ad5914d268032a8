package nl.sleutelbos.ngsild.entity;

import java.util.Optional;
import nl.sleutelbos.store.StoredEntity;

/**
 * One entity's change as the {@link EntityIndexer}s see it: the state before and after (empty
 * when the entity did not exist, or was deleted). Documents are parsed on first use and shared
 * by the indexers, which must not modify them.
 */
public final class EntityWrite {
  private final Optional<StoredEntity> before;
  private final Optional<StoredEntity> after;
  private Optional<Entity> parsedBefore;
  private Optional<Entity> parsedAfter;

  EntityWrite(Optional<StoredEntity> before, Optional<StoredEntity> after) {
    this.before = before;
    this.after = after;
  }

  public Optional<StoredEntity> before() {
    return before;
  }

  public Optional<StoredEntity> after() {
    return after;
  }

  /** The entity before the change, parsed. */
  public Optional<Entity> beforeEntity() {
    if (parsedBefore == null) {
      parsedBefore = before.map(Entity::of);
    }
    return parsedBefore;
  }

  /** The entity after the change, parsed; empty for a deletion. */
  public Optional<Entity> afterEntity() {
    if (parsedAfter == null) {
      parsedAfter = after.map(Entity::of);
    }
    return parsedAfter;
  }

  public boolean isCreate() {
    return before.isEmpty() && after.isPresent();
  }

  public boolean isDelete() {
    return after.isEmpty();
  }
}

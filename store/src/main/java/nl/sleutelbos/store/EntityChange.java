package nl.sleutelbos.store;

import static java.util.Objects.requireNonNull;

/** One entity's change in a call to {@link EntityStore#apply}. */
public record EntityChange(String entityId, Mutation mutation) {
  public EntityChange {
    requireNonNull(entityId, "entityId is null");
    requireNonNull(mutation, "mutation is null");
  }
}

package nl.sleutelbos.store;

import java.util.Set;

/**
 * A change to an entity for the change feed that subscriptions read. The store keeps it with the
 * entity's new document in the same transaction as the change, so a committed change is never
 * missed by a subscription, even after a crash.
 *
 * @param kind what happened to the entity
 * @param attributes the expanded IRIs of the attributes the change touched
 */
public record ChangeEvent(Kind kind, Set<String> attributes) {
  public enum Kind { CREATED, UPDATED, DELETED }

  public ChangeEvent {
    attributes = Set.copyOf(attributes);
  }
}

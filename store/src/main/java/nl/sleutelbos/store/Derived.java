package nl.sleutelbos.store;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * What the store keeps beside an entity, derived from it by the NGSI-LD layer and written in the
 * same transaction as the entity itself, so that history, the geo index and the change feed never
 * disagree with the entity after a crash.
 *
 * @param history attribute instances to append to the entity's temporal history
 * @param extents the bounding boxes of the entity's geo-properties; they replace the ones kept
 *     for the entity before (an empty list removes them)
 * @param event the change to publish on the change feed, if anyone listens
 */
public record Derived(List<AttributeInstance> history, List<GeoExtent> extents, Optional<ChangeEvent> event) {
  /** Nothing derived: no history, no geometry, no event. */
  public static final Derived NONE = new Derived(List.of(), List.of(), Optional.empty());

  public Derived {
    history = List.copyOf(history);
    extents = List.copyOf(extents);
    requireNonNull(event, "event is null");
  }

  public Derived withHistory(List<AttributeInstance> history) {
    return new Derived(history, extents, event);
  }

  public Derived withExtents(List<GeoExtent> extents) {
    return new Derived(history, extents, event);
  }

  public Derived withEvent(ChangeEvent event) {
    return new Derived(history, extents, Optional.of(event));
  }
}

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
 * @param historyFinal whether the writer decided the history itself, even when it is empty (an
 *     entity whose history is kept elsewhere, such as a meter's latest values, whose history is its
 *     readings): the history indexer then adds none
 */
public record Derived(List<AttributeInstance> history, List<GeoExtent> extents, Optional<ChangeEvent> event,
    boolean historyFinal) {
  /** Nothing derived: no history, no geometry, no event. */
  public static final Derived NONE = new Derived(List.of(), List.of(), Optional.empty());

  public Derived(List<AttributeInstance> history, List<GeoExtent> extents, Optional<ChangeEvent> event) {
    this(history, extents, event, false);
  }

  public Derived {
    history = List.copyOf(history);
    extents = List.copyOf(extents);
    requireNonNull(event, "event is null");
  }

  public Derived withHistory(List<AttributeInstance> history) {
    return new Derived(history, extents, event, historyFinal);
  }

  /** The same, with no history, and none to be derived by indexers: the writer keeps it elsewhere. */
  public Derived withoutHistory() {
    return new Derived(List.of(), extents, event, true);
  }

  public Derived withExtents(List<GeoExtent> extents) {
    return new Derived(history, extents, event, historyFinal);
  }

  public Derived withEvent(ChangeEvent event) {
    return new Derived(history, extents, Optional.of(event), historyFinal);
  }
}

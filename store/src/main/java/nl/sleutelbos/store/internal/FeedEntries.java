package nl.sleutelbos.store.internal;

import java.time.Instant;
import java.util.Optional;
import nl.sleutelbos.store.ChangeEvent;
import nl.sleutelbos.store.ChangeFeed;
import nl.sleutelbos.store.Outcome;
import nl.sleutelbos.store.StoredEntity;

/** What a backend appends to its change feed for one outcome of a write. */
public final class FeedEntries {
  private FeedEntries() {}

  /**
   * The feed entry of an outcome, without its sequence (the backend assigns it), or empty when the
   * outcome carries no event or writes nothing.
   *
   * @param current the entity before the outcome, as the mutation saw it
   */
  public static Optional<ChangeFeed.Change> of(String tenant, Outcome outcome, Optional<StoredEntity> current,
      Instant now) {
    return switch (outcome) {
      case Outcome.Put put when put.derived().event().isPresent() ->
          Optional.of(entry(tenant, put.entity(), put.derived().event().get(), now));
      case Outcome.Remove remove when remove.event().isPresent() && current.isPresent() ->
          Optional.of(entry(tenant, current.get(), remove.event().get(), now));
      default -> Optional.empty();
    };
  }

  private static ChangeFeed.Change entry(String tenant, StoredEntity entity, ChangeEvent event, Instant now) {
    return new ChangeFeed.Change(0, tenant, entity.id(), entity.types(), event.kind(), event.attributes(),
        entity.document(), now);
  }
}

package nl.sleutelbos.store.internal;

import java.time.Instant;
import java.util.Optional;
import nl.sleutelbos.store.EntityChange;
import nl.sleutelbos.store.Outcome;
import nl.sleutelbos.store.StoredEntity;

/**
 * Runs one change's mutation the way every backend must: an exception, a null outcome, a put
 * under another id or a time the backends cannot both keep rejects that change alone.
 */
public final class Changes {
  /** The earliest time a stored entity may carry: both backends keep years 1 to 9999. */
  public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
  /** The latest time a stored entity may carry. */
  public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

  private Changes() {}

  public static Outcome run(EntityChange change, Optional<StoredEntity> current) {
    Outcome outcome;
    try {
      outcome = change.mutation().apply(current);
    } catch (RuntimeException e) {
      return Outcome.rejected(e);
    }
    if (outcome == null) {
      return Outcome.rejected(new NullPointerException("mutation of " + change.entityId() + " returned null"));
    }
    if (outcome instanceof Outcome.Put put) {
      StoredEntity entity = put.entity();
      if (!entity.id().equals(change.entityId())) {
        return Outcome.rejected(new IllegalArgumentException(
            "mutation of " + change.entityId() + " put an entity with id " + entity.id()));
      }
      if (outOfRange(entity.createdAt()) || outOfRange(entity.modifiedAt())) {
        return Outcome.rejected(new IllegalArgumentException("times of " + entity.id()
            + " must lie in years 1 to 9999: createdAt " + entity.createdAt() + ", modifiedAt " + entity.modifiedAt()));
      }
    }
    return outcome;
  }

  private static boolean outOfRange(Instant t) {
    return t.isBefore(EARLIEST) || t.isAfter(LATEST);
  }
}

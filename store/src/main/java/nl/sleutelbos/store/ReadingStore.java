package nl.sleutelbos.store;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Meter readings, one compact row per telegram: the meter, the time the meter measured it, when it
 * was received and stored, the validator's quality flags (a bit set the caller defines) and the
 * measured values in an encoding of the caller's (the store keeps them as opaque bytes).
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li>A reading is keyed by (meter, observedAt). {@link #insert} leaves a reading whose key is
 *       stored already exactly as it was, so a telegram delivered twice is kept once.
 *   <li>Every stored reading has a <em>sequence</em>, larger than that of every reading committed
 *       before it; a reader that follows {@link #since} from a cursor sees every reading once, in
 *       commit order (PostgreSQL serialises inserts for this; SQLite has one writer).
 *   <li>Writes are atomic and durable when the call returns, like {@link EntityStore#apply}: all
 *       readings of one call or none. Reads see committed data only.
 *   <li>Times are kept to the microsecond.
 * </ul>
 */
public interface ReadingStore {

  /**
   * One telegram's reading.
   *
   * @param flags the quality flags as bits (0: none); their meaning is the caller's
   * @param values the measured values, encoded by the caller (a few hundred bytes)
   */
  record Reading(String meterId, Instant observedAt, Instant receivedAt, Instant storedAt, int flags, byte[] values) {
    public Reading {
      requireNonNull(meterId, "meterId is null");
      requireNonNull(observedAt, "observedAt is null");
      requireNonNull(receivedAt, "receivedAt is null");
      requireNonNull(storedAt, "storedAt is null");
      requireNonNull(values, "values is null");
    }
  }

  /** A reading with its sequence number. */
  record Stored(long sequence, Reading reading) {
    public Stored {
      requireNonNull(reading, "reading is null");
    }
  }

  /**
   * Stores the readings in one transaction; one whose (meter, observedAt) is stored already (or
   * comes twice in the call) is left as it was.
   *
   * @return for each reading, in order, whether this call stored it
   */
  boolean[] insert(List<Reading> readings);

  /**
   * Stores the readings as {@link #insert(List)} does and, in the same transaction, applies to the
   * tenant's entities (as {@link EntityStore#apply} does) the changes {@code changes} makes of
   * which readings this call stored: the readings and the entity changes are committed together
   * or not at all. {@code changes} may be called more than once (a transaction rerun after a lost
   * race) and must depend on nothing but its argument.
   *
   * @param changes given, for each reading in order, whether this call stored it
   * @return for each reading, in order, whether this call stored it
   */
  boolean[] insert(List<Reading> readings, String tenant, Function<boolean[], List<EntityChange>> changes);

  /** The newest reading (by observedAt) of each of the meters that has one, in one read. */
  Map<String, Reading> latest(Collection<String> meterIds);

  /**
   * A meter's readings with observedAt in [from, until) (an empty bound is open), oldest first or
   * newest first, at most {@code limit}.
   */
  List<Reading> read(String meterId, Optional<Instant> from, Optional<Instant> until, int limit, boolean latestFirst);

  /** The readings with a sequence above {@code after}, in sequence order, at most {@code limit}. */
  List<Stored> since(long after, int limit);

  /** The meters that have readings, in ascending id order, after {@code afterId} (empty: from the start). */
  List<String> meters(Optional<String> afterId, int limit);

  /** Deletes every reading of a meter; returns how many. */
  int delete(String meterId);

  /**
   * Deletes at most {@code batch} readings observed before {@code before}, in a short transaction
   * of its own.
   *
   * @return how many were deleted; less than {@code batch} means none are left
   */
  int expire(Instant before, int batch);
}

package nl.sleutelbos.store;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The durable log of entity changes that subscriptions read. A write appends its {@link
 * ChangeEvent}s in the same transaction as the entity itself, so a committed change is always on
 * the feed and a rolled-back one never is.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li><b>Order.</b> Sequence numbers grow with commit order: once {@link #latest()} returned
 *       {@code s}, every change with a sequence up to {@code s} is committed and readable, and no
 *       change with a sequence up to {@code s} will ever appear later. A reader that remembers the
 *       last sequence it handled therefore never misses nor reorders a change.
 *   <li><b>Durability.</b> Changes stay until {@link #trim} removes them, across restarts.
 * </ul>
 *
 * <p>Implementations are thread-safe.
 */
public interface ChangeFeed {

  /**
   * One change on the feed.
   *
   * @param sequence its position, unique and growing with commit order (not necessarily dense)
   * @param tenant the entity's tenant
   * @param entityId the entity id
   * @param types the entity's expanded types after the change (before it, for a deletion)
   * @param kind what happened
   * @param attributes the expanded attribute names the change touched
   * @param document the entity document after the change (before it, for a deletion)
   * @param at when the change was committed, as the writer's clock saw it
   */
  record Change(long sequence, String tenant, String entityId, List<String> types, ChangeEvent.Kind kind,
      Set<String> attributes, String document, Instant at) {
    public Change {
      requireNonNull(tenant, "tenant is null");
      requireNonNull(entityId, "entityId is null");
      types = List.copyOf(types);
      requireNonNull(kind, "kind is null");
      attributes = Set.copyOf(attributes);
      requireNonNull(document, "document is null");
      requireNonNull(at, "at is null");
    }
  }

  /** The highest committed sequence, or 0 if nothing was ever appended. */
  long latest();

  /**
   * The tenant's changes with a sequence above {@code after} and at most {@code upTo}, oldest
   * first, at most {@code limit} of them.
   */
  List<Change> read(String tenant, long after, long upTo, int limit);

  /** Removes every change with a sequence up to {@code upTo}; readers must have handled them. */
  void trim(long upTo);

  /**
   * Calls {@code wakeUp} after each commit of this process that may have appended changes, until
   * the returned handle is closed. It runs on the writer's thread: it must only signal, not work.
   * Writes by other processes (another node on the same PostgreSQL) are not signalled; readers
   * poll as a backstop.
   */
  AutoCloseable listen(Runnable wakeUp);
}

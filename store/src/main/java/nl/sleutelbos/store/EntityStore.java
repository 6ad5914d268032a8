package nl.sleutelbos.store;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Durable storage of NGSI-LD entities, partitioned by tenant. Tenants are fully isolated: no call
 * ever sees another tenant's entities.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li><b>Durability.</b> When {@link #apply} returns, every change it reports as written is on
 *       disk and survives a crash of the process (SIGKILL) and of the machine.
 *   <li><b>Atomicity per change.</b> Each {@link EntityChange} is written whole or not at all. The
 *       changes of one call are committed together; a rejected change writes nothing and does not
 *       stop the others.
 *   <li><b>Isolation.</b> Changes to the same entity are serialised: a {@link Mutation} always sees
 *       the latest committed state, so read-modify-write is safe without caller locking.
 *   <li><b>Reads</b> see committed data only and may run concurrently with writes.
 * </ul>
 *
 * <p>Implementations are thread-safe.
 */
public interface EntityStore extends AutoCloseable {

  /**
   * Applies the changes in order and commits them together. Changes to the same entity id later
   * in the list see the result of earlier ones. A tenant is created by its first write.
   *
   * <p>A change is reported as {@link Outcome.Rejected} and writes nothing when its
   * {@link Mutation} throws or returns null, when it puts an entity whose id is not the change's
   * id, when it puts times outside the years 1 to 9999, or when the backend cannot keep its
   * document (PostgreSQL refuses text that is not JSON, and the JSON escape <code>&#92;u0000</code>).
   * Times are kept to the microsecond; finer digits are dropped.
   *
   * @return one outcome per change, in the same order
   * @throws StoreException if the commit failed; then nothing of this call was written
   */
  List<Outcome> apply(String tenant, List<EntityChange> changes);

  /** The entity with this id, or empty if the tenant or the entity does not exist. */
  Optional<StoredEntity> get(String tenant, String id);

  /**
   * Visits the entities the selector admits, in ascending id order (by Unicode code point, which
   * is also UTF-8 byte order), until the visitor returns {@code false}. Entities written while
   * the scan runs may or may not be seen. The visitor may read and write the store.
   */
  void scan(String tenant, Selector selector, EntityVisitor visitor);

  /** Whether the tenant has ever been written to (and not since dropped). */
  boolean tenantExists(String tenant);

  /** The (expanded) entity types that have at least one entity in the tenant. */
  Set<String> types(String tenant);

  /** Small named JSON documents beside the entities: contexts, settings, later control objects. */
  DocumentStore documents();

  /** The temporal history of the entities: what {@link Derived#history()} and the temporal API keep. */
  History history();

  /** The durable log of changes that writes with a {@link ChangeEvent} append to. */
  ChangeFeed feed();

  /** The audit log's entries, tree nodes and checkpoints (the audit module does the hashing). */
  AuditStorage audit();

  /** Key custody's tables: device keys (wrapped), device records, campaign progress. */
  CustodyStorage custody();

  /** Meter readings: one compact row per telegram, with a sequence for followers. */
  ReadingStore readings();

  /** A short description for logs and reports, for example {@code "sqlite:/var/lib/sleutelbos/sleutelbos.db"}. */
  String describe();

  @Override
  void close();
}

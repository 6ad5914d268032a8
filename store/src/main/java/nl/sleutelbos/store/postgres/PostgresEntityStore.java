package nl.sleutelbos.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import nl.sleutelbos.store.ChangeFeed;
import nl.sleutelbos.store.DocumentStore;
import nl.sleutelbos.store.EntityChange;
import nl.sleutelbos.store.EntityStore;
import nl.sleutelbos.store.EntityVisitor;
import nl.sleutelbos.store.Outcome;
import nl.sleutelbos.store.Selector;
import nl.sleutelbos.store.StoreConfig;
import nl.sleutelbos.store.StoreException;
import nl.sleutelbos.store.StoredEntity;

/**
 * The server backend: PostgreSQL through a HikariCP pool. Each {@link #apply} is one transaction
 * at READ COMMITTED that locks the rows it changes ({@link ApplyTransaction}); it is rerun, with
 * its mutations, when it loses a race (a unique violation on a new id, a deadlock, a
 * serialisation failure). Scans read in id order, a chunk at a time (keyset paging). Commits are synchronous,
 * so an acknowledged write is on the server's disk. Use {@link nl.sleutelbos.store.Stores#open}.
 */
public final class PostgresEntityStore implements EntityStore {
  static final String COLUMNS = "id, types, created_at, modified_at, doc";
  private static final int MAX_ATTEMPTS = 10;
  private static final int CHUNK = 256;

  private final Pool pool;
  private final Set<String> knownTenants = ConcurrentHashMap.newKeySet();
  private final PostgresDocuments documents;
  private final PostgresHistory history;
  private final PostgresFeed feed;
  private final PostgresAudit audit;
  private final PostgresCustody custody;
  private final PostgresReadings readings;

  private PostgresEntityStore(Pool pool) {
    this.pool = pool;
    this.documents = new PostgresDocuments(pool);
    this.history = new PostgresHistory(pool);
    this.feed = new PostgresFeed(pool);
    this.audit = new PostgresAudit(pool);
    this.custody = new PostgresCustody(pool);
    this.readings = new PostgresReadings(pool, this);
  }

  /** Connects, migrates the schema to the newest version, and returns the store. */
  public static EntityStore open(StoreConfig.Postgres config) {
    return new PostgresEntityStore(Pool.open(config));
  }

  @Override
  public List<Outcome> apply(String tenant, List<EntityChange> changes) {
    if (changes.isEmpty()) {
      return List.of();
    }
    return transact(tenant, c -> null, ignored -> changes).outcomes();
  }

  /** Work done in a transaction before its entity changes, and what it gave. */
  interface First<T> {
    T run(Connection c) throws SQLException;
  }

  /** What {@link #transact} did: the first step's result and the changes' outcomes. */
  record Done<T>(T first, List<Outcome> outcomes) {}

  /**
   * Runs {@code first}, then the changes {@code changesOf} makes of its result, in one
   * transaction; the whole is rerun when it loses a race.
   */
  <T> Done<T> transact(String tenant, First<T> first, java.util.function.Function<T, List<EntityChange>> changesOf) {
    boolean careful = false;
    for (int attempt = 1; ; attempt++) {
      try (Connection c = pool.connection()) {
        c.setAutoCommit(false);
        try {
          T result = first.run(c);
          ApplyTransaction transaction = new ApplyTransaction(c, tenant, careful, knownTenants.contains(tenant));
          List<EntityChange> changes = changesOf.apply(result);
          List<Outcome> outcomes = changes.isEmpty() ? List.of() : transaction.run(changes);
          c.commit();
          if (transaction.wrote()) {
            knownTenants.add(tenant);
          }
          feed.committed();
          return new Done<>(result, outcomes);
        } catch (SQLException | RuntimeException e) {
          rollback(c, e);
          throw e;
        }
      } catch (SQLException e) {
        if (isDataException(e) && !careful) {
          careful = true; // find the change PostgreSQL refuses and reject it alone
        } else if (lostRace(e) && attempt < MAX_ATTEMPTS) {
          backOff(attempt);
        } else {
          throw Pool.failure("apply failed on " + pool.description(), e);
        }
      }
    }
  }

  static boolean isDataException(SQLException e) {
    return e.getSQLState() != null && e.getSQLState().startsWith("22");
  }

  private static boolean lostRace(SQLException e) {
    String state = String.valueOf(e.getSQLState());
    return state.equals("23505") || state.equals("40001") || state.equals("40P01");
  }

  private static void backOff(int attempt) {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(1L << Math.min(attempt, 6)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while retrying a write", e, true);
    }
  }

  private static void rollback(Connection c, Exception cause) {
    try {
      c.rollback();
    } catch (SQLException suppressed) {
      cause.addSuppressed(suppressed);
    }
  }

  @Override
  public Optional<StoredEntity> get(String tenant, String id) {
    return pool.read("get", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT " + COLUMNS + " FROM entity WHERE tenant = ? AND id = ?")) {
        ps.setString(1, tenant);
        ps.setString(2, id);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(row(rs)) : Optional.<StoredEntity>empty();
        }
      }
    });
  }

  static StoredEntity row(ResultSet rs) throws SQLException {
    return new StoredEntity(rs.getString(1), List.of((String[]) rs.getArray(2).getArray()),
        rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getObject(4, OffsetDateTime.class).toInstant(),
        rs.getString(5));
  }

  @Override
  public void scan(String tenant, Selector selector, EntityVisitor visitor) {
    if (selector.area().isPresent()) {
      PostgresGeoIndex.scan(pool, tenant, selector, visitor);
      return;
    }
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM entity e WHERE tenant = ? AND id > ?");
    if (!selector.ids().isEmpty()) {
      sql.append(" AND id = ANY (?)");
    }
    if (!selector.types().isEmpty()) {
      sql.append(" AND EXISTS (SELECT 1 FROM entity_type t WHERE t.tenant = e.tenant AND t.id = e.id"
          + " AND t.type = ANY (?))");
    }
    // Keys are checked on the binary jsonb (no index needed, no text conversion). Text fragments
    // are not used: doc::text would render every scanned document, which costs more than it saves.
    if (!selector.keys().isEmpty()) {
      sql.append(" AND jsonb_exists_all(doc, ?)");
    }
    sql.append(" ORDER BY id LIMIT ").append(CHUNK);
    /*
     * Keyset paging, CHUNK rows per statement: with a LIMIT the planner picks a plan that starts
     * at once (walk the primary key in id order) instead of one for the whole result (join and sort
     * every match), which is what a query that stops after 20 matches needs. The visitor runs
     * between chunks, holding no connection, so it may read and write the store freely.
     */
    String after = "";
    while (true) {
      String from = after;
      List<StoredEntity> chunk = pool.read("scan", c -> {
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
          int i = 1;
          ps.setString(i++, tenant);
          ps.setString(i++, from);
          if (!selector.ids().isEmpty()) {
            ps.setArray(i++, c.createArrayOf("text", selector.ids().toArray()));
          }
          if (!selector.types().isEmpty()) {
            ps.setArray(i++, c.createArrayOf("text", selector.types().toArray()));
          }
          if (!selector.keys().isEmpty()) {
            ps.setArray(i, c.createArrayOf("text", selector.keys().toArray()));
          }
          List<StoredEntity> rows = new java.util.ArrayList<>(CHUNK);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              rows.add(row(rs));
            }
          }
          return rows;
        }
      });
      for (StoredEntity e : chunk) {
        if (!visitor.visit(e)) {
          return;
        }
      }
      if (chunk.size() < CHUNK) {
        return;
      }
      after = chunk.get(chunk.size() - 1).id();
    }
  }

  @Override
  public boolean tenantExists(String tenant) {
    if (knownTenants.contains(tenant)) {
      return true;
    }
    boolean exists = pool.read("tenantExists", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM tenant WHERE name = ?")) {
        ps.setString(1, tenant);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next();
        }
      }
    });
    if (exists) {
      knownTenants.add(tenant);
    }
    return exists;
  }

  @Override
  public Set<String> types(String tenant) {
    // A loose index scan: one index probe per distinct type, not one row per entity, which is
    // what SELECT DISTINCT would read on PostgreSQL 15.
    return pool.read("types", c -> {
      try (PreparedStatement ps = c.prepareStatement("WITH RECURSIVE t (type) AS ("
          + " (SELECT type FROM entity_type WHERE tenant = ? ORDER BY type LIMIT 1)"
          + " UNION ALL"
          + " SELECT (SELECT type FROM entity_type WHERE tenant = ? AND type > t.type ORDER BY type LIMIT 1)"
          + " FROM t WHERE t.type IS NOT NULL)"
          + " SELECT type FROM t WHERE type IS NOT NULL")) {
        ps.setString(1, tenant);
        ps.setString(2, tenant);
        Set<String> types = new TreeSet<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            types.add(rs.getString(1));
          }
        }
        return types;
      }
    });
  }

  @Override
  public DocumentStore documents() {
    return documents;
  }

  @Override
  public nl.sleutelbos.store.History history() {
    return history;
  }

  @Override
  public ChangeFeed feed() {
    return feed;
  }

  @Override
  public nl.sleutelbos.store.AuditStorage audit() {
    return audit;
  }

  @Override
  public nl.sleutelbos.store.CustodyStorage custody() {
    return custody;
  }

  @Override
  public nl.sleutelbos.store.ReadingStore readings() {
    return readings;
  }

  @Override
  public String describe() {
    return pool.description();
  }

  @Override
  public void close() {
    pool.close();
  }

  /** For tests in this package: work on one of the store's own pooled connections. */
  <T> T onPooledConnection(Pool.Work<T> work) {
    return pool.autocommit("test", work);
  }

}

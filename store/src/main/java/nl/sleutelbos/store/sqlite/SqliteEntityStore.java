package nl.sleutelbos.store.sqlite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
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
import nl.sleutelbos.store.internal.Changes;
import nl.sleutelbos.store.internal.Micros;
import nl.sleutelbos.store.internal.Migrations;
import nl.sleutelbos.store.internal.Types;
import org.sqlite.SQLiteConfig;

/**
 * The embedded backend: one SQLite file in WAL mode, written by a single {@link WriterThread}
 * with group commit, checkpointed beside it by a {@link Checkpointer}, and read through a pool of
 * read-only connections (four, and more while scan visitors read; WAL lets readers run beside the
 * writer). Use {@link nl.sleutelbos.store.Stores#open}, not this class.
 */
public final class SqliteEntityStore implements EntityStore, SqliteDocuments.Reads {
  private static final int READERS = 4;

  private final Path file;
  private final WriterThread writer;
  private final Checkpointer checkpointer;
  private final SqliteSession writeSession;
  private final BlockingQueue<SqliteSession> readers = new LinkedBlockingQueue<>();
  private final List<SqliteSession> allReaders = new ArrayList<>();
  private final ThreadLocal<int[]> readersHeld = ThreadLocal.withInitial(() -> new int[1]);
  private final Set<String> knownTenants = ConcurrentHashMap.newKeySet();
  private final SqliteDocuments documents;
  private final SqliteHistory history;
  private final SqliteFeed feed;
  private final SqliteAudit audit;
  private final SqliteCustody custody;
  private final SqliteReadings readings;

  private SqliteEntityStore(Path file) throws SQLException {
    this.file = file;
    String url = "jdbc:sqlite:" + file;
    Connection writeConnection = config(false).createConnection(url);
    Migrations.migrate(writeConnection, "sqlite");
    writeConnection.setAutoCommit(true);
    try (var st = writeConnection.createStatement()) {
      st.execute("PRAGMA wal_autocheckpoint = " + Checkpointer.WRITER_THRESHOLD);
    }
    this.writeSession = new SqliteSession(writeConnection);
    for (int i = 0; i < READERS; i++) {
      readers.add(openReader());
    }
    this.checkpointer = new Checkpointer(config(false).createConnection(url), "sqlite-checkpointer " + file.getFileName());
    this.writer = new WriterThread(writeSession, "sqlite-writer " + file.getFileName(), checkpointer::committed);
    this.documents = new SqliteDocuments(writer, this);
    this.history = new SqliteHistory(writer, this);
    this.feed = new SqliteFeed(writer, this);
    this.audit = new SqliteAudit(writer, this);
    this.custody = new SqliteCustody(writer, this);
    this.readings = new SqliteReadings(writer, this);
  }

  /** A new read-only connection, closed with the store. */
  private SqliteSession openReader() throws SQLException {
    Connection connection = config(true).createConnection("jdbc:sqlite:" + file);
    try (var st = connection.createStatement()) {
      st.execute("PRAGMA query_only = 1"); // a reader that tries to write is a bug; make it fail
    }
    SqliteSession reader = new SqliteSession(connection);
    synchronized (allReaders) {
      allReaders.add(reader);
    }
    return reader;
  }

  public static SqliteEntityStore open(StoreConfig.Sqlite config) {
    Path file = config.file().toAbsolutePath().normalize();
    try {
      Files.createDirectories(file.getParent());
      return new SqliteEntityStore(file);
    } catch (IOException | SQLException e) {
      throw new StoreException("cannot open SQLite database " + file + ": " + e.getMessage(), e);
    }
  }

  private static SQLiteConfig config(boolean readOnly) {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    // FULL: a commit is on disk before the writer acknowledges it, so acknowledged writes survive
    // a power cut too, not just a killed process. Group commit pays for the extra fsync.
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.setBusyTimeout(10_000);
    config.setTempStore(SQLiteConfig.TempStore.MEMORY);
    config.setCacheSize(-16_384); // 16 MiB page cache per connection
    config.setPragma(SQLiteConfig.Pragma.MMAP_SIZE, String.valueOf(256L << 20));
    // Nothing reads JDBC generated keys (the geo index uses last_insert_rowid() in its SQL); left
    // on, the driver prepares, runs and finalizes a SELECT last_insert_rowid() after every INSERT.
    config.setGetGeneratedKeys(false);
    return config;
  }

  @Override
  public List<Outcome> apply(String tenant, List<EntityChange> changes) {
    List<Outcome> outcomes = writer.submit(connection -> applyInTransaction(connection, tenant, changes));
    committed(tenant, outcomes);
    return outcomes;
  }

  /** What follows the durable commit of changes: the tenant known, the feed's followers woken. */
  void committed(String tenant, List<Outcome> outcomes) {
    // Remembered only now that the commit is durable: a tenant remembered before a failed commit
    // would be reported as existing, and its row would never be written by the next write.
    if (outcomes.stream().anyMatch(Outcome.Put.class::isInstance)) {
      knownTenants.add(tenant);
    }
    feed.committed();
  }

  /** Applies the changes inside the writer's current task; the caller commits. */
  List<Outcome> applyInTransaction(SqliteSession c, String tenant, List<EntityChange> changes)
      throws SQLException {
    List<Outcome> outcomes = new ArrayList<>(changes.size());
    boolean wrote = false;
    for (EntityChange change : changes) {
      Optional<StoredEntity> current = read(c, tenant, change.entityId());
      Outcome outcome = Changes.run(change, current);
      switch (outcome) {
        case Outcome.Put put -> {
          write(c, tenant, put.entity(), current);
          SqliteHistory.write(c, tenant, put.entity().id(), put.entity().types(), put.derived().history());
          SqliteGeoIndex.replace(c, tenant, put.entity().id(), put.derived().extents());
          wrote = true;
        }
        case Outcome.Remove remove -> {
          if (current.isPresent()) {
            delete(c, tenant, current.get());
            SqliteGeoIndex.replace(c, tenant, current.get().id(), List.of());
          }
        }
        case Outcome.Unchanged unchanged -> { }
        case Outcome.Rejected rejected -> { }
      }
      SqliteFeed.append(c, tenant, outcome, current);
      outcomes.add(outcome);
    }
    if (wrote && !knownTenants.contains(tenant)) {
      PreparedStatement ps = c.prepare("INSERT OR IGNORE INTO tenant (name, created_at) VALUES (?, ?)");
      ps.setString(1, tenant);
      ps.setLong(2, Micros.of(java.time.Instant.now()));
      ps.executeUpdate();
    }
    return outcomes;
  }

  private static void write(SqliteSession c, String tenant, StoredEntity e, Optional<StoredEntity> current)
      throws SQLException {
    PreparedStatement upsert = c.prepare(
        "INSERT INTO entity (tenant, id, types, created_at, modified_at, doc) VALUES (?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT (tenant, id) DO UPDATE SET types = excluded.types, "
            + "created_at = excluded.created_at, modified_at = excluded.modified_at, doc = excluded.doc");
    upsert.setString(1, tenant);
    upsert.setString(2, e.id());
    upsert.setString(3, Types.join(e.types()));
    upsert.setLong(4, Micros.of(e.createdAt()));
    upsert.setLong(5, Micros.of(e.modifiedAt()));
    upsert.setString(6, e.document());
    upsert.executeUpdate();
    List<String> oldTypes = current.map(StoredEntity::types).orElse(List.of());
    if (oldTypes.equals(e.types())) {
      return;
    }
    Set<String> removed = new HashSet<>(oldTypes);
    e.types().forEach(removed::remove);
    for (String type : removed) {
      typeRow(c, DELETE_TYPE, tenant, type, e.id());
    }
    for (String type : e.types()) {
      typeRow(c, INSERT_TYPE, tenant, type, e.id());
    }
  }

  private static final String INSERT_TYPE = "INSERT OR IGNORE INTO entity_type (tenant, type, id) VALUES (?, ?, ?)";
  // By full primary key, one row per type: "WHERE tenant = ? AND id = ?" cannot use the
  // (tenant, type, id) key and would read every type row of the tenant.
  private static final String DELETE_TYPE = "DELETE FROM entity_type WHERE tenant = ? AND type = ? AND id = ?";

  private static void typeRow(SqliteSession c, String sql, String tenant, String type, String id) throws SQLException {
    PreparedStatement ps = c.prepare(sql);
    ps.setString(1, tenant);
    ps.setString(2, type);
    ps.setString(3, id);
    ps.executeUpdate();
  }

  private static void delete(SqliteSession c, String tenant, StoredEntity current) throws SQLException {
    PreparedStatement ps = c.prepare("DELETE FROM entity WHERE tenant = ? AND id = ?");
    ps.setString(1, tenant);
    ps.setString(2, current.id());
    ps.executeUpdate();
    for (String type : new HashSet<>(current.types())) {
      typeRow(c, DELETE_TYPE, tenant, type, current.id());
    }
  }

  private static Optional<StoredEntity> read(SqliteSession c, String tenant, String id) throws SQLException {
    PreparedStatement ps = c.prepare(
        "SELECT id, types, created_at, modified_at, doc FROM entity WHERE tenant = ? AND id = ?");
    ps.setString(1, tenant);
    ps.setString(2, id);
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? Optional.of(row(rs)) : Optional.empty();
    }
  }

  static StoredEntity row(ResultSet rs) throws SQLException {
    return new StoredEntity(rs.getString(1), Types.split(rs.getString(2)),
        Micros.toInstant(rs.getLong(3)), Micros.toInstant(rs.getLong(4)), rs.getString(5));
  }

  @Override
  public Optional<StoredEntity> get(String tenant, String id) {
    return withReader(c -> read(c, tenant, id));
  }

  @Override
  public void scan(String tenant, Selector selector, EntityVisitor visitor) {
    if (selector.area().isPresent()) {
      SqliteGeoIndex.scan(this, tenant, selector, visitor);
      return;
    }
    StringBuilder sql;
    List<String> args = new ArrayList<>();
    if (selector.types().size() == 1) {
      // One type: walk the type index, which is already in id order, and stop when the visitor
      // does. "id IN (subquery)" would first collect every id of the type, however few are read.
      sql = new StringBuilder("SELECT e.id, e.types, e.created_at, e.modified_at, e.doc"
          + " FROM entity_type t JOIN entity e ON e.tenant = t.tenant AND e.id = t.id"
          + " WHERE t.tenant = ? AND t.type = ?");
      args.add(tenant);
      args.add(selector.types().iterator().next());
    } else {
      sql = new StringBuilder("SELECT id, types, created_at, modified_at, doc FROM entity e WHERE tenant = ?");
      args.add(tenant);
      if (!selector.types().isEmpty()) {
        sql.append(" AND id IN (SELECT id FROM entity_type WHERE tenant = ? AND type IN (")
            .append(placeholders(selector.types().size())).append("))");
        args.add(tenant);
        args.addAll(new TreeSet<>(selector.types()));
      }
    }
    if (!selector.ids().isEmpty()) {
      sql.append(" AND e.id IN (").append(placeholders(selector.ids().size())).append(')');
      args.addAll(new TreeSet<>(selector.ids()));
    }
    Set<String> texts = new TreeSet<>(selector.fragments());
    for (String key : selector.keys()) {
      texts.add(quoted(key)); // our documents are compact JSON: a member's key appears quoted
    }
    for (String fragment : texts) {
      // Skips documents without parsing them in Java; instr() on the stored text is a memchr-speed scan.
      sql.append(" AND instr(e.doc, ?) > 0");
      args.add(fragment);
    }
    sql.append(" ORDER BY e.id");
    withReader(c -> {
      try (PreparedStatement ps = c.connection().prepareStatement(sql.toString())) {
        for (int i = 0; i < args.size(); i++) {
          ps.setString(i + 1, args.get(i));
        }
        ps.setFetchSize(256);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            if (!visitor.visit(row(rs))) {
              break;
            }
          }
        }
      }
      return null;
    });
  }

  private static String quoted(String key) {
    return '"' + key.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  private static String placeholders(int n) {
    return "?,".repeat(n - 1) + "?";
  }

  @Override
  public boolean tenantExists(String tenant) {
    if (knownTenants.contains(tenant)) {
      return true;
    }
    boolean exists = withReader(c -> {
      PreparedStatement ps = c.prepare("SELECT 1 FROM tenant WHERE name = ?");
      ps.setString(1, tenant);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    });
    if (exists) {
      knownTenants.add(tenant);
    }
    return exists;
  }

  @Override
  public Set<String> types(String tenant) {
    return withReader(c -> {
      Set<String> types = new TreeSet<>();
      // A skip-scan over the type index: one probe per distinct type, not one row per entity.
      PreparedStatement ps = c.prepare("SELECT DISTINCT type FROM entity_type WHERE tenant = ?");
      ps.setString(1, tenant);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          types.add(rs.getString(1));
        }
      }
      return types;
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
    return "sqlite:" + file;
  }

  /** Work on a pooled read-only connection. */
  @FunctionalInterface
  interface Read<T> {
    T run(SqliteSession session) throws SQLException;
  }

  @Override
  public <T> T withReader(Read<T> read) {
    int[] held = readersHeld.get();
    SqliteSession c;
    try {
      // A read from inside a scan's visitor must not wait for a reader: if every reader is held
      // by a scan whose visitor reads, they would wait on each other for ever. Nor may it share
      // the scan's connection, whose read transaction would hide writes committed since the scan
      // began (even the visitor's own). So it takes a free reader, or opens one more.
      c = held[0] == 0 ? readers.take() : readers.poll();
      if (c == null) {
        c = openReader();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while waiting for a read connection", e, true);
    } catch (SQLException e) {
      throw new StoreException("cannot open a read connection to " + describe() + ": " + e.getMessage(), e);
    }
    held[0]++;
    try {
      return read.run(c);
    } catch (SQLException e) {
      throw new StoreException("read failed on " + describe() + ": " + e.getMessage(), e);
    } finally {
      held[0]--;
      readers.add(c);
    }
  }

  @Override
  public void close() {
    writer.close();
    checkpointer.close();
    synchronized (allReaders) {
      for (SqliteSession c : allReaders) {
        closeQuietly(c);
      }
    }
    writeSession.close();
  }

  private static void closeQuietly(SqliteSession c) {
    c.close();
  }
}

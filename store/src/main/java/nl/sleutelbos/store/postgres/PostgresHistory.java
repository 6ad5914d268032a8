package nl.sleutelbos.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import nl.sleutelbos.store.AttributeInstance;
import nl.sleutelbos.store.History;
import nl.sleutelbos.store.Outcome;
import nl.sleutelbos.store.StoreException;
import nl.sleutelbos.store.internal.Micros;
import nl.sleutelbos.store.internal.SpanSql;

/**
 * Attribute history in PostgreSQL (schema in {@code V3__history.sql}). The instance table is
 * range-partitioned by month of the key time; a write creates the partitions it needs inside its
 * own transaction, under a savepoint, so that a creation lost to a concurrent writer (SQLSTATE
 * 42P07 or 23505) is simply skipped.
 */
final class PostgresHistory implements History {
  private static final int MAX_ATTEMPTS = 10;
  private static final String UPSERT = "INSERT INTO history_instance (entity, attribute, t, instance_id, observed,"
      + " dataset_id, created_at, modified_at, number, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
      + " ON CONFLICT (entity, attribute, t, instance_id) DO UPDATE SET observed = excluded.observed,"
      + " dataset_id = excluded.dataset_id, created_at = excluded.created_at, modified_at = excluded.modified_at,"
      + " number = excluded.number, doc = excluded.doc";
  /**
   * Partitions known to be committed, per database and schema (the JDBC URL). A partition enters
   * only once a CREATE ... IF NOT EXISTS found it already there, so a creation rolled back with
   * its transaction is never remembered.
   */
  private static final Map<String, Set<String>> COMMITTED_PARTITIONS = new ConcurrentHashMap<>();

  private final Pool pool;

  PostgresHistory(Pool pool) {
    this.pool = pool;
  }

  /** Writes the history of every put among the outcomes: the one line the apply path calls. */
  static void write(Connection c, String tenant, List<Outcome> outcomes) throws SQLException {
    for (Outcome outcome : outcomes) {
      if (outcome instanceof Outcome.Put put && !put.derived().history().isEmpty()) {
        write(c, tenant, put.entity().id(), put.entity().types(), put.derived().history());
      }
    }
  }

  private static boolean write(Connection c, String tenant, String id, List<String> types,
      List<AttributeInstance> instances) throws SQLException {
    long[] entity = entityKey(c, tenant, id, types);
    Set<String> committed = committedPartitions(c);
    Set<String> created = new HashSet<>();
    Map<String, Integer> attributes = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
      for (AttributeInstance i : instances) {
        partition(c, SpanSql.keyTime(i), committed, created);
        Integer attribute = attributes.get(i.attribute());
        if (attribute == null) {
          attribute = attributeKey(c, i.attribute());
          attributes.put(i.attribute(), attribute);
        }
        bind(ps, entity[0], attribute, i);
        ps.addBatch();
      }
      ps.executeBatch();
    }
    return entity[1] == 1;
  }

  private static void bind(PreparedStatement ps, long entity, int attribute, AttributeInstance i) throws SQLException {
    ps.setLong(1, entity);
    ps.setInt(2, attribute);
    ps.setLong(3, SpanSql.keyTime(i));
    ps.setString(4, i.instanceId());
    ps.setBoolean(5, i.observedAt().isPresent());
    ps.setString(6, i.datasetId().orElse(null));
    ps.setLong(7, Micros.of(i.createdAt()));
    ps.setLong(8, Micros.of(i.modifiedAt()));
    if (i.number().isPresent()) {
      ps.setDouble(9, i.number().get());
    } else {
      ps.setNull(9, java.sql.Types.DOUBLE);
    }
    ps.setString(10, i.document());
  }

  /** Makes sure the month partition holding key time t exists in this transaction. */
  private static void partition(Connection c, long t, Set<String> committed, Set<String> createdHere)
      throws SQLException {
    LocalDate month = Micros.toInstant(t).atZone(ZoneOffset.UTC).toLocalDate().withDayOfMonth(1);
    String name = String.format("history_instance_y%04dm%02d", month.getYear(), month.getMonthValue());
    if (committed.contains(name) || createdHere.contains(name)) {
      return;
    }
    long from = Micros.of(month.atStartOfDay().toInstant(ZoneOffset.UTC));
    long to = Micros.of(month.plusMonths(1).atStartOfDay().toInstant(ZoneOffset.UTC));
    Savepoint savepoint = c.setSavepoint();
    try (Statement st = c.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS " + name + " PARTITION OF history_instance FOR VALUES FROM ("
          + from + ") TO (" + to + ")");
      SQLWarning warning = st.getWarnings();
      if (warning != null && "42P07".equals(warning.getSQLState())) {
        committed.add(name); // it was there before this transaction began, or is committed now
      } else {
        createdHere.add(name);
      }
      c.releaseSavepoint(savepoint);
    } catch (SQLException e) {
      c.rollback(savepoint);
      if (!"42P07".equals(e.getSQLState()) && !"23505".equals(e.getSQLState())) {
        throw e;
      }
      committed.add(name); // a concurrent writer created it and committed first
    }
  }

  /** The partitions known to be committed in the database and schema this connection reaches. */
  private static Set<String> committedPartitions(Connection c) throws SQLException {
    return COMMITTED_PARTITIONS.computeIfAbsent(c.getMetaData().getURL(), k -> ConcurrentHashMap.newKeySet());
  }

  private static long[] entityKey(Connection c, String tenant, String id, List<String> types) throws SQLException {
    long key;
    boolean inserted;
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO history_entity (tenant, id, types) VALUES (?, ?, ?)"
        + " ON CONFLICT (tenant, id) DO UPDATE SET types = excluded.types RETURNING key, xmax = 0")) {
      ps.setString(1, tenant);
      ps.setString(2, id);
      ps.setArray(3, c.createArrayOf("text", types.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        key = rs.getLong(1);
        inserted = rs.getBoolean(2);
      }
    }
    try (PreparedStatement drop = c.prepareStatement(
            "DELETE FROM history_type WHERE tenant = ? AND entity = ? AND NOT (type = ANY (?))");
        PreparedStatement add = c.prepareStatement(
            "INSERT INTO history_type (tenant, type, entity) SELECT ?, unnest(?::text[]), ? ON CONFLICT DO NOTHING")) {
      if (!inserted) {
        drop.setString(1, tenant);
        drop.setLong(2, key);
        drop.setArray(3, c.createArrayOf("text", types.toArray()));
        drop.executeUpdate();
      }
      add.setString(1, tenant);
      add.setArray(2, c.createArrayOf("text", new TreeSet<>(types).toArray()));
      add.setLong(3, key);
      add.executeUpdate();
    }
    return new long[] {key, inserted ? 1 : 0};
  }

  private static int attributeKey(Connection c, String iri) throws SQLException {
    Optional<Integer> known = findAttribute(c, iri);
    if (known.isPresent()) {
      return known.get();
    }
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO history_attribute (iri) VALUES (?) ON CONFLICT (iri) DO NOTHING")) {
      ps.setString(1, iri);
      ps.executeUpdate();
    }
    return findAttribute(c, iri).orElseThrow(() -> new IllegalStateException("attribute key vanished: " + iri));
  }

  private static Optional<Integer> findAttribute(Connection c, String iri) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT key FROM history_attribute WHERE iri = ?")) {
      ps.setString(1, iri);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getInt(1)) : Optional.empty();
      }
    }
  }

  private static Optional<Long> entityKey(Connection c, String tenant, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT key FROM history_entity WHERE tenant = ? AND id = ?")) {
      ps.setString(1, tenant);
      ps.setString(2, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
      }
    }
  }

  private static Optional<long[]> keys(Connection c, String tenant, String id, String attribute) throws SQLException {
    Optional<Long> entity = entityKey(c, tenant, id);
    Optional<Integer> attr = entity.isPresent() ? findAttribute(c, attribute) : Optional.empty();
    return attr.map(a -> new long[] {entity.get(), a});
  }

  // --- writes through their own transaction ---------------------------------------------------

  /** A write in one transaction, rerun when it loses a race (deadlock, unique violation). */
  private <T> T transaction(String what, Pool.Work<T> work) {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = pool.connection()) {
        c.setAutoCommit(false);
        try {
          T result = work.run(c);
          c.commit();
          return result;
        } catch (SQLException | RuntimeException e) {
          c.rollback();
          throw e;
        }
      } catch (SQLException e) {
        String state = String.valueOf(e.getSQLState());
        boolean lostRace = state.equals("23505") || state.equals("40001") || state.equals("40P01");
        if (!lostRace || attempt >= MAX_ATTEMPTS) {
          throw Pool.failure(what + " failed on " + pool.description(), e);
        }
        try {
          Thread.sleep(ThreadLocalRandom.current().nextLong(1L << Math.min(attempt, 6)));
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new StoreException("interrupted while retrying a history write", interrupted, true);
        }
      }
    }
  }

  @Override
  public boolean append(String tenant, String entityId, List<String> types, List<AttributeInstance> instances) {
    for (AttributeInstance i : instances) {
      if (!i.entityId().equals(entityId)) {
        throw new IllegalArgumentException("instance " + i.instanceId() + " belongs to " + i.entityId()
            + ", not to " + entityId);
      }
    }
    if (instances.isEmpty()) {
      return false;
    }
    return transaction("history append", c -> write(c, tenant, entityId, types, instances));
  }

  @Override
  public boolean replace(String tenant, String entityId, String attribute, String instanceId,
      AttributeInstance replacement) {
    return transaction("history replace", c -> {
      Optional<long[]> keys = keys(c, tenant, entityId, attribute);
      if (keys.isEmpty() || !deleteOne(c, keys.get(), instanceId)) {
        return false;
      }
      partition(c, SpanSql.keyTime(replacement), committedPartitions(c), new HashSet<>());
      try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
        bind(ps, keys.get()[0], (int) keys.get()[1], replacement);
        ps.setString(4, instanceId);
        ps.executeUpdate();
      }
      return true;
    });
  }

  @Override
  public boolean deleteInstance(String tenant, String entityId, String attribute, String instanceId) {
    return transaction("history delete", c -> {
      Optional<long[]> keys = keys(c, tenant, entityId, attribute);
      return keys.isPresent() && deleteOne(c, keys.get(), instanceId);
    });
  }

  private static boolean deleteOne(Connection c, long[] keys, String instanceId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "DELETE FROM history_instance WHERE entity = ? AND attribute = ? AND instance_id = ?")) {
      ps.setLong(1, keys[0]);
      ps.setInt(2, (int) keys[1]);
      ps.setString(3, instanceId);
      return ps.executeUpdate() > 0;
    }
  }

  @Override
  public int deleteAttribute(String tenant, String entityId, String attribute, Optional<String> datasetId, boolean all) {
    return transaction("history delete", c -> {
      Optional<long[]> keys = keys(c, tenant, entityId, attribute);
      if (keys.isEmpty()) {
        return 0;
      }
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM history_instance WHERE entity = ? AND attribute = ?"
          + (all ? "" : datasetId.isPresent() ? " AND dataset_id = ?" : " AND dataset_id IS NULL"))) {
        ps.setLong(1, keys.get()[0]);
        ps.setInt(2, (int) keys.get()[1]);
        if (!all && datasetId.isPresent()) {
          ps.setString(3, datasetId.get());
        }
        return ps.executeUpdate();
      }
    });
  }

  @Override
  public boolean deleteEntity(String tenant, String entityId) {
    return transaction("history delete", c -> {
      Optional<Long> entity = entityKey(c, tenant, entityId);
      if (entity.isEmpty()) {
        return false;
      }
      try (PreparedStatement instances = c.prepareStatement("DELETE FROM history_instance WHERE entity = ?");
          PreparedStatement types = c.prepareStatement("DELETE FROM history_type WHERE tenant = ? AND entity = ?");
          PreparedStatement subject = c.prepareStatement("DELETE FROM history_entity WHERE key = ?")) {
        instances.setLong(1, entity.get());
        instances.executeUpdate();
        types.setString(1, tenant);
        types.setLong(2, entity.get());
        types.executeUpdate();
        subject.setLong(1, entity.get());
        subject.executeUpdate();
      }
      return true;
    });
  }

  @Override
  public int expire(String tenant, String type, Optional<String> attribute, Instant before, int batch) {
    if (batch < 1) {
      throw new IllegalArgumentException("batch < 1: " + batch);
    }
    return transaction("history expiry", c -> {
      Optional<Integer> attributeKey = Optional.empty();
      if (attribute.isPresent()) {
        attributeKey = findAttribute(c, attribute.get());
        if (attributeKey.isEmpty()) {
          return 0;
        }
      }
      String sql = "DELETE FROM history_instance WHERE (entity, attribute, t, instance_id) IN ("
          + "SELECT i.entity, i.attribute, i.t, i.instance_id FROM history_type y"
          + " JOIN history_instance i ON i.entity = y.entity WHERE y.tenant = ? AND y.type = ?"
          + (attributeKey.isPresent() ? " AND i.attribute = ?" : "") + " AND i.t < ? LIMIT ?)";
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        int n = 1;
        ps.setString(n++, tenant);
        ps.setString(n++, type);
        if (attributeKey.isPresent()) {
          ps.setInt(n++, attributeKey.get());
        }
        ps.setLong(n++, Micros.of(before));
        ps.setInt(n, batch);
        return ps.executeUpdate();
      }
    });
  }

  // --- reads ----------------------------------------------------------------------------------

  @Override
  public Optional<Subject> subject(String tenant, String entityId) {
    return pool.read("history subject", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT id, types FROM history_entity WHERE tenant = ? AND id = ?")) {
        ps.setString(1, tenant);
        ps.setString(2, entityId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(subjectRow(rs)) : Optional.<Subject>empty();
        }
      }
    });
  }

  private static Subject subjectRow(ResultSet rs) throws SQLException {
    return new Subject(rs.getString(1), List.of((String[]) rs.getArray(2).getArray()));
  }

  @Override
  public List<Subject> subjects(String tenant, Set<String> ids, Set<String> types, Optional<String> afterId, int limit) {
    StringBuilder sql = new StringBuilder("SELECT id, types FROM history_entity WHERE tenant = ?");
    if (afterId.isPresent()) {
      sql.append(" AND id > ?");
    }
    if (!ids.isEmpty()) {
      sql.append(" AND id = ANY (?)");
    }
    if (!types.isEmpty()) {
      sql.append(" AND key IN (SELECT entity FROM history_type WHERE tenant = ? AND type = ANY (?))");
    }
    sql.append(" ORDER BY id LIMIT ?");
    return pool.read("history subjects", c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        int n = 1;
        ps.setString(n++, tenant);
        if (afterId.isPresent()) {
          ps.setString(n++, afterId.get());
        }
        if (!ids.isEmpty()) {
          ps.setArray(n++, c.createArrayOf("text", ids.toArray()));
        }
        if (!types.isEmpty()) {
          ps.setString(n++, tenant);
          ps.setArray(n++, c.createArrayOf("text", types.toArray()));
        }
        ps.setInt(n, limit);
        List<Subject> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(subjectRow(rs));
          }
        }
        return out;
      }
    });
  }

  @Override
  public List<AttributeInstance> read(String tenant, String entityId, Set<String> attributes, Span span,
      int limitPerAttribute, boolean latestFirst) {
    StringBuilder sql = new StringBuilder("SELECT t, instance_id, observed, dataset_id, created_at, modified_at,"
        + " number, doc FROM history_instance WHERE entity = ? AND attribute = ?");
    List<Object> spanArgs = new ArrayList<>();
    SpanSql.where(span, "true", sql, spanArgs);
    sql.append(latestFirst ? " ORDER BY t DESC, instance_id DESC" : " ORDER BY t, instance_id").append(" LIMIT ?");
    return pool.read("history read", c -> {
      Optional<Long> entity = entityKey(c, tenant, entityId);
      if (entity.isEmpty()) {
        return List.<AttributeInstance>of();
      }
      Map<String, Integer> wanted = attributes(c, entity.get(), attributes);
      List<AttributeInstance> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        for (Map.Entry<String, Integer> attribute : wanted.entrySet()) {
          int n = 1;
          ps.setLong(n++, entity.get());
          ps.setInt(n++, attribute.getValue());
          for (Object arg : spanArgs) {
            ps.setLong(n++, (Long) arg);
          }
          ps.setInt(n, limitPerAttribute);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              Instant t = Micros.toInstant(rs.getLong(1));
              double number = rs.getDouble(7);
              boolean hasNumber = !rs.wasNull();
              out.add(new AttributeInstance(entityId, attribute.getKey(), Optional.ofNullable(rs.getString(4)),
                  rs.getString(2), rs.getBoolean(3) ? Optional.of(t) : Optional.empty(),
                  Micros.toInstant(rs.getLong(5)), Micros.toInstant(rs.getLong(6)),
                  hasNumber ? Optional.of(number) : Optional.empty(), rs.getString(8)));
            }
          }
        }
      }
      return out;
    });
  }

  /** The wanted attributes (all the entity has, when none are named) with their keys, in IRI order. */
  private static Map<String, Integer> attributes(Connection c, long entity, Set<String> named) throws SQLException {
    Map<String, Integer> out = new TreeMap<>();
    String sql = named.isEmpty()
        ? "SELECT a.iri, a.key FROM history_attribute a WHERE EXISTS"
            + " (SELECT 1 FROM history_instance i WHERE i.entity = ? AND i.attribute = a.key)"
        : "SELECT iri, key FROM history_attribute WHERE iri = ANY (?)";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      if (named.isEmpty()) {
        ps.setLong(1, entity);
      } else {
        ps.setArray(1, c.createArrayOf("text", named.toArray()));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getInt(2));
        }
      }
    }
    return out;
  }

  @Override
  public List<Bucket> summarize(String tenant, String entityId, String attribute, Span span, Duration period,
      boolean distinct) {
    Instant from = span.from().orElseThrow(() -> new IllegalArgumentException("summarize needs a span start"));
    span.until().orElseThrow(() -> new IllegalArgumentException("summarize needs a span end"));
    long periodMicros = Math.addExact(Math.multiplyExact(period.getSeconds(), 1_000_000L), period.getNano() / 1_000);
    if (periodMicros < 1) {
      throw new IllegalArgumentException("period < 1 µs: " + period);
    }
    String column = SpanSql.column(span.property());
    StringBuilder sql = new StringBuilder("SELECT (" + column + " - ?) / ? AS b, count(*), count(number),"
        + " coalesce(sum(number), 0), coalesce(sum(number * number), 0), min(number), max(number),"
        + (distinct ? " count(DISTINCT coalesce(number::text, doc))" : " -1") + " FROM history_instance WHERE entity = ? AND attribute = ?");
    List<Object> spanArgs = new ArrayList<>();
    SpanSql.where(span, "true", sql, spanArgs);
    sql.append(" GROUP BY b ORDER BY b");
    return pool.read("history summary", c -> {
      Optional<long[]> keys = keys(c, tenant, entityId, attribute);
      if (keys.isEmpty()) {
        return List.<Bucket>of();
      }
      List<Bucket> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        int n = 1;
        ps.setLong(n++, Micros.of(from));
        ps.setLong(n++, periodMicros);
        ps.setLong(n++, keys.get()[0]);
        ps.setInt(n++, (int) keys.get()[1]);
        for (Object arg : spanArgs) {
          ps.setLong(n++, (Long) arg);
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            long numbers = rs.getLong(3);
            out.add(new Bucket(Micros.toInstant(Micros.of(from) + rs.getLong(1) * periodMicros), rs.getLong(2),
                numbers, rs.getDouble(4), rs.getDouble(5), numbers == 0 ? Double.NaN : rs.getDouble(6),
                numbers == 0 ? Double.NaN : rs.getDouble(7), rs.getLong(8)));
          }
        }
      }
      return out;
    });
  }
}

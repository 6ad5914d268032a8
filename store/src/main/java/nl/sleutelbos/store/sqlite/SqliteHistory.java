package nl.sleutelbos.store.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
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
import nl.sleutelbos.store.AttributeInstance;
import nl.sleutelbos.store.History;
import nl.sleutelbos.store.internal.Micros;
import nl.sleutelbos.store.internal.SpanSql;
import nl.sleutelbos.store.internal.Types;

/**
 * Attribute history in SQLite (schema in {@code V3__history.sql}): writes run on the store's
 * writer thread, in the entity's own transaction when they come from a put; reads run on the
 * reader pool. About 90 bytes per numeric instance with a short instance id.
 */
final class SqliteHistory implements History {
  private final WriterThread writer;
  private final SqliteDocuments.Reads reads;
  /**
   * Attribute keys seen by readers. Only committed keys are cached: a key the writer inserted
   * may still be rolled back with its savepoint, and SQLite would then hand it to another IRI.
   */
  private final Map<String, Long> committedAttributes = new ConcurrentHashMap<>();

  SqliteHistory(WriterThread writer, SqliteDocuments.Reads reads) {
    this.writer = writer;
    this.reads = reads;
  }

  // --- writes ---------------------------------------------------------------------------------

  @Override
  public boolean append(String tenant, String entityId, List<String> types, List<AttributeInstance> instances) {
    for (AttributeInstance i : instances) {
      if (!i.entityId().equals(entityId)) {
        throw new IllegalArgumentException("instance " + i.instanceId() + " belongs to " + i.entityId()
            + ", not to " + entityId);
      }
    }
    return writer.submit(c -> write(c, tenant, entityId, types, instances));
  }

  /**
   * Writes instances on the writer connection inside the caller's transaction: the one line the
   * entity write path calls.
   *
   * @return whether the entity had no history before
   */
  static boolean write(SqliteSession c, String tenant, String entityId, List<String> types,
      List<AttributeInstance> instances) throws SQLException {
    if (instances.isEmpty()) {
      return false;
    }
    long[] entity = entityKey(c, tenant, entityId, types);
    Map<String, Long> attributes = new HashMap<>();
    PreparedStatement ps = c.prepare("INSERT OR REPLACE INTO history_instance (entity, attribute, t, instance_id,"
        + " observed, dataset_id, created_at, modified_at, number, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (AttributeInstance i : instances) {
      Long attribute = attributes.get(i.attribute());
      if (attribute == null) {
        attribute = attributeKey(c, i.attribute());
        attributes.put(i.attribute(), attribute);
      }
      bind(ps, entity[0], attribute, i);
      ps.addBatch();
    }
    // One native call for the batch: sqlite-jdbc binds and steps every row in C, where a
    // per-row executeUpdate would cross JNI a dozen times per instance.
    ps.executeBatch();
    return entity[1] == 1;
  }

  private static void bind(PreparedStatement ps, long entity, long attribute, AttributeInstance i) throws SQLException {
    ps.setLong(1, entity);
    ps.setLong(2, attribute);
    ps.setLong(3, SpanSql.keyTime(i));
    ps.setString(4, i.instanceId());
    ps.setInt(5, i.observedAt().isPresent() ? 1 : 0);
    ps.setString(6, i.datasetId().orElse(null));
    ps.setLong(7, Micros.of(i.createdAt()));
    ps.setLong(8, Micros.of(i.modifiedAt()));
    if (i.number().isPresent()) {
      ps.setDouble(9, i.number().get());
    } else {
      ps.setNull(9, java.sql.Types.REAL);
    }
    ps.setString(10, i.document());
  }

  /** The entity's key and 1 if it was created now, else 0; its types are brought up to date. */
  private static long[] entityKey(SqliteSession c, String tenant, String id, List<String> types) throws SQLException {
    PreparedStatement find = c.prepare("SELECT key, types FROM history_entity WHERE tenant = ? AND id = ?");
    find.setString(1, tenant);
    find.setString(2, id);
    String joined = Types.join(types);
    try (ResultSet rs = find.executeQuery()) {
      if (rs.next()) {
        long key = rs.getLong(1);
        String old = rs.getString(2);
        if (!old.equals(joined)) {
          PreparedStatement update = c.prepare("UPDATE history_entity SET types = ? WHERE key = ?");
          update.setString(1, joined);
          update.setLong(2, key);
          update.executeUpdate();
          Set<String> gone = new HashSet<>(Types.split(old));
          types.forEach(gone::remove);
          for (String type : gone) {
            typeRow(c, "DELETE FROM history_type WHERE tenant = ? AND type = ? AND entity = ?", tenant, type, key);
          }
          for (String type : types) {
            typeRow(c, "INSERT OR IGNORE INTO history_type (tenant, type, entity) VALUES (?, ?, ?)", tenant, type, key);
          }
        }
        return new long[] {key, 0};
      }
    }
    PreparedStatement insert = c.prepare("INSERT INTO history_entity (tenant, id, types) VALUES (?, ?, ?) RETURNING key");
    insert.setString(1, tenant);
    insert.setString(2, id);
    insert.setString(3, joined);
    long key;
    try (ResultSet rs = insert.executeQuery()) {
      rs.next();
      key = rs.getLong(1);
    }
    for (String type : new TreeSet<>(types)) {
      typeRow(c, "INSERT OR IGNORE INTO history_type (tenant, type, entity) VALUES (?, ?, ?)", tenant, type, key);
    }
    return new long[] {key, 1};
  }

  private static void typeRow(SqliteSession c, String sql, String tenant, String type, long key) throws SQLException {
    PreparedStatement ps = c.prepare(sql);
    ps.setString(1, tenant);
    ps.setString(2, type);
    ps.setLong(3, key);
    ps.executeUpdate();
  }

  private static long attributeKey(SqliteSession c, String iri) throws SQLException {
    Optional<Long> known = findAttribute(c, iri);
    if (known.isPresent()) {
      return known.get();
    }
    PreparedStatement insert = c.prepare("INSERT INTO history_attribute (iri) VALUES (?) RETURNING key");
    insert.setString(1, iri);
    try (ResultSet rs = insert.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Optional<Long> findAttribute(SqliteSession c, String iri) throws SQLException {
    PreparedStatement find = c.prepare("SELECT key FROM history_attribute WHERE iri = ?");
    find.setString(1, iri);
    try (ResultSet rs = find.executeQuery()) {
      return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
    }
  }

  @Override
  public boolean replace(String tenant, String entityId, String attribute, String instanceId,
      AttributeInstance replacement) {
    return writer.submit(c -> {
      Optional<long[]> keys = keys(c, tenant, entityId, attribute);
      if (keys.isEmpty() || !deleteOne(c, keys.get(), instanceId)) {
        return false;
      }
      PreparedStatement ps = c.prepare("INSERT INTO history_instance (entity, attribute, t, instance_id,"
          + " observed, dataset_id, created_at, modified_at, number, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      bind(ps, keys.get()[0], keys.get()[1], replacement);
      ps.setString(4, instanceId);
      ps.executeUpdate();
      return true;
    });
  }

  @Override
  public boolean deleteInstance(String tenant, String entityId, String attribute, String instanceId) {
    return writer.submit(c -> {
      Optional<long[]> keys = keys(c, tenant, entityId, attribute);
      return keys.isPresent() && deleteOne(c, keys.get(), instanceId);
    });
  }

  /** Deletes one instance by id: a scan of the attribute's range, as instance ids are not indexed. */
  private static boolean deleteOne(SqliteSession c, long[] keys, String instanceId) throws SQLException {
    PreparedStatement ps = c.prepare(
        "DELETE FROM history_instance WHERE entity = ? AND attribute = ? AND instance_id = ?");
    ps.setLong(1, keys[0]);
    ps.setLong(2, keys[1]);
    ps.setString(3, instanceId);
    return ps.executeUpdate() > 0;
  }

  @Override
  public int deleteAttribute(String tenant, String entityId, String attribute, Optional<String> datasetId, boolean all) {
    return writer.submit(c -> {
      Optional<long[]> keys = keys(c, tenant, entityId, attribute);
      if (keys.isEmpty()) {
        return 0;
      }
      String sql = "DELETE FROM history_instance WHERE entity = ? AND attribute = ?"
          + (all ? "" : datasetId.isPresent() ? " AND dataset_id = ?" : " AND dataset_id IS NULL");
      PreparedStatement ps = c.prepare(sql);
      ps.setLong(1, keys.get()[0]);
      ps.setLong(2, keys.get()[1]);
      if (!all && datasetId.isPresent()) {
        ps.setString(3, datasetId.get());
      }
      return ps.executeUpdate();
    });
  }

  @Override
  public boolean deleteEntity(String tenant, String entityId) {
    return writer.submit(c -> {
      Optional<Long> entity = entityKey(c, tenant, entityId);
      if (entity.isEmpty()) {
        return false;
      }
      for (String sql : List.of("DELETE FROM history_instance WHERE entity = ?",
          "DELETE FROM history_type WHERE tenant = ? AND entity = ?", "DELETE FROM history_entity WHERE key = ?")) {
        PreparedStatement ps = c.prepare(sql);
        if (sql.contains("tenant")) {
          ps.setString(1, tenant);
          ps.setLong(2, entity.get());
        } else {
          ps.setLong(1, entity.get());
        }
        ps.executeUpdate();
      }
      return true;
    });
  }

  @Override
  public int expire(String tenant, String type, Optional<String> attribute, Instant before, int batch) {
    if (batch < 1) {
      throw new IllegalArgumentException("batch < 1: " + batch);
    }
    return writer.submit(c -> {
      Optional<Long> attributeKey = Optional.empty();
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
      PreparedStatement ps = c.prepare(sql);
      int n = 1;
      ps.setString(n++, tenant);
      ps.setString(n++, type);
      if (attributeKey.isPresent()) {
        ps.setLong(n++, attributeKey.get());
      }
      ps.setLong(n++, Micros.of(before));
      ps.setInt(n, batch);
      return ps.executeUpdate();
    });
  }

  private static Optional<Long> entityKey(SqliteSession c, String tenant, String id) throws SQLException {
    PreparedStatement ps = c.prepare("SELECT key FROM history_entity WHERE tenant = ? AND id = ?");
    ps.setString(1, tenant);
    ps.setString(2, id);
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
    }
  }

  /** The entity's and the attribute's keys, if both exist. */
  private static Optional<long[]> keys(SqliteSession c, String tenant, String id, String attribute) throws SQLException {
    Optional<Long> entity = entityKey(c, tenant, id);
    Optional<Long> attr = entity.isPresent() ? findAttribute(c, attribute) : Optional.empty();
    return attr.map(a -> new long[] {entity.get(), a});
  }

  // --- reads ----------------------------------------------------------------------------------

  @Override
  public Optional<Subject> subject(String tenant, String entityId) {
    return reads.withReader(c -> {
      PreparedStatement ps = c.prepare("SELECT id, types FROM history_entity WHERE tenant = ? AND id = ?");
      ps.setString(1, tenant);
      ps.setString(2, entityId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(new Subject(rs.getString(1), Types.split(rs.getString(2)))) : Optional.empty();
      }
    });
  }

  @Override
  public List<Subject> subjects(String tenant, Set<String> ids, Set<String> types, Optional<String> afterId, int limit) {
    StringBuilder sql = new StringBuilder("SELECT id, types FROM history_entity WHERE tenant = ?");
    List<Object> args = new ArrayList<>();
    args.add(tenant);
    afterId.ifPresent(after -> {
      sql.append(" AND id > ?");
      args.add(after);
    });
    if (!ids.isEmpty()) {
      sql.append(" AND id IN (").append("?,".repeat(ids.size() - 1)).append("?)");
      args.addAll(new TreeSet<>(ids));
    }
    if (!types.isEmpty()) {
      sql.append(" AND key IN (SELECT entity FROM history_type WHERE tenant = ? AND type IN (")
          .append("?,".repeat(types.size() - 1)).append("?))");
      args.add(tenant);
      args.addAll(new TreeSet<>(types));
    }
    sql.append(" ORDER BY id LIMIT ?");
    args.add(limit);
    return reads.withReader(c -> {
      List<Subject> out = new ArrayList<>();
      try (PreparedStatement ps = c.connection().prepareStatement(sql.toString())) {
        bindAll(ps, args);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new Subject(rs.getString(1), Types.split(rs.getString(2))));
          }
        }
      }
      return out;
    });
  }

  @Override
  public List<AttributeInstance> read(String tenant, String entityId, Set<String> attributes, Span span,
      int limitPerAttribute, boolean latestFirst) {
    return reads.withReader(c -> {
      Optional<Long> entity = entityKey(c, tenant, entityId);
      if (entity.isEmpty()) {
        return List.of();
      }
      Map<String, Long> wanted = attributes.isEmpty() ? allAttributes(c, entity.get()) : namedAttributes(c, attributes);
      StringBuilder sql = new StringBuilder("SELECT t, instance_id, observed, dataset_id, created_at, modified_at,"
          + " number, doc FROM history_instance WHERE entity = ? AND attribute = ?");
      List<Object> spanArgs = new ArrayList<>();
      SpanSql.where(span, "1", sql, spanArgs);
      sql.append(latestFirst ? " ORDER BY t DESC, instance_id DESC" : " ORDER BY t, instance_id").append(" LIMIT ?");
      PreparedStatement ps = c.prepare(sql.toString());
      List<AttributeInstance> out = new ArrayList<>();
      for (Map.Entry<String, Long> attribute : wanted.entrySet()) {
        List<Object> args = new ArrayList<>();
        args.add(entity.get());
        args.add(attribute.getValue());
        args.addAll(spanArgs);
        args.add(limitPerAttribute);
        bindAll(ps, args);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(instance(rs, entityId, attribute.getKey()));
          }
        }
      }
      return out;
    });
  }

  private static AttributeInstance instance(ResultSet rs, String entityId, String attribute) throws SQLException {
    Instant t = Micros.toInstant(rs.getLong(1));
    double number = rs.getDouble(7);
    boolean hasNumber = !rs.wasNull();
    return new AttributeInstance(entityId, attribute, Optional.ofNullable(rs.getString(4)), rs.getString(2),
        rs.getInt(3) == 1 ? Optional.of(t) : Optional.empty(), Micros.toInstant(rs.getLong(5)),
        Micros.toInstant(rs.getLong(6)), hasNumber ? Optional.of(number) : Optional.empty(), rs.getString(8));
  }

  /**
   * The attributes an entity has history for. Walks the primary key with one seek per distinct
   * attribute instead of reading every instance of the entity.
   */
  private Map<String, Long> allAttributes(SqliteSession c, long entity) throws SQLException {
    PreparedStatement next = c.prepare(
        "SELECT min(attribute) FROM history_instance WHERE entity = ? AND attribute > ?");
    List<Long> keys = new ArrayList<>();
    long after = Long.MIN_VALUE;
    while (true) {
      next.setLong(1, entity);
      next.setLong(2, after);
      try (ResultSet rs = next.executeQuery()) {
        rs.next();
        long key = rs.getLong(1);
        if (rs.wasNull()) {
          break;
        }
        keys.add(key);
        after = key;
      }
    }
    Map<String, Long> out = new TreeMap<>();
    PreparedStatement name = c.prepare("SELECT iri FROM history_attribute WHERE key = ?");
    for (long key : keys) {
      name.setLong(1, key);
      try (ResultSet rs = name.executeQuery()) {
        if (rs.next()) {
          out.put(rs.getString(1), key);
        }
      }
    }
    return out;
  }

  private Map<String, Long> namedAttributes(SqliteSession c, Set<String> iris) throws SQLException {
    Map<String, Long> out = new TreeMap<>();
    for (String iri : iris) {
      Long key = committedAttributes.get(iri);
      if (key == null) {
        Optional<Long> found = findAttribute(c, iri);
        if (found.isEmpty()) {
          continue;
        }
        key = found.get();
        committedAttributes.put(iri, key);
      }
      out.put(iri, key);
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
        + " total(number), total(number * number), min(number), max(number), "
        + (distinct ? "count(DISTINCT coalesce(number, doc))" : "-1")
        + " FROM history_instance WHERE entity = ? AND attribute = ?");
    List<Object> spanArgs = new ArrayList<>();
    SpanSql.where(span, "1", sql, spanArgs);
    sql.append(" GROUP BY b ORDER BY b");
    return reads.withReader(c -> {
      Optional<Long> entity = entityKey(c, tenant, entityId);
      Map<String, Long> attr = entity.isPresent() ? namedAttributes(c, Set.of(attribute)) : Map.of();
      if (attr.isEmpty()) {
        return List.of();
      }
      List<Object> args = new ArrayList<>(List.of(Micros.of(from), periodMicros, entity.get(), attr.get(attribute)));
      args.addAll(spanArgs);
      PreparedStatement ps = c.prepare(sql.toString());
      bindAll(ps, args);
      List<Bucket> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long numbers = rs.getLong(3);
          out.add(new Bucket(Micros.toInstant(Micros.of(from) + rs.getLong(1) * periodMicros), rs.getLong(2), numbers,
              rs.getDouble(4), rs.getDouble(5), numbers == 0 ? Double.NaN : rs.getDouble(6),
              numbers == 0 ? Double.NaN : rs.getDouble(7), rs.getLong(8)));
        }
      }
      return out;
    });
  }

  private static void bindAll(PreparedStatement ps, List<Object> args) throws SQLException {
    for (int i = 0; i < args.size(); i++) {
      ps.setObject(i + 1, args.get(i));
    }
  }
}

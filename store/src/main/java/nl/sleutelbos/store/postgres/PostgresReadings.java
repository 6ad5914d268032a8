package nl.sleutelbos.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import nl.sleutelbos.store.EntityChange;
import nl.sleutelbos.store.ReadingStore;
import nl.sleutelbos.store.internal.Micros;
import nl.sleutelbos.store.internal.ReadingSql;

/**
 * The reading table of the PostgreSQL backend. An insert is one transaction that first takes a
 * transaction-scoped advisory lock, so inserts are serialised: the sequence numbers it hands out
 * (from the table's maximum) are committed in order, and a follower reading by sequence never
 * passes a number that commits later. Readers are not blocked.
 */
final class PostgresReadings implements ReadingStore {
  /** The advisory lock key of reading inserts ("rdng"). */
  private static final long LOCK = 0x72646e67L;

  private final Pool pool;
  private final PostgresEntityStore entities;

  PostgresReadings(Pool pool, PostgresEntityStore entities) {
    this.pool = pool;
    this.entities = entities;
  }

  @Override
  public boolean[] insert(List<Reading> readings) {
    if (readings.isEmpty()) {
      return new boolean[0];
    }
    try (Connection c = pool.connection()) {
      c.setAutoCommit(false);
      try {
        boolean[] stored = insertIn(c, readings);
        c.commit();
        return stored;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw Pool.failure("reading insert failed", e);
    }
  }

  @Override
  public boolean[] insert(List<Reading> readings, String tenant, Function<boolean[], List<EntityChange>> changes) {
    return entities.transact(tenant, c -> insertIn(c, readings), changes).first();
  }

  /** Inserts the readings in the connection's transaction, which the caller commits. */
  static boolean[] insertIn(Connection c, List<Reading> readings) throws SQLException {
    if (readings.isEmpty()) {
      return new boolean[0];
    }
    try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
      lock.setLong(1, LOCK);
      lock.execute();
    }
    long sequence;
    try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM meter_reading");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      sequence = rs.getLong(1);
    }
    // One statement over arrays (one round trip whatever the batch), numbered by position: a
    // reading not stored (a conflict) leaves a gap, which followers do not mind. RETURNING
    // names the rows stored; of duplicates within the call, the first is the one kept.
    int n = readings.size();
    String[] meters = new String[n];
    Long[] observed = new Long[n];
    Long[] seqs = new Long[n];
    Long[] received = new Long[n];
    Long[] storedAt = new Long[n];
    Integer[] flags = new Integer[n];
    byte[][] values = new byte[n][];
    Map<String, Integer> firstOf = new HashMap<>();
    for (int i = 0; i < n; i++) {
      Reading r = readings.get(i);
      meters[i] = r.meterId();
      observed[i] = Micros.of(r.observedAt());
      seqs[i] = sequence + i + 1;
      received[i] = Micros.of(r.receivedAt());
      storedAt[i] = Micros.of(r.storedAt());
      flags[i] = r.flags();
      values[i] = r.values();
      firstOf.putIfAbsent(meters[i] + "\n" + observed[i], i);
    }
    boolean[] stored = new boolean[n];
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO meter_reading (meter_id, observed_at, seq, "
        + "received_at, stored_at, flags, vals) SELECT * FROM unnest(?::text[], ?::bigint[], ?::bigint[], "
        + "?::bigint[], ?::bigint[], ?::integer[], ?::bytea[]) ORDER BY 3 ON CONFLICT DO NOTHING "
        + "RETURNING meter_id, observed_at")) {
      ps.setArray(1, c.createArrayOf("text", meters));
      ps.setArray(2, c.createArrayOf("bigint", observed));
      ps.setArray(3, c.createArrayOf("bigint", seqs));
      ps.setArray(4, c.createArrayOf("bigint", received));
      ps.setArray(5, c.createArrayOf("bigint", storedAt));
      ps.setArray(6, c.createArrayOf("integer", flags));
      ps.setArray(7, c.createArrayOf("bytea", values));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          stored[firstOf.get(rs.getString(1) + "\n" + rs.getLong(2))] = true;
        }
      }
    }
    return stored;
  }

  @Override
  public Map<String, Reading> latest(Collection<String> meterIds) {
    if (meterIds.isEmpty()) {
      return Map.of();
    }
    return pool.read("latest readings", c -> {
      Map<String, Reading> out = new HashMap<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT " + ReadingSql.COLUMNS + " FROM unnest(?::text[]) AS m(id) "
          + "CROSS JOIN LATERAL (SELECT * FROM meter_reading r WHERE r.meter_id = m.id "
          + "ORDER BY r.observed_at DESC LIMIT 1) r")) {
        ps.setArray(1, c.createArrayOf("text", meterIds.toArray()));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            Reading r = ReadingSql.reading(rs, 1);
            out.put(r.meterId(), r);
          }
        }
      }
      return out;
    });
  }

  @Override
  public List<Reading> read(String meterId, Optional<Instant> from, Optional<Instant> until, int limit,
      boolean latestFirst) {
    if (limit <= 0) {
      return List.of();
    }
    return pool.read("reading read", c -> {
      try (PreparedStatement ps = c.prepareStatement(ReadingSql.range(latestFirst))) {
        ReadingSql.bindRange(ps, meterId, from, until, limit);
        return ReadingSql.readings(ps);
      }
    });
  }

  @Override
  public List<Stored> since(long after, int limit) {
    return pool.read("readings since", c -> {
      try (PreparedStatement ps = c.prepareStatement(ReadingSql.SINCE)) {
        ReadingSql.bindSince(ps, after, limit);
        return ReadingSql.stored(ps);
      }
    });
  }

  @Override
  public List<String> meters(Optional<String> afterId, int limit) {
    // A skip scan by hand (recursive CTE): one index probe per meter, not one row read per reading.
    return pool.read("meters with readings", c -> {
      try (PreparedStatement ps = c.prepareStatement("WITH RECURSIVE m(id, n) AS ("
          + " SELECT (SELECT min(meter_id) FROM meter_reading WHERE meter_id > ?), 1"
          + " UNION ALL SELECT (SELECT min(meter_id) FROM meter_reading WHERE meter_id > m.id), n + 1"
          + " FROM m WHERE m.id IS NOT NULL AND n < ?)"
          + " SELECT id FROM m WHERE id IS NOT NULL")) {
        ps.setString(1, afterId.orElse(""));
        ps.setInt(2, limit);
        List<String> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(rs.getString(1));
          }
        }
        return out;
      }
    });
  }

  @Override
  public int delete(String meterId) {
    return pool.autocommit("reading delete", c -> {
      try (PreparedStatement ps = c.prepareStatement(ReadingSql.DELETE_METER)) {
        ps.setString(1, meterId);
        return ps.executeUpdate();
      }
    });
  }

  @Override
  public int expire(Instant before, int batch) {
    return pool.autocommit("reading expiry", c -> {
      try (PreparedStatement ps = c.prepareStatement(ReadingSql.EXPIRE)) {
        ps.setLong(1, Micros.of(before));
        ps.setInt(2, batch);
        return ps.executeUpdate();
      }
    });
  }
}

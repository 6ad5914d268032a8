package nl.sleutelbos.store.sqlite;

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
import nl.sleutelbos.store.Outcome;
import nl.sleutelbos.store.ReadingStore;
import nl.sleutelbos.store.internal.Micros;
import nl.sleutelbos.store.internal.ReadingSql;

/**
 * The reading table of the SQLite backend. Inserts go through the writer thread's group commit;
 * the writer is the only one to insert, so it hands out sequence numbers from a counter it reads
 * once (and again after a failed transaction).
 */
final class SqliteReadings implements ReadingStore {
  private final WriterThread writer;
  private final SqliteEntityStore reads;
  /** The last sequence handed out; touched by the writer thread only. -1: not read yet. */
  private long lastSequence = -1;

  SqliteReadings(WriterThread writer, SqliteEntityStore reads) {
    this.writer = writer;
    this.reads = reads;
  }

  /**
   * Rows per multi-row {@code INSERT}: one statement step stores many rows, where a statement per
   * row paid the JDBC and VM round trips for each (7 parameters a row, far below SQLite's limit).
   */
  static final int CHUNK = 128;
  private static final String INSERT = "INSERT INTO meter_reading (meter_id, observed_at, seq, received_at, "
      + "stored_at, flags, vals) VALUES ";
  private static final String ROW = "(?, ?, ?, ?, ?, ?, ?)";
  /** Only the rows stored are returned: a (meter, time) already there returns nothing. */
  private static final String RETURNING = " ON CONFLICT DO NOTHING RETURNING seq";

  @Override
  public boolean[] insert(List<Reading> readings) {
    if (readings.isEmpty()) {
      return new boolean[0];
    }
    return writer.submit(c -> insertIn(c, readings, stored -> { }));
  }

  @Override
  public boolean[] insert(List<Reading> readings, String tenant, Function<boolean[], List<EntityChange>> changes) {
    List<List<Outcome>> outcomes = new ArrayList<>(1);
    // One task of the writer: the readings and the changes share its savepoint and its commit.
    boolean[] stored = writer.submit(c -> insertIn(c, readings,
        s -> outcomes.add(reads.applyInTransaction(c, tenant, changes.apply(s)))));
    reads.committed(tenant, outcomes.getFirst());
    return stored;
  }

  /** What runs after the readings' rows, in their transaction. */
  private interface Then {
    void run(boolean[] stored) throws SQLException;
  }

  private boolean[] insertIn(SqliteSession c, List<Reading> readings, Then then) throws SQLException {
    long first = (lastSequence >= 0 ? lastSequence : maxSequence(c)) + 1;
    boolean[] stored = new boolean[readings.size()];
    try {
      // Every row is given a number (first + its position); a row not stored leaves its number
      // unused: a gap, which followers do not mind. RETURNING says which numbers were stored.
      if (!readings.isEmpty()) {
        PreparedStatement chunk = c.prepare(values(CHUNK));
        int i = 0;
        for (; i + CHUNK <= stored.length; i += CHUNK) {
          insert(chunk, readings, i, CHUNK, first, stored);
        }
        if (i < stored.length) {
          int rest = stored.length - i;
          // The tail's statement is prepared per size; sizes are few (below CHUNK) and kept.
          insert(c.prepare(values(rest)), readings, i, rest, first, stored);
        }
      }
      then.run(stored);
    } catch (SQLException | RuntimeException e) {
      lastSequence = -1; // the transaction rolls back: read the counter again next time
      throw e;
    }
    // If the group's commit fails after this, the numbers handed out are skipped, never reused.
    lastSequence = first + stored.length - 1;
    return stored;
  }

  private static void insert(PreparedStatement ps, List<Reading> readings, int from, int count, long first,
      boolean[] stored) throws SQLException {
    int p = 1;
    for (int i = from; i < from + count; i++) {
      Reading r = readings.get(i);
      ps.setString(p++, r.meterId());
      ps.setLong(p++, Micros.of(r.observedAt()));
      ps.setLong(p++, first + i);
      ps.setLong(p++, Micros.of(r.receivedAt()));
      ps.setLong(p++, Micros.of(r.storedAt()));
      ps.setInt(p++, r.flags());
      ps.setBytes(p++, r.values());
    }
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        stored[(int) (rs.getLong(1) - first)] = true;
      }
    }
  }

  /** The statements' text by number of rows, made once (a string's hash is kept, so looking one up is cheap). */
  private static final String[] SQL = new String[CHUNK + 1];

  static {
    for (int rows = 1; rows <= CHUNK; rows++) {
      SQL[rows] = INSERT + String.join(", ", java.util.Collections.nCopies(rows, ROW)) + RETURNING;
    }
  }

  private static String values(int rows) {
    return SQL[rows];
  }

  private static long maxSequence(SqliteSession c) throws SQLException {
    try (ResultSet rs = c.prepare("SELECT COALESCE(MAX(seq), 0) FROM meter_reading").executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Override
  public Map<String, Reading> latest(Collection<String> meterIds) {
    if (meterIds.isEmpty()) {
      return Map.of();
    }
    // LATEST_CHUNK meters a query rather than one each: a query's fixed cost in the driver (its
    // column names are read anew every time) was most of loading a batch of new meters. A short
    // last chunk repeats its last meter, so that every query is the one prepared statement.
    List<String> meters = List.copyOf(new java.util.LinkedHashSet<>(meterIds));
    return reads.withReader(c -> {
      PreparedStatement ps = c.prepare(LATEST);
      Map<String, Reading> out = new HashMap<>();
      for (int from = 0; from < meters.size(); from += LATEST_CHUNK) {
        for (int i = 0; i < LATEST_CHUNK; i++) {
          ps.setString(i + 1, meters.get(Math.min(from + i, meters.size() - 1)));
        }
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

  private static final int LATEST_CHUNK = 64;
  /**
   * The newest row of each of LATEST_CHUNK meters: per meter, its newest time by a primary-key seek
   * and its row by another (SQLite plans exactly that for a join from a VALUES list; an IN list
   * instead visits every row of each meter).
   */
  private static final String LATEST = "SELECT " + qualified("r") + " FROM (VALUES "
      + String.join(", ", java.util.Collections.nCopies(LATEST_CHUNK, "(?)")) + ") AS ids"
      + " JOIN meter_reading r ON r.meter_id = ids.column1 AND r.observed_at ="
      + " (SELECT max(n.observed_at) FROM meter_reading n WHERE n.meter_id = ids.column1)";

  private static String qualified(String table) {
    return table + "." + ReadingSql.COLUMNS.replace(", ", ", " + table + ".");
  }

  @Override
  public List<Reading> read(String meterId, Optional<Instant> from, Optional<Instant> until, int limit,
      boolean latestFirst) {
    if (limit <= 0) {
      return List.of();
    }
    return reads.withReader(c -> {
      PreparedStatement ps = c.prepare(ReadingSql.range(latestFirst));
      ReadingSql.bindRange(ps, meterId, from, until, limit);
      return ReadingSql.readings(ps);
    });
  }

  @Override
  public List<Stored> since(long after, int limit) {
    return reads.withReader(c -> {
      PreparedStatement ps = c.prepare(ReadingSql.SINCE);
      ReadingSql.bindSince(ps, after, limit);
      return ReadingSql.stored(ps);
    });
  }

  @Override
  public List<String> meters(Optional<String> afterId, int limit) {
    // One index probe per meter (a skip scan by hand): the table holds many rows per meter.
    return reads.withReader(c -> {
      PreparedStatement first = c.prepare("SELECT meter_id FROM meter_reading ORDER BY meter_id LIMIT 1");
      PreparedStatement next = c.prepare("SELECT meter_id FROM meter_reading WHERE meter_id > ? ORDER BY meter_id LIMIT 1");
      List<String> out = new ArrayList<>();
      Optional<String> after = afterId;
      while (out.size() < limit) {
        PreparedStatement ps = after.isPresent() ? next : first;
        if (after.isPresent()) {
          ps.setString(1, after.get());
        }
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            break;
          }
          out.add(rs.getString(1));
          after = Optional.of(rs.getString(1));
        }
      }
      return out;
    });
  }

  @Override
  public int delete(String meterId) {
    return writer.submit(c -> {
      PreparedStatement ps = c.prepare(ReadingSql.DELETE_METER);
      ps.setString(1, meterId);
      return ps.executeUpdate();
    });
  }

  @Override
  public int expire(Instant before, int batch) {
    return writer.submit(c -> {
      PreparedStatement ps = c.prepare(ReadingSql.EXPIRE);
      ps.setLong(1, Micros.of(before));
      ps.setInt(2, batch);
      return ps.executeUpdate();
    });
  }
}

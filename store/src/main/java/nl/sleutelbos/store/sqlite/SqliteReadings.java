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
  private final SqliteDocuments.Reads reads;
  /** The last sequence handed out; touched by the writer thread only. -1: not read yet. */
  private long lastSequence = -1;

  SqliteReadings(WriterThread writer, SqliteDocuments.Reads reads) {
    this.writer = writer;
    this.reads = reads;
  }

  @Override
  public boolean[] insert(List<Reading> readings) {
    if (readings.isEmpty()) {
      return new boolean[0];
    }
    return writer.submit(c -> {
      long sequence = lastSequence >= 0 ? lastSequence : maxSequence(c);
      boolean[] stored = new boolean[readings.size()];
      try {
        PreparedStatement ps = c.prepare("INSERT INTO meter_reading (meter_id, observed_at, seq, received_at, "
            + "stored_at, flags, vals) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
        for (int i = 0; i < stored.length; i++) {
          Reading r = readings.get(i);
          ps.setString(1, r.meterId());
          ps.setLong(2, Micros.of(r.observedAt()));
          ps.setLong(3, sequence + 1);
          ps.setLong(4, Micros.of(r.receivedAt()));
          ps.setLong(5, Micros.of(r.storedAt()));
          ps.setInt(6, r.flags());
          ps.setBytes(7, r.values());
          if (ps.executeUpdate() == 1) {
            stored[i] = true;
            sequence++;
          }
        }
      } catch (SQLException | RuntimeException e) {
        lastSequence = -1; // the transaction rolls back: read the counter again next time
        throw e;
      }
      // If the group's commit fails after this, the numbers handed out are skipped, never reused:
      // a gap, which followers do not mind.
      lastSequence = sequence;
      return stored;
    });
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
    return reads.withReader(c -> {
      PreparedStatement ps = c.prepare("SELECT " + ReadingSql.COLUMNS
          + " FROM meter_reading WHERE meter_id = ? ORDER BY observed_at DESC LIMIT 1");
      Map<String, Reading> out = new HashMap<>();
      for (String meter : meterIds) {
        ps.setString(1, meter);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            out.put(meter, ReadingSql.reading(rs, 1));
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

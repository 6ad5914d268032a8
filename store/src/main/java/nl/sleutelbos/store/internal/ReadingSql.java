package nl.sleutelbos.store.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import nl.sleutelbos.store.ReadingStore;

/**
 * The SQL both backends use on {@code meter_reading} where they need the same text, and the one
 * mapping of a row to a {@link ReadingStore.Reading}. The backends differ in how they insert
 * (writer thread or advisory lock) and list meters; reading rows back is the same.
 */
public final class ReadingSql {
  /** A reading's columns, in the order {@link #reading} reads them. */
  public static final String COLUMNS = "meter_id, observed_at, received_at, stored_at, flags, vals";
  /** The readings after a sequence number, with it: bind with {@link #bindSince}. */
  public static final String SINCE = "SELECT seq, " + COLUMNS + " FROM meter_reading WHERE seq > ? ORDER BY seq LIMIT ?";
  public static final String DELETE_METER = "DELETE FROM meter_reading WHERE meter_id = ?";
  /** At most a batch of readings observed before a time: bind the time (micros) and the batch. */
  public static final String EXPIRE = "DELETE FROM meter_reading WHERE seq IN (SELECT seq FROM meter_reading "
      + "WHERE observed_at < ? LIMIT ?)";

  private ReadingSql() {}

  /** A meter's readings in a time range, oldest or latest first: bind with {@link #bindRange}. */
  public static String range(boolean latestFirst) {
    return "SELECT " + COLUMNS + " FROM meter_reading WHERE meter_id = ? AND observed_at >= ? AND observed_at < ?"
        + " ORDER BY observed_at " + (latestFirst ? "DESC" : "ASC") + " LIMIT ?";
  }

  public static void bindRange(PreparedStatement ps, String meterId, Optional<Instant> from, Optional<Instant> until,
      int limit) throws SQLException {
    ps.setString(1, meterId);
    ps.setLong(2, from.map(Micros::of).orElse(Long.MIN_VALUE));
    ps.setLong(3, until.map(Micros::of).orElse(Long.MAX_VALUE));
    ps.setInt(4, limit);
  }

  public static void bindSince(PreparedStatement ps, long after, int limit) throws SQLException {
    ps.setLong(1, after);
    ps.setInt(2, limit);
  }

  /** Runs a {@link #range} query. */
  public static List<ReadingStore.Reading> readings(PreparedStatement ps) throws SQLException {
    List<ReadingStore.Reading> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(reading(rs, 1));
      }
    }
    return out;
  }

  /** Runs a {@link #SINCE} query. */
  public static List<ReadingStore.Stored> stored(PreparedStatement ps) throws SQLException {
    List<ReadingStore.Stored> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(new ReadingStore.Stored(rs.getLong(1), reading(rs, 2)));
      }
    }
    return out;
  }

  /** The reading in {@link #COLUMNS} starting at column {@code at}. */
  public static ReadingStore.Reading reading(ResultSet rs, int at) throws SQLException {
    return new ReadingStore.Reading(rs.getString(at), Micros.toInstant(rs.getLong(at + 1)),
        Micros.toInstant(rs.getLong(at + 2)), Micros.toInstant(rs.getLong(at + 3)), rs.getInt(at + 4),
        rs.getBytes(at + 5));
  }
}

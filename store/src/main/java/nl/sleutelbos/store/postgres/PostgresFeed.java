package nl.sleutelbos.store.postgres;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import nl.sleutelbos.store.ChangeEvent;
import nl.sleutelbos.store.ChangeFeed;
import nl.sleutelbos.store.internal.FeedListeners;

/**
 * The change feed of the PostgreSQL backend. Appenders reserve their sequence numbers by updating
 * the single {@code feed_head} row inside the entity's transaction; the row lock is held until
 * commit, so transactions that append commit one after the other in sequence order, and {@link
 * #latest()} (the committed head) never runs ahead of a change that is still to commit.
 */
final class PostgresFeed implements ChangeFeed {
  private final Pool pool;
  private final FeedListeners listeners = new FeedListeners();

  PostgresFeed(Pool pool) {
    this.pool = pool;
  }

  /** Appends the changes in the caller's transaction, in list order; taken last, as it serialises. */
  static void append(Connection c, List<Change> changes) throws SQLException {
    if (changes.isEmpty()) {
      return;
    }
    long head;
    try (PreparedStatement ps = c.prepareStatement("UPDATE feed_head SET seq = seq + ? WHERE singleton RETURNING seq")) {
      ps.setLong(1, changes.size());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        head = rs.getLong(1);
      }
    }
    long seq = head - changes.size();
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO feed (seq, tenant, entity_id, types, kind, attributes, doc, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (Change e : changes) {
        ps.setLong(1, ++seq);
        ps.setString(2, e.tenant());
        ps.setString(3, e.entityId());
        ps.setArray(4, c.createArrayOf("text", e.types().toArray()));
        ps.setString(5, e.kind().name());
        ps.setArray(6, c.createArrayOf("text", e.attributes().toArray()));
        ps.setString(7, e.document());
        ps.setObject(8, ApplyTransaction.time(e.at()));
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  void committed() {
    listeners.wake();
  }

  @Override
  public long latest() {
    return pool.read("read feed head", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT seq FROM feed_head WHERE singleton");
          ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0L;
      }
    });
  }

  @Override
  public List<Change> read(String tenant, long after, long upTo, int limit) {
    return pool.read("read feed", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT seq, entity_id, types, kind, attributes, doc, at "
          + "FROM feed WHERE tenant = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?")) {
        ps.setString(1, tenant);
        ps.setLong(2, after);
        ps.setLong(3, upTo);
        ps.setInt(4, limit);
        List<Change> changes = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            changes.add(new Change(rs.getLong(1), tenant, rs.getString(2), texts(rs.getArray(3)),
                ChangeEvent.Kind.valueOf(rs.getString(4)), Set.copyOf(texts(rs.getArray(5))), rs.getString(6),
                rs.getObject(7, OffsetDateTime.class).toInstant()));
          }
        }
        return changes;
      }
    });
  }

  private static List<String> texts(Array array) throws SQLException {
    return List.of((String[]) array.getArray());
  }

  @Override
  public void trim(long upTo) {
    pool.autocommit("trim feed", c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM feed WHERE seq <= ?")) {
        ps.setLong(1, upTo);
        return ps.executeUpdate();
      }
    });
  }

  @Override
  public AutoCloseable listen(Runnable wakeUp) {
    return listeners.add(wakeUp);
  }
}

package nl.sleutelbos.store.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import nl.sleutelbos.store.ChangeEvent;
import nl.sleutelbos.store.ChangeFeed;
import nl.sleutelbos.store.Outcome;
import nl.sleutelbos.store.StoredEntity;
import nl.sleutelbos.store.internal.FeedEntries;
import nl.sleutelbos.store.internal.FeedListeners;
import nl.sleutelbos.store.internal.Micros;
import nl.sleutelbos.store.internal.Types;

/**
 * The change feed of the SQLite backend: a table with an AUTOINCREMENT key, appended to by the
 * single writer inside the entity's transaction. One writer means sequence order is commit order,
 * and AUTOINCREMENT never reuses a sequence after a trim.
 */
final class SqliteFeed implements ChangeFeed {
  private final WriterThread writer;
  private final SqliteDocuments.Reads reads;
  private final FeedListeners listeners = new FeedListeners();

  SqliteFeed(WriterThread writer, SqliteDocuments.Reads reads) {
    this.writer = writer;
    this.reads = reads;
  }

  /** Appends the outcome's change, if it has one; called on the writer inside the transaction. */
  static void append(SqliteSession c, String tenant, Outcome outcome, Optional<StoredEntity> current)
      throws SQLException {
    Optional<Change> entry = FeedEntries.of(tenant, outcome, current, Instant.now());
    if (entry.isEmpty()) {
      return;
    }
    Change e = entry.get();
    PreparedStatement ps = c.prepare("INSERT INTO feed (tenant, entity_id, types, kind, attributes, doc, at) "
        + "VALUES (?, ?, ?, ?, ?, ?, ?)");
    ps.setString(1, e.tenant());
    ps.setString(2, e.entityId());
    ps.setString(3, Types.join(e.types()));
    ps.setString(4, e.kind().name());
    ps.setString(5, String.join("\n", e.attributes()));
    ps.setString(6, e.document());
    ps.setLong(7, Micros.of(e.at()));
    ps.executeUpdate();
  }

  /** Rings the listeners; the store calls this after a commit that may have appended. */
  void committed() {
    listeners.wake();
  }

  @Override
  public long latest() {
    return reads.withReader(c -> {
      PreparedStatement ps = c.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'feed'");
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0L;
      }
    });
  }

  @Override
  public List<Change> read(String tenant, long after, long upTo, int limit) {
    return reads.withReader(c -> {
      PreparedStatement ps = c.prepare("SELECT seq, entity_id, types, kind, attributes, doc, at FROM feed "
          + "WHERE tenant = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?");
      ps.setString(1, tenant);
      ps.setLong(2, after);
      ps.setLong(3, upTo);
      ps.setInt(4, limit);
      List<Change> changes = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String attributes = rs.getString(5);
          changes.add(new Change(rs.getLong(1), tenant, rs.getString(2), Types.split(rs.getString(3)),
              ChangeEvent.Kind.valueOf(rs.getString(4)),
              attributes.isEmpty() ? Set.of() : Set.of(attributes.split("\n")), rs.getString(6),
              Micros.toInstant(rs.getLong(7))));
        }
      }
      return changes;
    });
  }

  @Override
  public void trim(long upTo) {
    writer.submit(c -> {
      PreparedStatement ps = c.prepare("DELETE FROM feed WHERE seq <= ?");
      ps.setLong(1, upTo);
      return ps.executeUpdate();
    });
  }

  @Override
  public AutoCloseable listen(Runnable wakeUp) {
    return listeners.add(wakeUp);
  }
}

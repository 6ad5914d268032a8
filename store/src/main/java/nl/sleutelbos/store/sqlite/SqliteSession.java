package nl.sleutelbos.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * A SQLite connection with its prepared statements kept for reuse. Preparing a statement parses
 * and plans the SQL, which costs more than running a point lookup; the store runs a handful of
 * fixed statements millions of times, so each connection prepares each of them once. A session is
 * used by one thread at a time (the writer thread, or whoever borrowed a reader).
 */
final class SqliteSession implements AutoCloseable {
  private final Connection connection;
  private final Map<String, PreparedStatement> statements = new HashMap<>();

  SqliteSession(Connection connection) {
    this.connection = connection;
  }

  Connection connection() {
    return connection;
  }

  /**
   * The prepared statement for this SQL, prepared on first use. The caller sets every parameter,
   * closes the result sets it opens, and never closes the statement itself.
   */
  PreparedStatement prepare(String sql) throws SQLException {
    PreparedStatement ps = statements.get(sql);
    if (ps == null) {
      ps = connection.prepareStatement(sql);
      statements.put(sql, ps);
    }
    return ps;
  }

  @Override
  public void close() {
    for (PreparedStatement ps : statements.values()) {
      try {
        ps.close();
      } catch (SQLException ignored) {
        // Closing at shutdown: the connection goes next.
      }
    }
    statements.clear();
    try {
      connection.close();
    } catch (SQLException ignored) {
      // Closing at shutdown: nothing left to do with a failure.
    }
  }
}

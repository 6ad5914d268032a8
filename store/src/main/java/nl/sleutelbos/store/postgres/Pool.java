package nl.sleutelbos.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.sql.Statement;
import nl.sleutelbos.store.StoreConfig;
import nl.sleutelbos.store.StoreException;
import nl.sleutelbos.store.internal.Migrations;

/**
 * The connection pool of one PostgreSQL store, and the one place that turns a {@link SQLException}
 * into a {@link StoreException}. Connections come out in autocommit mode; work that needs a
 * transaction turns autocommit off, and the pool turns it back on when the connection returns.
 */
final class Pool implements AutoCloseable {
  /** Work on one connection. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  /** Key of the advisory lock that serialises migrations of one database: "sleutelb" in ASCII. */
  private static final long MIGRATION_LOCK = 0x736c_6575_7465_6c62L;

  /**
   * Durability must not depend on the server's defaults: a session that starts with
   * synchronous_commit off is raised to on; stronger settings (remote_apply, ...) are kept.
   */
  private static final String DURABLE_COMMITS = "SELECT CASE WHEN current_setting('synchronous_commit') = 'off' "
      + "THEN set_config('synchronous_commit', 'on', false) END";

  private final HikariDataSource dataSource;
  private final String description;
  private volatile boolean closed;

  private Pool(HikariDataSource dataSource, String description) {
    this.dataSource = dataSource;
    this.description = description;
  }

  /** Opens the pool and migrates the schema, under an advisory lock so two starting processes do not race. */
  static Pool open(StoreConfig.Postgres config) {
    String description = describe(config.jdbcUrl());
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName("sleutelbos-postgres");
    hikari.setJdbcUrl(config.jdbcUrl());
    if (config.user() != null) {
      hikari.setUsername(config.user());
    }
    if (config.password() != null) {
      hikari.setPassword(config.password());
    }
    hikari.setMaximumPoolSize(config.maxPoolSize());
    hikari.setMinimumIdle(Math.min(2, config.maxPoolSize()));
    hikari.setConnectionTimeout(10_000);
    hikari.setConnectionInitSql(DURABLE_COMMITS);
    hikari.addDataSourceProperty("ApplicationName", "sleutelbos");
    hikari.addDataSourceProperty("connectTimeout", "10");
    hikari.addDataSourceProperty("tcpKeepAlive", "true");
    // Turns a JDBC batch of single-row inserts into multi-row inserts: one statement per batch.
    hikari.addDataSourceProperty("reWriteBatchedInserts", "true");
    HikariDataSource dataSource;
    try {
      dataSource = new HikariDataSource(hikari);
    } catch (RuntimeException e) {
      // Hikari reports a failed first connection as its own unchecked exception around the SQLException.
      if (e.getCause() instanceof SQLException sql) {
        throw failure("cannot connect to " + description, sql);
      }
      throw new StoreException("cannot open " + description + ": " + e.getMessage(), e);
    }
    Pool pool = new Pool(dataSource, description);
    try {
      pool.migrate();
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
    return pool;
  }

  private void migrate() {
    autocommit("migrate", c -> {
      try (Statement st = c.createStatement()) {
        st.execute("SELECT pg_advisory_lock(" + MIGRATION_LOCK + ")");
        try {
          Migrations.migrate(c, "postgres");
        } finally {
          c.setAutoCommit(true);
          st.execute("SELECT pg_advisory_unlock(" + MIGRATION_LOCK + ")");
        }
      }
      return null;
    });
  }

  /** Where the store is, without user, password or any other URL parameter. */
  static String describe(String jdbcUrl) {
    String url = jdbcUrl.substring("jdbc:".length());
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query);
  }

  String description() {
    return description;
  }

  /** A connection in autocommit mode; the caller closes it. */
  Connection connection() throws SQLException {
    if (closed) {
      throw new StoreException("store is closed: " + description, null);
    }
    return dataSource.getConnection();
  }

  /** Runs work on a connection in autocommit mode: each statement commits by itself. */
  <T> T autocommit(String what, Work<T> work) {
    try (Connection c = connection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw failure(what + " failed on " + description, e);
    }
  }

  /** Runs reading work on a pooled connection in autocommit mode. */
  <T> T read(String what, Work<T> work) {
    return autocommit(what, work);
  }

  static StoreException failure(String message, SQLException e) {
    return new StoreException(message + ": " + e.getMessage(), e, retryable(e));
  }

  /**
   * The same request may succeed later: the server is unreachable, restarting or out of
   * connections, or a transaction lost a race.
   */
  static boolean retryable(SQLException e) {
    if (e instanceof SQLTransientException || e instanceof SQLRecoverableException) {
      return true;
    }
    String state = e.getSQLState();
    if (state == null) {
      return false;
    }
    return state.startsWith("08") // connection exception
        || state.startsWith("40") // transaction rollback: serialization failure, deadlock
        || state.equals("53300") // too many connections
        || state.equals("57P01") || state.equals("57P02") || state.equals("57P03"); // shutting down, starting up
  }

  @Override
  public void close() {
    closed = true;
    dataSource.close();
  }
}

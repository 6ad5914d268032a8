package nl.sleutelbos.store.sqlite;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Copies committed pages from the WAL into the database file on its own connection and thread, so
 * that the {@link WriterThread} does not.
 *
 * <p>Left to SQLite, the commit that takes the WAL past its threshold (1,000 pages) runs the
 * checkpoint itself: it writes the pages into the database file and syncs it before the writer
 * can start the next group commit, and every caller of that group waits. Under a running fleet
 * each telegram dirties a page of the reading table, so that was most commits (docs/PERFORMANCE.md,
 * "Metering: ingest"). A {@code PASSIVE} checkpoint here runs
 * beside the writer, which goes on appending to the WAL meanwhile (SQLite's WAL allows one
 * checkpointer beside one writer). The writer keeps a far larger threshold of its own, so the WAL
 * stays bounded should this thread fall behind.
 */
final class Checkpointer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Checkpointer.class.getName());
  /** The writer's own threshold, in pages: reached only if this thread cannot keep up. */
  static final int WRITER_THRESHOLD = 16_384;
  /** How often a checkpoint runs while commits come in. */
  private static final long INTERVAL = TimeUnit.MILLISECONDS.toNanos(100);

  private final Connection connection;
  private final Thread thread;
  /** A commit since the last checkpoint. */
  private volatile boolean dirty;
  private volatile boolean closed;

  /** @param connection a read-write connection to the database, used by this thread alone */
  Checkpointer(Connection connection, String name) {
    this.connection = connection;
    this.thread = Thread.ofPlatform().name(name).daemon(true).start(this::loop);
  }

  /** Says a transaction was committed; the next checkpoint runs within {@link #INTERVAL}. */
  void committed() {
    dirty = true;
  }

  private void loop() {
    while (!closed) {
      LockSupport.parkNanos(this, INTERVAL);
      if (dirty && !closed) {
        dirty = false;
        checkpoint();
      }
    }
  }

  private void checkpoint() {
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
      rs.next(); // busy, frames in the WAL, frames checkpointed: nothing to act on
    } catch (SQLException e) {
      // The writer's own threshold still bounds the WAL; the next commit brings another try.
      LOG.log(Level.WARNING, "SQLite checkpoint failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(thread);
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      connection.close();
    } catch (SQLException ignored) {
      // Closing at shutdown: the writer's connection, closed last, checkpoints what is left.
    }
  }
}

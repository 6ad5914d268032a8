package nl.sleutelbos.store.sqlite;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import nl.sleutelbos.store.StoreException;

/**
 * The single writer of a SQLite database, with group commit.
 *
 * <p>SQLite allows one writer at a time, and a durable commit costs an fsync. Rather than make
 * every request pay for its own fsync, callers enqueue {@link Task}s and this thread runs all the
 * tasks that are waiting in one transaction, each under its own savepoint so that a failing task
 * leaves the others intact, then commits once. Callers are released only after that commit, so
 * an acknowledged write is always durable. Under load the batch grows by itself; an idle writer
 * commits a lone task at once.
 */
final class WriterThread implements AutoCloseable {
  /** Work that runs on the writer connection inside the group transaction. */
  @FunctionalInterface
  interface Task<T> {
    T run(SqliteSession session) throws SQLException;
  }

  private record Pending<T>(Task<T> task, CompletableFuture<T> result) {}

  private static final int MAX_BATCH = 512;

  private final SqliteSession session;
  private final Connection connection;
  private final BlockingQueue<Pending<?>> queue = new ArrayBlockingQueue<>(16_384);
  private final Runnable committed;
  private final Thread thread;
  private volatile boolean closed;

  /** @param committed runs on this thread after every commit (it must not block) */
  WriterThread(SqliteSession session, String name, Runnable committed) {
    this.session = session;
    this.connection = session.connection();
    this.committed = committed;
    this.thread = Thread.ofPlatform().name(name).daemon(true).start(this::loop);
  }

  /** Runs the task in the next group commit and waits until it is durable. */
  <T> T submit(Task<T> task) {
    if (closed) {
      throw new StoreException("store is closed", null);
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    try {
      queue.put(new Pending<>(task, result));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while queueing a write", e, true);
    }
    if (closed && !thread.isAlive()) {
      failQueued(); // close() raced with this call and the loop is gone: nobody else will answer
    }
    try {
      return result.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while waiting for a commit", e, true);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new StoreException("write failed: " + e.getCause().getMessage(), e.getCause());
    }
  }

  private void loop() {
    List<Pending<?>> batch = new ArrayList<>(MAX_BATCH);
    while (!closed || !queue.isEmpty()) {
      try {
        Pending<?> first = queue.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        runBatch(batch);
      } catch (InterruptedException e) {
        // Only close() interrupts; the loop condition drains what is left.
      } catch (RuntimeException | Error e) {
        // runBatch completes every future itself; a throw here is a bug, not a reason to stop writing.
        for (Pending<?> p : batch) {
          p.result().completeExceptionally(e);
        }
      } finally {
        batch.clear();
      }
    }
  }

  private void runBatch(List<Pending<?>> batch) {
    List<Object> results = new ArrayList<>(batch.size());
    List<Throwable> failures = new ArrayList<>(batch.size());
    try {
      execute("BEGIN IMMEDIATE");
      for (Pending<?> p : batch) {
        execute("SAVEPOINT task");
        try {
          results.add(p.task().run(session));
          failures.add(null);
          execute("RELEASE task");
        } catch (SQLException | RuntimeException e) {
          execute("ROLLBACK TO task");
          execute("RELEASE task");
          results.add(null);
          failures.add(e instanceof SQLException
              ? new StoreException("write failed: " + e.getMessage(), e)
              : e);
        }
      }
      execute("COMMIT");
      committed.run();
    } catch (SQLException e) {
      try (Statement st = connection.createStatement()) {
        st.execute("ROLLBACK");
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      StoreException failure = new StoreException("commit failed: " + e.getMessage(), e, isBusy(e));
      for (Pending<?> p : batch) {
        p.result().completeExceptionally(failure);
      }
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      complete(batch.get(i), results.get(i), failures.get(i));
    }
  }

  private void execute(String sql) throws SQLException {
    try (Statement st = connection.createStatement()) {
      st.execute(sql);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> void complete(Pending<T> pending, Object result, Throwable failure) {
    if (failure != null) {
      pending.result().completeExceptionally(failure);
    } else {
      pending.result().complete((T) result);
    }
  }

  private static boolean isBusy(SQLException e) {
    String message = String.valueOf(e.getMessage());
    return message.contains("SQLITE_BUSY") || message.contains("SQLITE_LOCKED");
  }

  private void failQueued() {
    for (Pending<?> p; (p = queue.poll()) != null; ) {
      p.result().completeExceptionally(new StoreException("store is closed", null));
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!thread.isAlive()) {
      failQueued();
    }
  }
}

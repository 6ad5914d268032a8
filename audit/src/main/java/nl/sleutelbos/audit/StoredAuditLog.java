package nl.sleutelbos.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import nl.sleutelbos.store.AuditStorage;
import nl.sleutelbos.store.StoreException;

/**
 * The audit log kept in the store, with group commit.
 *
 * <p>One appender thread owns the tree's right edge ({@link Frontier}). Callers queue their events
 * and wait; the appender takes everything waiting, numbers it, hashes the leaves and the complete
 * nodes they finish, and hands the lot to a committer thread, which stores it through
 * {@link AuditStorage#append} as one transaction. Callers are released only after that commit, so
 * an acknowledged entry is durable, and under load one commit carries thousands of entries.
 *
 * <p>The two stages overlap: while group N commits (its fsync included), the appender numbers and
 * hashes what arrives onto group N+1, on the edge as it will be after N, and hands N+1 over as one
 * group when N is done (so a commit still carries everyone who waited for it, as without the
 * overlap). If a commit fails, every caller in it gets the failure, and so does the group prepared
 * on top of it (its edge assumed N); the appender then waits for the committer to go idle and
 * reloads the edge from what the store actually holds.
 *
 * <p>Reads (roots, proofs, entries) go to the store directly and see only committed entries.
 */
public final class StoredAuditLog implements AuditLog, AutoCloseable {
  private static final int MAX_BATCH = 8192;

  private record Pending(List<AuditEvent> events, CompletableFuture<List<AuditEntry>> result) {}

  /**
   * Batches numbered and hashed on the edge of {@code generation}, waiting to be stored together;
   * while the committer is busy, the appender keeps adding what arrives.
   */
  private static final class Group {
    final List<Pending> batch = new ArrayList<>();
    final List<AuditStorage.Entry> entries = new ArrayList<>();
    final List<AuditStorage.Node> nodes = new ArrayList<>();
    final List<List<AuditEntry>> results = new ArrayList<>();
    final int generation;
    long end;

    Group(int generation) {
      this.generation = generation;
    }
  }

  /** Queued by the committer when it finishes a group: wakes the appender to hand over the next. */
  private static final Pending COMMITTED = new Pending(List.of(), new CompletableFuture<>());

  private final AuditStorage storage;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>(65_536);
  private final Thread appender;
  private final ExecutorService committer =
      Executors.newSingleThreadExecutor(Thread.ofPlatform().name("audit-committer").daemon(true).factory());
  private Frontier frontier; // appender thread only
  private int generation; // appender thread only: how often the edge was reloaded after a failure
  private boolean edgeSpoilt; // appender thread only: a batch failed halfway through the edge
  private Group open; // appender thread only: prepared, not yet handed to the committer
  private CompletableFuture<Void> inFlight = CompletableFuture.completedFuture(null); // appender thread only
  private volatile int failedGeneration = -1; // the edge generation a commit last failed on
  private volatile RuntimeException lastFailure;
  private volatile long durableSize;
  private volatile boolean closed;

  private StoredAuditLog(AuditStorage storage) {
    this.storage = storage;
    reload();
    this.appender = Thread.ofPlatform().name("audit-appender").daemon(true).start(this::loop);
  }

  /** Opens the log held in {@code storage}, picking up where its last commit left it. */
  public static StoredAuditLog open(AuditStorage storage) {
    return new StoredAuditLog(storage);
  }

  @Override
  public AuditEntry append(AuditEvent event) throws AuditException {
    return appendAll(List.of(event)).getFirst();
  }

  /** Appends the events as consecutive entries, durable on return. */
  public List<AuditEntry> appendAll(List<AuditEvent> events) throws AuditException {
    if (closed) {
      throw new AuditException("audit log is closed");
    }
    if (events.isEmpty()) {
      return List.of();
    }
    Pending pending = new Pending(List.copyOf(events), new CompletableFuture<>());
    try {
      queue.put(pending);
      if (closed && !appender.isAlive()) {
        failQueued();
      }
      return pending.result().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AuditException("interrupted while appending to the audit log", e);
    } catch (ExecutionException e) {
      throw new AuditException("audit entry not recorded: " + e.getCause().getMessage(), e.getCause());
    }
  }

  /** The number of durable entries. */
  public long size() {
    return durableSize;
  }

  /** The tree head of the first {@code size} entries. */
  public byte[] root(long size) {
    checkDurable(size);
    return StoredNodes.read(storage, nodes -> MerkleTree.root(nodes, size));
  }

  /** The RFC 9162 inclusion proof of entry {@code index} in the tree of {@code size}. */
  public List<byte[]> inclusionProof(long index, long size) {
    checkDurable(size);
    return StoredNodes.read(storage, nodes -> MerkleTree.inclusionProof(nodes, index, size));
  }

  /** The RFC 9162 consistency proof from the tree of {@code from} to the tree of {@code to}. */
  public List<byte[]> consistencyProof(long from, long to) {
    checkDurable(to);
    return StoredNodes.read(storage, nodes -> MerkleTree.consistencyProof(nodes, from, to));
  }

  /** The index of the durable entry with this leaf hash, if there is one. */
  public java.util.Optional<Long> indexOf(byte[] leafHash) {
    return storage.leafIndex(leafHash).filter(index -> index < durableSize);
  }

  /** Durable entries with index in [start, end). */
  public List<AuditEntry> entries(long start, long end) {
    List<AuditEntry> out = new ArrayList<>();
    for (AuditStorage.Entry stored : storage.entries(start, Math.min(end, durableSize))) {
      out.add(AuditEntry.decode(stored.bytes()));
    }
    return out;
  }

  private void checkDurable(long size) {
    if (size < 0 || size > durableSize) {
      throw new IllegalArgumentException("tree size " + size + " is not in a log of " + durableSize + " entries");
    }
  }

  private void reload() {
    long size = storage.size();
    frontier = StoredNodes.read(storage, nodes -> Frontier.of(nodes, size));
    durableSize = size;
  }

  private void loop() {
    List<Pending> batch = new ArrayList<>();
    while (!closed || !queue.isEmpty() || open != null) {
      try {
        Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
        int events = 0;
        for (Pending next = first; next != null; next = events < MAX_BATCH ? queue.poll() : null) {
          if (next != COMMITTED) {
            batch.add(next);
            events += next.events().size();
          }
        }
        if (!batch.isEmpty()) {
          prepare(List.copyOf(batch));
        }
        // Hand over when the committer is free; a full group waits for it.
        if (open != null && (inFlight.isDone() || open.entries.size() >= MAX_BATCH)) {
          inFlight.join();
          Group group = open;
          open = null;
          inFlight = CompletableFuture.runAsync(() -> commit(group), committer);
          // Queued once the future is done, so the woken appender finds the committer free.
          inFlight.whenComplete((done, failure) -> queue.offer(COMMITTED));
        }
      } catch (InterruptedException e) {
        // Only close() interrupts; the loop condition drains what is left.
      } finally {
        batch.clear();
      }
    }
    inFlight.join();
    committer.shutdown();
  }

  /** Numbers and hashes the batch onto the open group (on the edge after everything before it). */
  private void prepare(List<Pending> batch) {
    if (edgeSpoilt || failedGeneration == generation) {
      // A commit on this edge failed: what was prepared on it fails too, and once nothing is
      // committing, the edge starts again from the store.
      inFlight.join();
      if (open != null) {
        fail(open.batch, new AuditException("an earlier audit commit failed", lastFailure));
        open = null;
      }
      try {
        reload();
        generation++;
        edgeSpoilt = false;
      } catch (RuntimeException e) {
        fail(batch, e);
        return;
      }
    }
    Group group = open != null ? open : new Group(generation);
    try {
      for (Pending pending : batch) {
        List<AuditEntry> appended = new ArrayList<>(pending.events().size());
        for (AuditEvent event : pending.events()) {
          AuditEntry entry = event.at(frontier.size());
          byte[] bytes = entry.encode();
          group.entries.add(new AuditStorage.Entry(entry.sequence(), bytes));
          frontier.append(TreeHash.leaf(bytes), (level, index, hash) ->
              group.nodes.add(new AuditStorage.Node(new AuditStorage.NodeId(level, index), hash)));
          appended.add(entry);
        }
        group.batch.add(pending);
        group.results.add(appended);
      }
    } catch (RuntimeException e) {
      // The edge and the group may hold part of this batch: neither is stored; both start again.
      edgeSpoilt = true;
      fail(group.batch, e);
      fail(batch, e);
      open = null;
      return;
    }
    group.end = frontier.size();
    open = group;
  }

  /** On the committer thread, one group at a time in the order prepared. */
  private void commit(Group group) {
    if (group.generation == failedGeneration) {
      RuntimeException cause = lastFailure;
      fail(group.batch, new AuditException("an earlier audit commit failed: " + cause.getMessage(), cause));
      return;
    }
    try {
      storage.append(group.entries, group.nodes);
    } catch (RuntimeException e) {
      lastFailure = e;
      failedGeneration = group.generation;
      fail(group.batch, e);
      return;
    }
    durableSize = group.end;
    for (int i = 0; i < group.batch.size(); i++) {
      group.batch.get(i).result().complete(group.results.get(i));
    }
  }

  private static void fail(List<Pending> batch, Throwable failure) {
    for (Pending pending : batch) {
      pending.result().completeExceptionally(failure);
    }
  }

  private void failQueued() {
    Pending pending;
    while ((pending = queue.poll()) != null) {
      pending.result().completeExceptionally(new AuditException("audit log is closed"));
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      appender.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    failQueued();
  }
}

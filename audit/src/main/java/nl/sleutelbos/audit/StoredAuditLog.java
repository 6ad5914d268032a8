package nl.sleutelbos.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import nl.sleutelbos.store.AuditStorage;
import nl.sleutelbos.store.StoreException;

/**
 * The audit log kept in the store, with group commit.
 *
 * <p>One appender thread owns the tree's right edge ({@link Frontier}). Callers queue their events
 * and wait; the appender takes everything waiting, numbers it, hashes the leaves and the complete
 * nodes they finish, and hands the lot to {@link AuditStorage#append} as one transaction. Callers
 * are released only after that commit, so an acknowledged entry is durable, and under load one
 * commit carries thousands of entries. If a commit fails, every caller in it gets the failure and
 * the edge is reloaded from what the store actually holds.
 *
 * <p>Reads (roots, proofs, entries) go to the store directly and see only committed entries.
 */
public final class StoredAuditLog implements AuditLog, AutoCloseable {
  private static final int MAX_BATCH = 8192;

  private record Pending(List<AuditEvent> events, CompletableFuture<List<AuditEntry>> result) {}

  private final AuditStorage storage;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>(65_536);
  private final Thread appender;
  private Frontier frontier; // appender thread only
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
    while (!closed || !queue.isEmpty()) {
      try {
        Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        int events = first.events().size();
        Pending next;
        while (events < MAX_BATCH && (next = queue.poll()) != null) {
          batch.add(next);
          events += next.events().size();
        }
        commit(batch);
      } catch (InterruptedException e) {
        // Only close() interrupts; the loop condition drains what is left.
      } finally {
        batch.clear();
      }
    }
  }

  private void commit(List<Pending> batch) {
    List<AuditStorage.Entry> entries = new ArrayList<>();
    List<AuditStorage.Node> nodes = new ArrayList<>();
    List<List<AuditEntry>> results = new ArrayList<>(batch.size());
    try {
      for (Pending pending : batch) {
        List<AuditEntry> appended = new ArrayList<>(pending.events().size());
        for (AuditEvent event : pending.events()) {
          AuditEntry entry = event.at(frontier.size());
          byte[] bytes = entry.encode();
          entries.add(new AuditStorage.Entry(entry.sequence(), bytes));
          frontier.append(TreeHash.leaf(bytes), (level, index, hash) ->
              nodes.add(new AuditStorage.Node(new AuditStorage.NodeId(level, index), hash)));
          appended.add(entry);
        }
        results.add(appended);
      }
      storage.append(entries, nodes);
      durableSize = frontier.size();
    } catch (RuntimeException e) {
      for (Pending pending : batch) {
        pending.result().completeExceptionally(e);
      }
      try {
        reload();
      } catch (StoreException reloadFailure) {
        e.addSuppressed(reloadFailure); // the next commit reloads again: its size check fails first
      }
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).result().complete(results.get(i));
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

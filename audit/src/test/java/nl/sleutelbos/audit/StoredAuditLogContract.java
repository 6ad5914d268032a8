package nl.sleutelbos.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import nl.sleutelbos.store.AuditStorage;
import nl.sleutelbos.store.EntityStore;
import nl.sleutelbos.store.StoreException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The stored log on a real backend: durable appends, and proofs that match the tree math. */
abstract class StoredAuditLogContract {
  private EntityStore store;
  private StoredAuditLog log;

  /** Opens the store; later calls in the same test open the same storage again. */
  protected abstract EntityStore openStore();

  @BeforeEach
  final void open() {
    store = openStore();
    log = StoredAuditLog.open(store.audit());
  }

  @AfterEach
  final void close() {
    log.close();
    store.close();
  }

  static AuditEvent event(String action, int n) {
    return new AuditEvent(Instant.parse("2026-11-26T12:00:00Z").plusSeconds(n),
        new AuditEntry.Actor("alice", "Netbeheer Noord"), action, "urn:ngsi-ld:Client:" + n,
        AuditEntry.Outcome.SUCCEEDED, "", "req-" + n, AuditEntry.digestOf(("details " + n).getBytes()));
  }

  private MemoryTree memoryTreeOfStoredEntries() {
    MemoryTree tree = new MemoryTree();
    for (AuditEntry entry : log.entries(0, log.size())) {
      tree.append(entry.encode());
    }
    return tree;
  }

  @Test
  void appendsGetConsecutiveSequencesAndReadBackUnchanged() throws AuditException {
    AuditEntry first = log.append(event("client.create", 1));
    AuditEntry second = log.append(event("client.delete", 2));

    assertThat(first.sequence()).isZero();
    assertThat(second.sequence()).isEqualTo(1);
    assertThat(log.size()).isEqualTo(2);
    assertThat(log.entries(0, 10)).containsExactly(first, second);
  }

  @Test
  void storedRootsAndProofsAreTheTreeMathsAndVerify() throws Exception {
    List<AuditEvent> events = new ArrayList<>();
    for (int i = 0; i < 77; i++) {
      events.add(event("policy.change", i));
    }
    log.appendAll(events.subList(0, 30));
    log.appendAll(events.subList(30, 77));
    MemoryTree expected = memoryTreeOfStoredEntries();

    for (long size : new long[] {1, 2, 3, 30, 31, 64, 77}) {
      assertThat(log.root(size)).isEqualTo(expected.root(size));
      for (long index = 0; index < size; index += 7) {
        List<byte[]> proof = log.inclusionProof(index, size);
        assertThat(proof).containsExactlyElementsOf(expected.inclusionProof(index, size));
        ProofVerifier.verifyInclusion(index, size, expected.node(0, index), proof, log.root(size));
      }
      for (long from = 0; from <= size; from += 5) {
        List<byte[]> proof = log.consistencyProof(from, size);
        ProofVerifier.verifyConsistency(from, size, proof, log.root(from), log.root(size));
      }
    }
  }

  @Test
  void concurrentAppendsAllLandOnceInOneTree() throws Exception {
    int threads = 16;
    int each = 100;
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          for (int i = 0; i < each; i++) {
            log.append(event("key.rotate", thread * each + i));
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    }
    List<AuditEntry> entries = log.entries(0, threads * each);
    assertThat(entries).hasSize(threads * each);
    assertThat(entries).extracting(AuditEntry::requestId).doesNotHaveDuplicates();
    for (int i = 0; i < entries.size(); i++) {
      assertThat(entries.get(i).sequence()).isEqualTo(i);
    }
    assertThat(log.root(log.size())).isEqualTo(memoryTreeOfStoredEntries().root());
  }

  @Test
  void aFailedCommitFailsItsCallersAndWhatWasPreparedOnItAndTheLogGoesOnFromTheStore() throws Exception {
    FailingStorage storage = new FailingStorage(store.audit());
    log.close();
    log = StoredAuditLog.open(storage);
    log.appendAll(List.of(event("key.rotate", 0), event("key.rotate", 1)));

    // The commit of A is held until B has been queued behind it, then fails. A's caller gets the
    // failure; B may be refused with it or land after A's place is given back, never with a gap.
    storage.hold();
    storage.failNext();
    try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
      Future<List<AuditEntry>> a = pool.submit(() -> log.appendAll(List.of(event("key.rotate", 2), event("key.rotate", 3))));
      storage.awaitHeld();
      Future<List<AuditEntry>> b = pool.submit(() -> log.appendAll(List.of(event("key.rotate", 4))));
      Thread.sleep(200);
      storage.release();
      assertThatThrownBy(a::get).hasRootCauseMessage("disk on fire");
      List<AuditEntry> stored = new ArrayList<>(log.entries(0, 2));
      try {
        stored.addAll(b.get());
      } catch (java.util.concurrent.ExecutionException e) {
        assertThat(e).hasRootCauseMessage("disk on fire");
      }
      stored.addAll(log.appendAll(List.of(event("key.rotate", 5), event("key.rotate", 6))));

      assertThat(log.entries(0, log.size())).containsExactlyElementsOf(stored);
      for (int i = 0; i < stored.size(); i++) {
        assertThat(stored.get(i).sequence()).isEqualTo(i);
      }
      assertThat(log.root(log.size())).isEqualTo(memoryTreeOfStoredEntries().root());
      ProofVerifier.verifyConsistency(2, log.size(), log.consistencyProof(2, log.size()), log.root(2), log.root(log.size()));
    }
  }

  /** The store's audit storage, with a commit that can be held back and made to fail. */
  private static final class FailingStorage implements AuditStorage {
    private final AuditStorage delegate;
    private volatile java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(0);
    private volatile java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(0);
    private volatile boolean failNext;

    FailingStorage(AuditStorage delegate) {
      this.delegate = delegate;
    }

    void hold() {
      held = new java.util.concurrent.CountDownLatch(1);
      gate = new java.util.concurrent.CountDownLatch(1);
    }

    void awaitHeld() throws InterruptedException {
      held.await();
    }

    void release() {
      gate.countDown();
    }

    void failNext() {
      failNext = true;
    }

    @Override
    public void append(List<Entry> entries, List<Node> nodes) {
      held.countDown();
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (failNext) {
        failNext = false;
        throw new StoreException("disk on fire", null);
      }
      delegate.append(entries, nodes);
    }

    @Override
    public long size() {
      return delegate.size();
    }

    @Override
    public List<Entry> entries(long start, long end) {
      return delegate.entries(start, end);
    }

    @Override
    public java.util.Map<NodeId, byte[]> nodes(java.util.Collection<NodeId> ids) {
      return delegate.nodes(ids);
    }

    @Override
    public java.util.Optional<Long> leafIndex(byte[] leafHash) {
      return delegate.leafIndex(leafHash);
    }

    @Override
    public boolean addCheckpoint(Checkpoint checkpoint) {
      return delegate.addCheckpoint(checkpoint);
    }

    @Override
    public java.util.Optional<Checkpoint> latestCheckpoint() {
      return delegate.latestCheckpoint();
    }

    @Override
    public List<Checkpoint> checkpoints() {
      return delegate.checkpoints();
    }
  }

  @Test
  void aReopenedLogContinuesTheSameTree() throws Exception {
    for (int i = 0; i < 10; i++) {
      log.append(event("retention.set", i));
    }
    log.close();
    store.close();
    store = openStore();
    log = StoredAuditLog.open(store.audit());
    for (int i = 10; i < 15; i++) {
      log.append(event("retention.set", i));
    }
    assertThat(log.size()).isEqualTo(15);
    assertThat(log.root(15)).isEqualTo(memoryTreeOfStoredEntries().root());
    ProofVerifier.verifyConsistency(10, 15, log.consistencyProof(10, 15), log.root(10), log.root(15));
  }

  @Test
  void noProofBeyondTheDurableSize() throws AuditException {
    log.append(event("client.create", 0));
    assertThatThrownBy(() -> log.inclusionProof(0, 2)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> log.consistencyProof(1, 2)).isInstanceOf(IllegalArgumentException.class);
  }
}

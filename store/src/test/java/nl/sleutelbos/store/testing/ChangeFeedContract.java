package nl.sleutelbos.store.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import nl.sleutelbos.store.ChangeEvent;
import nl.sleutelbos.store.ChangeFeed;
import nl.sleutelbos.store.Derived;
import nl.sleutelbos.store.EntityChange;
import nl.sleutelbos.store.EntityStore;
import nl.sleutelbos.store.Outcome;
import nl.sleutelbos.store.StoredEntity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link ChangeFeed}, the same on every backend: what a write appends, in which
 * order, what survives a reopen, and what a trim removes.
 */
public abstract class ChangeFeedContract {
  protected static final String TENANT = "alpha";
  private static final String METER = "https://uri.etsi.org/ngsi-ld/default-context/Meter";
  private static final String POWER = "https://uri.etsi.org/ngsi-ld/default-context/power";
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  protected EntityStore store;

  /** Opens the store; later calls in the same test open the same storage again. */
  protected abstract EntityStore openStore();

  @BeforeEach
  final void open() {
    store = openStore();
  }

  @AfterEach
  final void close() {
    store.close();
  }

  private static StoredEntity meter(String id, double power) {
    return new StoredEntity(id, List.of(METER), T, T,
        "{\"id\":\"" + id + "\",\"type\":[\"" + METER + "\"],\"" + POWER + "\":[{\"type\":\"Property\",\"value\":" + power + "}]}");
  }

  private static EntityChange putWithEvent(String id, double power, ChangeEvent.Kind kind) {
    return new EntityChange(id, current -> new Outcome.Put(meter(id, power),
        Derived.NONE.withEvent(new ChangeEvent(kind, Set.of(POWER)))));
  }

  private List<ChangeFeed.Change> all(String tenant) {
    return store.feed().read(tenant, 0, store.feed().latest(), 10_000);
  }

  @Test
  void aWriteWithAnEventAppendsTheEntityAfterTheChange() {
    store.apply(TENANT, List.of(putWithEvent("urn:m:1", 1.5, ChangeEvent.Kind.CREATED)));

    List<ChangeFeed.Change> changes = all(TENANT);
    assertThat(changes).hasSize(1);
    ChangeFeed.Change c = changes.get(0);
    assertThat(c.entityId()).isEqualTo("urn:m:1");
    assertThat(c.types()).containsExactly(METER);
    assertThat(c.kind()).isEqualTo(ChangeEvent.Kind.CREATED);
    assertThat(c.attributes()).containsExactly(POWER);
    assertThat(c.document()).contains("1.5");
    assertThat(c.sequence()).isEqualTo(store.feed().latest());
  }

  @Test
  void aWriteWithoutAnEventAppendsNothing() {
    store.apply(TENANT, List.of(new EntityChange("urn:m:2", current -> Outcome.put(meter("urn:m:2", 1)))));

    assertThat(all(TENANT)).isEmpty();
  }

  @Test
  void aRemovalAppendsTheEntityAsItWasBefore() {
    store.apply(TENANT, List.of(putWithEvent("urn:m:3", 7.25, ChangeEvent.Kind.CREATED)));
    store.apply(TENANT, List.of(new EntityChange("urn:m:3",
        current -> new Outcome.Remove(Optional.of(new ChangeEvent(ChangeEvent.Kind.DELETED, Set.of()))))));

    List<ChangeFeed.Change> changes = all(TENANT);
    assertThat(changes).extracting(ChangeFeed.Change::kind)
        .containsExactly(ChangeEvent.Kind.CREATED, ChangeEvent.Kind.DELETED);
    assertThat(changes.get(1).document()).contains("7.25");
    assertThat(changes.get(1).attributes()).isEmpty();
  }

  @Test
  void aRejectedChangeAppendsNothing() {
    store.apply(TENANT, List.of(new EntityChange("urn:m:4",
        current -> Outcome.rejected(new IllegalArgumentException("no")))));

    assertThat(all(TENANT)).isEmpty();
  }

  @Test
  void changesOfOneCallComeInCallOrderAndTenantsAreApart() {
    store.apply(TENANT, List.of(putWithEvent("urn:m:b", 1, ChangeEvent.Kind.CREATED),
        putWithEvent("urn:m:a", 2, ChangeEvent.Kind.CREATED), putWithEvent("urn:m:b", 3, ChangeEvent.Kind.UPDATED)));
    store.apply("beta", List.of(putWithEvent("urn:m:c", 4, ChangeEvent.Kind.CREATED)));

    assertThat(all(TENANT)).extracting(ChangeFeed.Change::entityId).containsExactly("urn:m:b", "urn:m:a", "urn:m:b");
    assertThat(all("beta")).extracting(ChangeFeed.Change::entityId).containsExactly("urn:m:c");
  }

  @Test
  void readingPagesAfterASequenceAndStopsAtTheBound() {
    for (int i = 0; i < 5; i++) {
      store.apply(TENANT, List.of(putWithEvent("urn:m:p" + i, i, ChangeEvent.Kind.CREATED)));
    }
    List<ChangeFeed.Change> changes = all(TENANT);
    long second = changes.get(1).sequence();
    long fourth = changes.get(3).sequence();

    assertThat(store.feed().read(TENANT, second, fourth, 100)).extracting(ChangeFeed.Change::entityId)
        .containsExactly("urn:m:p2", "urn:m:p3");
    assertThat(store.feed().read(TENANT, 0, Long.MAX_VALUE, 2)).extracting(ChangeFeed.Change::entityId)
        .containsExactly("urn:m:p0", "urn:m:p1");
  }

  @Test
  void theFeedSurvivesAReopenAndATrimRemovesOnlyWhatItNames() {
    for (int i = 0; i < 4; i++) {
      store.apply(TENANT, List.of(putWithEvent("urn:m:r" + i, i, ChangeEvent.Kind.CREATED)));
    }
    store.close();
    store = openStore();
    List<ChangeFeed.Change> changes = all(TENANT);
    assertThat(changes).hasSize(4);

    store.feed().trim(changes.get(1).sequence());

    assertThat(all(TENANT)).extracting(ChangeFeed.Change::entityId).containsExactly("urn:m:r2", "urn:m:r3");
    long latest = store.feed().latest();
    store.feed().trim(latest);
    store.apply(TENANT, List.of(putWithEvent("urn:m:r4", 4, ChangeEvent.Kind.CREATED)));
    assertThat(store.feed().latest()).as("a sequence is never reused after a trim").isGreaterThan(latest);
  }

  @Test
  void listenersAreRungAfterACommitUntilClosed() throws Exception {
    AtomicInteger rung = new AtomicInteger();
    AutoCloseable handle = store.feed().listen(rung::incrementAndGet);
    store.apply(TENANT, List.of(putWithEvent("urn:m:l1", 1, ChangeEvent.Kind.CREATED)));
    int afterFirst = rung.get();
    handle.close();
    store.apply(TENANT, List.of(putWithEvent("urn:m:l2", 1, ChangeEvent.Kind.CREATED)));

    assertThat(afterFirst).isGreaterThanOrEqualTo(1);
    assertThat(rung.get()).isEqualTo(afterFirst);
  }

  /**
   * Concurrent writers: whatever a reader saw at a head it read must be all there is up to that
   * head, so a reader that only moves forward sees every change exactly once.
   */
  @Test
  void aReaderMovingForwardSeesEveryConcurrentChangeExactlyOnce() throws Exception {
    int writers = 4;
    int perWriter = 50;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    List<Future<?>> done = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int writer = w;
      done.add(pool.submit(() -> {
        for (int i = 0; i < perWriter; i++) {
          store.apply(TENANT, List.of(putWithEvent("urn:m:w" + writer + ":" + i, i, ChangeEvent.Kind.CREATED)));
        }
      }));
    }
    List<String> seen = new ArrayList<>();
    long cursor = 0;
    while (seen.size() < writers * perWriter) {
      long head = store.feed().latest();
      for (ChangeFeed.Change c : store.feed().read(TENANT, cursor, head, 1000)) {
        seen.add(c.entityId());
        cursor = c.sequence();
      }
      if (done.stream().allMatch(Future::isDone) && cursor == store.feed().latest()) {
        break;
      }
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    assertThat(seen).hasSize(writers * perWriter).doesNotHaveDuplicates();
  }
}

package nl.sleutelbos.store.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import nl.sleutelbos.store.EntityChange;
import nl.sleutelbos.store.EntityStore;
import nl.sleutelbos.store.Outcome;
import nl.sleutelbos.store.StoredEntity;
import nl.sleutelbos.store.ReadingStore;
import nl.sleutelbos.store.ReadingStore.Reading;
import nl.sleutelbos.store.ReadingStore.Stored;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link ReadingStore}, the same on every backend: a reading is kept once per
 * (meter, time) and as first written; reads by meter and time range; followers see every stored
 * reading once, in order, by sequence; everything survives a reopen; readings and the entity
 * changes made of them are committed together or not at all.
 */
public abstract class ReadingStoreContract {
  private static final Instant T0 = Instant.parse("2026-11-26T10:00:00.123456Z");

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

  private static Reading reading(String meter, int minutes, String values) {
    Instant at = T0.plusSeconds(60L * minutes);
    return new Reading(meter, at, at.plusMillis(1500), at.plusSeconds(2), minutes % 3,
        values.getBytes(StandardCharsets.UTF_8));
  }

  private static String text(Reading r) {
    return new String(r.values(), StandardCharsets.UTF_8);
  }

  @Test
  void aReadingIsReadBackWithEveryFieldToTheMicrosecond() {
    Reading r = new Reading("m-1", T0, T0.plusNanos(7_000), T0.plusSeconds(1), 5, new byte[] {0, 1, (byte) 255});
    assertThat(store.readings().insert(List.of(r))).containsExactly(true);

    Reading back = store.readings().read("m-1", Optional.empty(), Optional.empty(), 10, false).getFirst();
    assertThat(back.meterId()).isEqualTo("m-1");
    assertThat(back.observedAt()).isEqualTo(T0);
    assertThat(back.receivedAt()).isEqualTo(T0.plusNanos(7_000));
    assertThat(back.storedAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(back.flags()).isEqualTo(5);
    assertThat(back.values()).containsExactly(0, 1, 255);
  }

  @Test
  void aReadingOfTheSameMeterAndTimeIsKeptOnceAndAsFirstWritten() {
    assertThat(store.readings().insert(List.of(reading("m-1", 0, "first"), reading("m-1", 0, "again"))))
        .containsExactly(true, false);
    assertThat(store.readings().insert(List.of(reading("m-1", 0, "later"), reading("m-2", 0, "other"))))
        .containsExactly(false, true);

    assertThat(store.readings().read("m-1", Optional.empty(), Optional.empty(), 10, false))
        .extracting(ReadingStoreContract::text).containsExactly("first");
    assertThat(store.readings().since(0, 10)).hasSize(2);
  }

  @Test
  void readsAMetersRangeInTimeOrderEitherWay() {
    List<Reading> all = new ArrayList<>();
    for (int m = 0; m < 10; m++) {
      all.add(reading("m-1", 9 - m, "r" + (9 - m)));
      all.add(reading("m-2", m, "other"));
    }
    store.readings().insert(all);

    assertThat(store.readings().read("m-1", Optional.of(T0.plusSeconds(120)), Optional.of(T0.plusSeconds(300)), 10, false))
        .extracting(ReadingStoreContract::text).containsExactly("r2", "r3", "r4");
    assertThat(store.readings().read("m-1", Optional.empty(), Optional.empty(), 3, true))
        .extracting(ReadingStoreContract::text).containsExactly("r9", "r8", "r7");
    assertThat(store.readings().read("m-1", Optional.empty(), Optional.of(T0.plusSeconds(120)), 10, true))
        .extracting(ReadingStoreContract::text).containsExactly("r1", "r0");
    assertThat(store.readings().read("m-3", Optional.empty(), Optional.empty(), 10, false)).isEmpty();
    assertThat(store.readings().read("m-1", Optional.empty(), Optional.empty(), 0, false)).isEmpty();
  }

  @Test
  void theLatestReadingOfEachMeterInOneRead() {
    store.readings().insert(List.of(reading("m-1", 5, "m1 new"), reading("m-1", 1, "m1 old"), reading("m-2", 3, "m2")));

    var latest = store.readings().latest(List.of("m-1", "m-2", "m-3"));
    assertThat(latest).containsOnlyKeys("m-1", "m-2");
    assertThat(text(latest.get("m-1"))).isEqualTo("m1 new");
    assertThat(text(latest.get("m-2"))).isEqualTo("m2");
    assertThat(store.readings().latest(List.of())).isEmpty();
  }

  @Test
  void theLatestReadingsOfManyMetersAreEachMetersNewest() {
    List<Reading> rows = new java.util.ArrayList<>();
    List<String> asked = new java.util.ArrayList<>();
    for (int m = 0; m < 150; m++) {
      for (int minutes : new int[] {3, 9, 1}) {
        rows.add(reading("m-" + m, minutes + m, "m" + m + " at " + (minutes + m)));
      }
      asked.add("m-" + m);
      asked.add("unknown-" + m);
    }
    asked.add("m-7");
    store.readings().insert(rows);

    var latest = store.readings().latest(asked);
    assertThat(latest).hasSize(150);
    for (int m = 0; m < 150; m++) {
      assertThat(text(latest.get("m-" + m))).isEqualTo("m" + m + " at " + (9 + m));
    }
  }

  @Test
  void followersSeeEveryStoredReadingOnceInCommitOrder() {
    store.readings().insert(List.of(reading("b", 0, "1"), reading("a", 0, "2")));
    store.readings().insert(List.of(reading("a", 0, "dup"), reading("c", 0, "3")));
    store.readings().insert(List.of(reading("a", 1, "4")));

    List<Stored> all = store.readings().since(0, 100);
    assertThat(all).extracting(s -> text(s.reading())).containsExactly("1", "2", "3", "4");
    for (int i = 1; i < all.size(); i++) {
      assertThat(all.get(i).sequence()).isGreaterThan(all.get(i - 1).sequence());
    }
    assertThat(store.readings().since(all.get(1).sequence(), 1)).extracting(s -> text(s.reading())).containsExactly("3");
    assertThat(store.readings().since(all.getLast().sequence(), 10)).isEmpty();
  }

  @Test
  void sequencesGoOnGrowingAfterAReopen() {
    store.readings().insert(List.of(reading("a", 0, "1"), reading("a", 1, "2")));
    long last = store.readings().since(0, 10).getLast().sequence();
    store.close();
    store = openStore();

    store.readings().insert(List.of(reading("a", 2, "3")));
    assertThat(store.readings().since(last, 10)).extracting(s -> text(s.reading())).containsExactly("3");
    assertThat(store.readings().read("a", Optional.empty(), Optional.empty(), 10, false)).hasSize(3);
  }

  @Test
  void listsTheMetersWithReadingsInIdOrderPageByPage() {
    store.readings().insert(List.of(reading("m-3", 0, "x"), reading("m-1", 0, "x"), reading("m-1", 1, "x"),
        reading("m-2", 0, "x"), reading("m-2", 4, "x")));

    assertThat(store.readings().meters(Optional.empty(), 10)).containsExactly("m-1", "m-2", "m-3");
    assertThat(store.readings().meters(Optional.empty(), 2)).containsExactly("m-1", "m-2");
    assertThat(store.readings().meters(Optional.of("m-2"), 10)).containsExactly("m-3");
    assertThat(store.readings().meters(Optional.of("m-3"), 10)).isEmpty();
  }

  @Test
  void deletesAMetersReadingsAndExpiresOldOnesInBatches() {
    List<Reading> all = new ArrayList<>();
    for (int m = 0; m < 10; m++) {
      all.add(reading("m-1", m, "x"));
      all.add(reading("m-2", m, "x"));
    }
    store.readings().insert(all);

    assertThat(store.readings().delete("m-2")).isEqualTo(10);
    assertThat(store.readings().read("m-2", Optional.empty(), Optional.empty(), 10, false)).isEmpty();
    assertThat(store.readings().expire(T0.plusSeconds(300), 3)).isEqualTo(3);
    assertThat(store.readings().expire(T0.plusSeconds(300), 3)).isEqualTo(2);
    assertThat(store.readings().expire(T0.plusSeconds(300), 3)).isZero();
    assertThat(store.readings().read("m-1", Optional.empty(), Optional.empty(), 10, false))
        .extracting(Reading::observedAt).first().isEqualTo(T0.plusSeconds(300));
  }

  @Test
  void aReadingStoredTwiceInOneCallIsKeptOnce() {
    assertThat(store.readings().insert(List.of())).isEmpty();
    assertThat(store.readings().insert(List.of(reading("m", 0, "a"), reading("m", 0, "b"), reading("m", 1, "c"))))
        .containsExactly(true, false, true);
    assertThat(store.readings().since(0, 10)).extracting(s -> text(s.reading())).containsExactly("a", "c");
  }

  @Test
  void aLargeCallSaysOfEveryReadingWhetherItStoredIt() {
    // Larger than any statement a backend may group rows into, with repeats scattered through it.
    List<Reading> earlier = new ArrayList<>();
    for (int m = 0; m < 1_000; m += 7) {
      earlier.add(reading("m-" + m, 0, "earlier " + m));
    }
    store.readings().insert(earlier);
    List<Reading> batch = new ArrayList<>();
    for (int m = 0; m < 1_000; m++) {
      batch.add(reading("m-" + m, 0, "batch " + m));
    }
    batch.add(reading("m-5", 0, "twice in the call"));

    boolean[] stored = store.readings().insert(batch);

    assertThat(stored).hasSize(1_001);
    for (int m = 0; m < 1_000; m++) {
      assertThat(stored[m]).as("m-" + m).isEqualTo(m % 7 != 0);
    }
    assertThat(stored[1_000]).isFalse();
    List<Stored> all = store.readings().since(0, 10_000);
    assertThat(all).hasSize(1_000);
    for (int i = 1; i < all.size(); i++) {
      assertThat(all.get(i).sequence()).isGreaterThan(all.get(i - 1).sequence());
    }
    assertThat(store.readings().read("m-7", Optional.empty(), Optional.empty(), 10, false))
        .extracting(ReadingStoreContract::text).containsExactly("earlier 7");
    assertThat(store.readings().read("m-5", Optional.empty(), Optional.empty(), 10, false))
        .extracting(ReadingStoreContract::text).containsExactly("batch 5");
  }

  /**
   * A count of stored readings kept on an entity, as the ingest keeps its quality counts: the
   * change adds to the count what the call stored, never what it found stored already.
   */
  private static List<EntityChange> countStored(boolean[] stored) {
    int n = 0;
    for (boolean b : stored) {
      n += b ? 1 : 0;
    }
    int added = n;
    return List.of(new EntityChange(COUNTER, current -> {
      int before = current.map(e -> Integer.parseInt(e.document().replaceAll("\\D", ""))).orElse(0);
      return Outcome.put(new StoredEntity(COUNTER, List.of("Counter"), T0, T0, "{\"n\":" + (before + added) + "}"));
    }));
  }

  private static final String COUNTER = "urn:counter:1";

  private int count() {
    return store.get("t", COUNTER).map(e -> Integer.parseInt(e.document().replaceAll("\\D", ""))).orElse(-1);
  }

  @Test
  void readingsAndTheEntityChangesMadeOfThemAreCommittedTogether() {
    boolean[] stored = store.readings().insert(List.of(reading("m-1", 0, "a"), reading("m-1", 1, "b")), "t",
        ReadingStoreContract::countStored);
    assertThat(stored).containsExactly(true, true);
    assertThat(store.readings().read("m-1", Optional.empty(), Optional.empty(), 10, false)).hasSize(2);
    assertThat(count()).isEqualTo(2);

    // Delivered again with one new reading: the changes are told which were stored, so nothing counts twice.
    stored = store.readings().insert(List.of(reading("m-1", 1, "b"), reading("m-1", 2, "c"), reading("m-1", 0, "a")),
        "t", ReadingStoreContract::countStored);
    assertThat(stored).containsExactly(false, true, false);
    assertThat(count()).isEqualTo(3);
    assertThat(store.readings().since(0, 10)).hasSize(3);
  }

  @Test
  void whenTheEntityChangesFailTheReadingsAreNotStoredEither() {
    List<Reading> batch = List.of(reading("m-1", 0, "a"), reading("m-2", 0, "b"));
    assertThatThrownBy(() -> store.readings().insert(batch, "t", stored -> {
      throw new IllegalStateException("the counts cannot be written");
    })).hasMessageContaining("the counts cannot be written");

    assertThat(store.readings().since(0, 10)).isEmpty();
    assertThat(store.readings().latest(List.of("m-1", "m-2"))).isEmpty();
    assertThat(count()).isEqualTo(-1);

    // The same batch again stores both, and counts both once; sequences carry on from the store's.
    assertThat(store.readings().insert(batch, "t", ReadingStoreContract::countStored)).containsExactly(true, true);
    assertThat(count()).isEqualTo(2);
    assertThat(store.readings().insert(List.of(reading("m-3", 0, "c")))).containsExactly(true);
    List<Stored> all = store.readings().since(0, 10);
    assertThat(all).hasSize(3);
    assertThat(all.get(2).sequence()).isGreaterThan(all.get(1).sequence());
  }

  @Test
  void entityChangesAloneAreWrittenWhenNoReadingComes() {
    assertThat(store.readings().insert(List.of(), "t", stored -> List.of(new EntityChange(COUNTER,
        current -> Outcome.put(new StoredEntity(COUNTER, List.of("Counter"), T0, T0, "{\"n\":7}")))))).isEmpty();
    assertThat(count()).isEqualTo(7);
  }
}

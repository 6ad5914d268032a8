package nl.sleutelbos.store.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import nl.sleutelbos.store.DocumentStore;
import nl.sleutelbos.store.EntityChange;
import nl.sleutelbos.store.EntityStore;
import nl.sleutelbos.store.Mutation;
import nl.sleutelbos.store.Outcome;
import nl.sleutelbos.store.Selector;
import nl.sleutelbos.store.StoreException;
import nl.sleutelbos.store.StoredEntity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link EntityStore} and its {@link DocumentStore}: every guarantee of their
 * Javadoc, tested the same way on every backend. A backend's test extends this class and
 * implements {@link #openStore()}; where a backend knowingly differs, it overrides a capability
 * method and the contract asserts the difference instead of skipping the test.
 *
 * <p>This class is long because it is the whole contract in one place; the tests follow the
 * order of the {@link EntityStore} Javadoc.
 */
public abstract class EntityStoreContract {
  protected static final String TENANT = "alpha";
  protected static final String OTHER_TENANT = "beta";
  protected static final String METER = "https://uri.etsi.org/ngsi-ld/default-context/Meter";
  protected static final String SENSOR = "https://uri.etsi.org/ngsi-ld/default-context/Sensor";
  protected static final String GATEWAY = "https://uri.etsi.org/ngsi-ld/default-context/Gateway";
  protected static final Instant CREATED = Instant.parse("2025-03-01T10:15:30.123456Z");
  protected static final Instant MODIFIED = Instant.parse("2025-03-02T11:16:31.654321Z");

  /** The store under test, opened before each test and closed after it. */
  protected EntityStore store;

  /**
   * Opens the store under test. The first call in a test must give a store over empty storage;
   * later calls in the same test must open that same storage again (to check durability).
   */
  protected abstract EntityStore openStore();

  /** Whether documents come back as the exact text written; if not, as equivalent JSON. */
  protected boolean keepsDocumentText() {
    return true;
  }

  /**
   * Whether a document that is not JSON (or holds the escape <code>&#92;u0000</code>) is rejected;
   * if not, it is kept as written.
   */
  protected boolean rejectsDocumentsItCannotParse() {
    return false;
  }

  @BeforeEach
  final void openTheStore() {
    store = openStore();
  }

  @AfterEach
  final void closeTheStore() {
    if (store != null) {
      store.close();
    }
  }

  /** Closes the store and opens the same storage again. */
  protected final void reopen() {
    store.close();
    store = openStore();
  }

  // ---- put and get ------------------------------------------------------------------------

  @Test
  void aPutEntityComesBackWithEveryField() {
    StoredEntity meter = entity("urn:ngsi-ld:Meter:001", "{\"power\": {\"type\": \"Property\", \"value\": 1.5}}",
        METER, SENSOR);

    assertThat(apply(TENANT, put(meter))).containsExactly(Outcome.put(meter));

    assertThat(store.get(TENANT, meter.id())).contains(meter);
  }

  @Test
  void anEntityThatWasNeverWrittenIsEmpty() {
    assertThat(store.get(TENANT, "urn:ngsi-ld:Meter:none")).isEmpty();
    apply(TENANT, put(entity("urn:ngsi-ld:Meter:001", 1)));
    assertThat(store.get(TENANT, "urn:ngsi-ld:Meter:none")).isEmpty();
  }

  @Test
  void timesKeepMicrosecondsAndDropFinerDigits() {
    List<Instant> times = List.of(
        Instant.parse("2024-02-29T12:34:56.123456Z"),
        Instant.parse("1969-12-31T23:59:59.999999Z"),
        Instant.parse("1970-01-01T00:00:00Z"),
        Instant.parse("0001-01-01T00:00:00Z"),
        Instant.parse("9999-12-31T23:59:59.999999Z"));
    for (int i = 0; i < times.size(); i++) {
      Instant t = times.get(i);
      StoredEntity e = new StoredEntity("urn:t:" + i, List.of(METER), t, t, "{}");
      apply(TENANT, put(e));
      assertThat(store.get(TENANT, e.id())).as("time %s", t).contains(e);
    }

    Instant nanos = Instant.parse("2024-02-29T12:34:56.123456789Z");
    Instant beforeEpoch = Instant.parse("1969-12-31T23:59:59.999999999Z");
    apply(TENANT, put(new StoredEntity("urn:t:nanos", List.of(METER), nanos, beforeEpoch, "{}")));
    StoredEntity stored = store.get(TENANT, "urn:t:nanos").orElseThrow();
    assertThat(stored.createdAt()).isEqualTo("2024-02-29T12:34:56.123456Z");
    assertThat(stored.modifiedAt()).isEqualTo("1969-12-31T23:59:59.999999Z");
  }

  @Test
  void timesOutsideYearsOneTo9999AreRejected() {
    List<Instant> bad = List.of(Instant.parse("+10000-01-01T00:00:00Z"), Instant.parse("0000-12-31T23:59:59Z"),
        Instant.MAX, Instant.MIN);
    for (Instant t : bad) {
      StoredEntity early = new StoredEntity("urn:bad", List.of(METER), t, CREATED, "{}");
      StoredEntity late = new StoredEntity("urn:bad", List.of(METER), CREATED, t, "{}");
      assertThat(apply(TENANT, put(early), put(late)))
          .as("time %s", t)
          .allSatisfy(o -> assertThat(o).isInstanceOf(Outcome.Rejected.class));
    }
    assertThat(store.get(TENANT, "urn:bad")).isEmpty();
    assertThat(store.tenantExists(TENANT)).isFalse();
  }

  @Test
  void unicodeInIdsTypesAndDocumentsComesBackIntact() {
    StoredEntity e = entity("urn:ngsi-ld:Meter:caf\u00e9-\u4e2d\u6587-\uD83D\uDD11",
        "{\"name\": \"Sleutelbos \uD83D\uDD11 \u2014 caf\u00e9 \u4e2d\u6587 \u05e2\u05d1\u05e8\u05d9\u05ea\","
            + " \"quote\": \"a \\\"b\\\" \\\\ c\\nd\\te\"}",
        "https://example.org/\u00e9t\u00e9/Z\u00e4hler");
    apply(TENANT, put(e));

    assertThat(store.get(TENANT, e.id())).contains(e);
    assertThat(store.types(TENANT)).containsExactly(e.types().getFirst());
    assertThat(scanIds(TENANT, Selector.ofTypes(Set.copyOf(e.types())))).containsExactly(e.id());
  }

  @Test
  void aOneMegabyteDocumentComesBackIntact() {
    StringBuilder data = new StringBuilder(1 << 20);
    Random random = new Random(42);
    while (data.length() < 1_000_000) {
      data.append((char) ('a' + random.nextInt(26)));
    }
    StoredEntity big = entity("urn:big", "{\"n\": 1, \"data\": \"" + data + "\"}", METER);

    apply(TENANT, put(big));

    assertThat(store.get(TENANT, big.id())).contains(big);
    List<StoredEntity> scanned = new ArrayList<>();
    store.scan(TENANT, Selector.ALL, scanned::add);
    assertThat(scanned).containsExactly(big);
  }

  @Test
  void documentsComeBackAsWrittenOrAsEquivalentJson() {
    String written = "{ \"b\" : 1, \"a\" : [1, 2.50, true, null] ,\n \"c\":{\"y\":\"caf\\u00e9\",\"x\":{}}}";
    apply(TENANT, put(entity("urn:doc", written, METER)));

    String read = store.get(TENANT, "urn:doc").orElseThrow().document();

    assertThat(Json.parse(read)).isEqualTo(Json.parse(written));
    if (keepsDocumentText()) {
      assertThat(read).isEqualTo(written);
    } else {
      // PostgreSQL jsonb: keys sorted (shorter first), its own spacing, escapes decoded, numbers as written.
      assertThat(read).isEqualTo("{\"a\": [1, 2.50, true, null], \"b\": 1, \"c\": {\"x\": {}, \"y\": \"caf\u00e9\"}}");
    }
  }

  @Test
  void documentsTheBackendCannotParseAreKeptOrRejectedAlone() {
    StoredEntity before = entity("urn:before", 1);
    StoredEntity notJson = entity("urn:not-json", "this is not {json", METER);
    StoredEntity nul = entity("urn:nul", "{\"a\": \"x\\u0000y\"}", METER);
    StoredEntity after = entity("urn:after", 2);

    List<Outcome> outcomes = apply(TENANT, put(before), put(notJson), put(nul), put(after));

    assertThat(outcomes.get(0)).isEqualTo(Outcome.put(before));
    assertThat(outcomes.get(3)).isEqualTo(Outcome.put(after));
    assertThat(store.get(TENANT, "urn:before")).contains(before);
    assertThat(store.get(TENANT, "urn:after")).contains(after);
    if (rejectsDocumentsItCannotParse()) {
      assertThat(outcomes.subList(1, 3)).allSatisfy(o -> assertThat(o).isInstanceOfSatisfying(
          Outcome.Rejected.class, r -> assertThat(r.reason()).isInstanceOf(IllegalArgumentException.class)));
      assertThat(store.get(TENANT, "urn:not-json")).isEmpty();
      assertThat(store.get(TENANT, "urn:nul")).isEmpty();
    } else {
      assertThat(outcomes.subList(1, 3)).containsExactly(Outcome.put(notJson), Outcome.put(nul));
      assertThat(store.get(TENANT, "urn:not-json")).contains(notJson);
      assertThat(store.get(TENANT, "urn:nul")).contains(nul);
    }
  }

  // ---- apply: outcomes, atomicity per change, order within a call -------------------------

  @Test
  void applyReportsOneOutcomePerChangeInOrder() {
    StoredEntity a = entity("urn:a", 1);
    StoredEntity b = entity("urn:b", 2);

    List<Outcome> outcomes = apply(TENANT, put(a), change("urn:c", current -> Outcome.unchanged()),
        remove("urn:missing"), put(b));

    assertThat(outcomes).containsExactly(Outcome.put(a), Outcome.unchanged(), Outcome.remove(), Outcome.put(b));
    assertThat(scanIds(TENANT, Selector.ALL)).containsExactly("urn:a", "urn:b");
  }

  @Test
  void anEmptyCallWritesNothing() {
    assertThat(store.apply(TENANT, List.of())).isEmpty();
    assertThat(store.tenantExists(TENANT)).isFalse();
  }

  @Test
  void aRejectedChangeWritesNothingAndDoesNotStopTheOthers() {
    StoredEntity a = entity("urn:a", 1);
    StoredEntity c = entity("urn:c", 3);
    RuntimeException reason = new IllegalArgumentException("no");

    List<Outcome> outcomes = apply(TENANT, put(a), change("urn:b", current -> Outcome.rejected(reason)), put(c));

    assertThat(outcomes).containsExactly(Outcome.put(a), Outcome.rejected(reason), Outcome.put(c));
    assertThat(scanIds(TENANT, Selector.ALL)).containsExactly("urn:a", "urn:c");
  }

  @Test
  void aMutationThatThrowsIsReportedRejectedAndWritesNothing() {
    StoredEntity b1 = entity("urn:b", 1);
    apply(TENANT, put(b1));
    RuntimeException boom = new IllegalStateException("boom");

    List<Outcome> outcomes = apply(TENANT, put(entity("urn:a", 1)), change("urn:b", current -> {
      throw boom;
    }), put(entity("urn:c", 3)));

    assertThat(outcomes.get(1)).isEqualTo(Outcome.rejected(boom));
    assertThat(outcomes.get(0)).isInstanceOf(Outcome.Put.class);
    assertThat(outcomes.get(2)).isInstanceOf(Outcome.Put.class);
    assertThat(store.get(TENANT, "urn:b")).contains(b1);
    assertThat(scanIds(TENANT, Selector.ALL)).containsExactly("urn:a", "urn:b", "urn:c");
  }

  @Test
  void aMutationThatPutsAnotherIdOrReturnsNullIsRejected() {
    List<Outcome> outcomes = apply(TENANT,
        change("urn:a", current -> Outcome.put(entity("urn:other", 1))),
        change("urn:b", current -> null),
        put(entity("urn:c", 3)));

    assertThat(outcomes.get(0)).isInstanceOfSatisfying(Outcome.Rejected.class,
        r -> assertThat(r.reason()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("urn:other"));
    assertThat(outcomes.get(1)).isInstanceOf(Outcome.Rejected.class);
    assertThat(scanIds(TENANT, Selector.ALL)).containsExactly("urn:c");
  }

  @Test
  void laterChangesToTheSameIdSeeEarlierOnes() {
    StoredEntity v1 = entity("urn:a", 1);
    StoredEntity v2 = entity("urn:a", 2);
    List<Optional<StoredEntity>> seen = Collections.synchronizedList(new ArrayList<>());
    Mutation increment = increment("urn:a").mutation();

    List<Outcome> outcomes = apply(TENANT,
        put(v1),
        change("urn:a", current -> {
          seen.add(current);
          return Outcome.put(v2);
        }),
        change("urn:a", current -> {
          seen.add(current);
          return Outcome.rejected(new IllegalStateException("rejected changes are invisible to later ones"));
        }),
        change("urn:a", current -> {
          seen.add(current);
          return Outcome.remove();
        }),
        change("urn:a", current -> {
          seen.add(current);
          return increment.apply(current);
        }),
        increment("urn:a"));

    assertThat(seen).containsExactly(Optional.of(v1), Optional.of(v2), Optional.of(v2), Optional.empty());
    assertThat(outcomes).hasSize(6);
    assertThat(counter(store.get(TENANT, "urn:a").orElseThrow())).isEqualTo(2);
  }

  @Test
  void aMutationSeesTheCommittedStateOfEarlierCalls() {
    apply(TENANT, put(entity("urn:a", 41)));
    apply(TENANT, increment("urn:a"));
    assertThat(counter(store.get(TENANT, "urn:a").orElseThrow())).isEqualTo(42);
  }

  @Test
  void readsDuringACallSeeOnlyCommittedState() {
    StoredEntity v1 = entity("urn:a", 1);
    apply(TENANT, put(v1));
    AtomicReference<Optional<StoredEntity>> seenByReader = new AtomicReference<>();

    apply(TENANT, put(entity("urn:a", 2)), change("urn:b", current -> {
      seenByReader.set(store.get(TENANT, "urn:a")); // the put of urn:a above is not committed yet
      return Outcome.unchanged();
    }));

    assertThat(seenByReader.get()).contains(v1);
    assertThat(counter(store.get(TENANT, "urn:a").orElseThrow())).isEqualTo(2);
  }

  @Test
  void removeDeletesTheEntityAndRemoveOfAMissingOneIsANoOp() {
    apply(TENANT, put(entity("urn:a", 1, METER)), put(entity("urn:b", 2, SENSOR)));

    assertThat(apply(TENANT, remove("urn:a"), remove("urn:missing")))
        .containsExactly(Outcome.remove(), Outcome.remove());

    assertThat(store.get(TENANT, "urn:a")).isEmpty();
    assertThat(scanIds(TENANT, Selector.ALL)).containsExactly("urn:b");
    assertThat(scanIds(TENANT, Selector.ofTypes(Set.of(METER)))).isEmpty();
    assertThat(store.types(TENANT)).containsExactly(SENSOR);
  }

  @Test
  void aCallOfOneThousandChangesIsWrittenWhole() {
    List<EntityChange> puts = new ArrayList<>();
    List<EntityChange> increments = new ArrayList<>();
    List<EntityChange> removes = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      String id = "urn:ngsi-ld:Meter:%04d".formatted(i);
      puts.add(put(entity(id, i, i % 2 == 0 ? METER : SENSOR)));
      increments.add(increment(id));
      removes.add(remove(id));
    }

    assertThat(store.apply(TENANT, puts)).hasSize(1000).allMatch(Outcome.Put.class::isInstance);
    assertThat(store.apply(TENANT, increments)).hasSize(1000).allMatch(Outcome.Put.class::isInstance);

    List<StoredEntity> all = new ArrayList<>();
    store.scan(TENANT, Selector.ALL, all::add);
    assertThat(all).hasSize(1000);
    for (int i = 0; i < 1000; i++) {
      assertThat(counter(all.get(i))).isEqualTo(i + 1);
    }
    assertThat(scanIds(TENANT, Selector.ofTypes(Set.of(SENSOR)))).hasSize(500);

    store.apply(TENANT, removes);
    assertThat(scanIds(TENANT, Selector.ALL)).isEmpty();
    assertThat(store.types(TENANT)).isEmpty();
  }

  // ---- scan ---------------------------------------------------------------------------------

  @Test
  void scanVisitsEntitiesInAscendingCodePointOrderOfTheirIds() {
    // Case, digits, accents and a character outside the BMP: a locale collation, or Java's
    // UTF-16 String order, would sort some of these differently.
    List<String> ids = new ArrayList<>(List.of("urn:B", "urn:a", "urn:Z", "urn:\u00e9", "urn:e", "urn:10", "urn:9",
        "urn:\uFFFD", "urn:\uD83D\uDD11", "urn:a-b", "urn:a b", "urn:ab"));
    List<String> expected = ids.stream().sorted(EntityStoreContract::compareCodePoints).toList();
    Collections.shuffle(ids, new Random(7));
    for (String id : ids) {
      apply(TENANT, put(entity(id, 0)));
    }

    assertThat(scanIds(TENANT, Selector.ALL)).containsExactlyElementsOf(expected);
    assertThat(expected.subList(0, 4)).containsExactly("urn:10", "urn:9", "urn:B", "urn:Z");
  }

  @Test
  void scanByTypesVisitsEachMatchingEntityOnce() {
    apply(TENANT, put(entity("urn:a", 1, METER, SENSOR)), put(entity("urn:b", 2, SENSOR)),
        put(entity("urn:c", 3, GATEWAY)));

    assertThat(scanIds(TENANT, Selector.ofTypes(Set.of(METER, SENSOR)))).containsExactly("urn:a", "urn:b");
    assertThat(scanIds(TENANT, Selector.ofTypes(Set.of(SENSOR)))).containsExactly("urn:a", "urn:b");
    assertThat(scanIds(TENANT, Selector.ofTypes(Set.of(METER)))).containsExactly("urn:a");
    assertThat(scanIds(TENANT, Selector.ofTypes(Set.of(GATEWAY, METER)))).containsExactly("urn:a", "urn:c");
    assertThat(scanIds(TENANT, Selector.ofTypes(Set.of("https://example.org/None")))).isEmpty();
  }

  @Test
  void changingTypesUpdatesTheTypeIndex() {
    apply(TENANT, put(entity("urn:a", 1, METER, SENSOR)));

    apply(TENANT, put(entity("urn:a", 2, SENSOR, GATEWAY)));

    assertThat(scanIds(TENANT, Selector.ofTypes(Set.of(METER)))).isEmpty();
    assertThat(scanIds(TENANT, Selector.ofTypes(Set.of(SENSOR)))).containsExactly("urn:a");
    assertThat(scanIds(TENANT, Selector.ofTypes(Set.of(GATEWAY)))).containsExactly("urn:a");
    assertThat(store.types(TENANT)).containsExactlyInAnyOrder(SENSOR, GATEWAY);
    assertThat(store.get(TENANT, "urn:a").orElseThrow().types()).containsExactly(SENSOR, GATEWAY);

    apply(TENANT, put(entity("urn:a", 3, METER)));

    assertThat(store.types(TENANT)).containsExactly(METER);
    assertThat(scanIds(TENANT, Selector.ofTypes(Set.of(SENSOR, GATEWAY)))).isEmpty();
  }

  @Test
  void scanByIdsVisitsOnlyThoseThatExistInIdOrder() {
    apply(TENANT, put(entity("urn:a", 1)), put(entity("urn:b", 2)), put(entity("urn:c", 3)));

    assertThat(scanIds(TENANT, new Selector(Set.of("urn:c", "urn:missing", "urn:a"), Set.of())))
        .containsExactly("urn:a", "urn:c");
  }

  @Test
  void scanByIdsAndTypesVisitsEntitiesThatMatchBoth() {
    apply(TENANT, put(entity("urn:a", 1, METER)), put(entity("urn:b", 2, SENSOR)),
        put(entity("urn:c", 3, METER, SENSOR)));

    assertThat(scanIds(TENANT, new Selector(Set.of("urn:a", "urn:b", "urn:c"), Set.of(SENSOR))))
        .containsExactly("urn:b", "urn:c");
    assertThat(scanIds(TENANT, new Selector(Set.of("urn:a"), Set.of(SENSOR)))).isEmpty();
  }

  @Test
  void scanHintsNeverHideAnEntityThatSatisfiesThem() {
    apply(TENANT,
        put(entity("urn:a", "{\"https://e.org/town\": [{\"value\": \"Utrecht\"}], \"n\": 1}", METER)),
        put(entity("urn:b", "{\"https://e.org/town\": [{\"value\": \"Arnhem\"}], \"n\": 2}", METER)),
        put(entity("urn:c", "{\"n\": 3, \"note\": \"Utrecht\"}", SENSOR)));

    // Hints may let through more than they describe, never less; what they let through is exact
    // on ids and types, and every backend narrows on keys.
    assertThat(scanIds(TENANT, new Selector(Set.of(), Set.of(), Set.of(), Set.of("\"Utrecht\""))))
        .contains("urn:a", "urn:c");
    assertThat(scanIds(TENANT, new Selector(Set.of(), Set.of(), Set.of("https://e.org/town"), Set.of("\"Utrecht\""))))
        .contains("urn:a").doesNotContain("urn:c");
    assertThat(scanIds(TENANT, new Selector(Set.of(), Set.of(), Set.of("https://e.org/town"), Set.of())))
        .containsExactly("urn:a", "urn:b");
    assertThat(scanIds(TENANT, new Selector(Set.of(), Set.of(SENSOR), Set.of(), Set.of("\"Utrecht\""))))
        .containsExactly("urn:c");
    assertThat(scanIds(TENANT, new Selector(Set.of(), Set.of(), Set.of("https://e.org/none"), Set.of()))).isEmpty();
  }

  @Test
  void scanStopsWhenTheVisitorReturnsFalse() {
    for (int i = 0; i < 50; i++) {
      apply(TENANT, put(entity("urn:%02d".formatted(i), i)));
    }
    List<String> visited = new ArrayList<>();

    store.scan(TENANT, Selector.ALL, e -> {
      visited.add(e.id());
      return visited.size() < 3;
    });

    assertThat(visited).containsExactly("urn:00", "urn:01", "urn:02");
  }

  @Test
  void writesMayRunWhileAScanIsUnderWay() {
    for (int i = 0; i < 20; i++) {
      apply(TENANT, put(entity("urn:%02d".formatted(i), i)));
    }
    List<String> visited = new ArrayList<>();

    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> store.scan(TENANT, Selector.ALL, e -> {
      if (visited.isEmpty()) {
        apply(TENANT, put(entity("urn:99", 99)), increment("urn:00"), remove("urn:19"));
        assertThat(store.get(TENANT, "urn:99")).isPresent();
      }
      visited.add(e.id());
      return true;
    }));

    assertThat(visited).hasSizeBetween(19, 21).startsWith("urn:00", "urn:01");
    assertThat(counter(store.get(TENANT, "urn:00").orElseThrow())).isEqualTo(1);
  }

  @Test
  void visitorsOfManyConcurrentScansMayReadTheStore() throws Exception {
    for (int i = 0; i < 10; i++) {
      apply(TENANT, put(entity("urn:%02d".formatted(i), i, i % 2 == 0 ? METER : SENSOR)));
    }
    store.documents().put("contexts", "core", "{}");

    // More scans at once than a backend keeps read connections (SQLite: 4), each visitor reading:
    // reads that waited for a second connection would wait on each other for ever.
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> runConcurrently(6, t -> {
      List<String> seen = new ArrayList<>();
      store.scan(TENANT, Selector.ALL, e -> {
        assertThat(store.get(TENANT, e.id())).contains(e);
        assertThat(store.documents().get("contexts", "core")).isPresent();
        assertThat(store.tenantExists(TENANT)).isTrue();
        assertThat(store.types(TENANT)).hasSize(2);
        assertThat(scanIds(TENANT, Selector.ofTypes(Set.copyOf(e.types())))).hasSize(5).contains(e.id());
        seen.add(e.id());
        return true;
      });
      assertThat(seen).hasSize(10);
    }));
  }

  // ---- tenants and types ----------------------------------------------------------------------

  @Test
  void tenantsAreIsolated() {
    StoredEntity inAlpha = entity("urn:same", "{\"tenant\": \"alpha\"}", METER);
    StoredEntity inBeta = entity("urn:same", "{\"tenant\": \"beta\"}", SENSOR);
    apply(TENANT, put(inAlpha), put(entity("urn:only-alpha", 1, GATEWAY)));
    apply(OTHER_TENANT, put(inBeta));

    assertThat(store.get(TENANT, "urn:same")).contains(inAlpha);
    assertThat(store.get(OTHER_TENANT, "urn:same")).contains(inBeta);
    assertThat(store.get(OTHER_TENANT, "urn:only-alpha")).isEmpty();
    assertThat(scanIds(TENANT, Selector.ALL)).containsExactly("urn:only-alpha", "urn:same");
    assertThat(scanIds(OTHER_TENANT, Selector.ALL)).containsExactly("urn:same");
    assertThat(scanIds(OTHER_TENANT, Selector.ofTypes(Set.of(METER, GATEWAY)))).isEmpty();
    assertThat(store.types(TENANT)).containsExactlyInAnyOrder(METER, GATEWAY);
    assertThat(store.types(OTHER_TENANT)).containsExactly(SENSOR);

    apply(TENANT, remove("urn:same"));

    assertThat(store.get(OTHER_TENANT, "urn:same")).contains(inBeta);
    assertThat(store.types(OTHER_TENANT)).containsExactly(SENSOR);
  }

  @Test
  void anUnknownTenantHasNothing() {
    apply(TENANT, put(entity("urn:a", 1)));

    assertThat(store.get("nobody", "urn:a")).isEmpty();
    assertThat(scanIds("nobody", Selector.ALL)).isEmpty();
    assertThat(store.types("nobody")).isEmpty();
    assertThat(store.tenantExists("nobody")).isFalse();
  }

  @Test
  void aTenantExistsOnlyOnceSomethingWasWrittenToIt() {
    assertThat(store.tenantExists(TENANT)).isFalse();

    apply(TENANT, change("urn:a", current -> Outcome.unchanged()),
        change("urn:b", current -> Outcome.rejected(new IllegalArgumentException())), remove("urn:c"));
    assertThat(store.tenantExists(TENANT)).isFalse();

    apply(TENANT, put(entity("urn:a", 1)));
    assertThat(store.tenantExists(TENANT)).isTrue();
    assertThat(store.tenantExists(OTHER_TENANT)).isFalse();

    apply(TENANT, remove("urn:a"));
    assertThat(store.tenantExists(TENANT)).as("a tenant outlives its last entity").isTrue();
    reopen();
    assertThat(store.tenantExists(TENANT)).isTrue();
    assertThat(store.tenantExists(OTHER_TENANT)).isFalse();
  }

  @Test
  void typesAreThoseWithAtLeastOneEntity() {
    assertThat(store.types(TENANT)).isEmpty();
    apply(TENANT, put(entity("urn:a", 1, METER, SENSOR)), put(entity("urn:b", 2, SENSOR)));
    assertThat(store.types(TENANT)).containsExactlyInAnyOrder(METER, SENSOR);

    apply(TENANT, remove("urn:a"));
    assertThat(store.types(TENANT)).containsExactly(SENSOR);

    apply(TENANT, remove("urn:b"));
    assertThat(store.types(TENANT)).isEmpty();
  }

  // ---- concurrency ------------------------------------------------------------------------------

  @Test
  void threadsIncrementingOneEntityLoseNoUpdate() throws Exception {
    int threads = 8;
    int perThread = 25;
    runConcurrently(threads, t -> {
      for (int i = 0; i < perThread; i++) {
        assertThat(apply(TENANT, increment("urn:counter"))).singleElement().isInstanceOf(Outcome.Put.class);
      }
    });

    assertThat(counter(store.get(TENANT, "urn:counter").orElseThrow())).isEqualTo(threads * perThread);
  }

  @Test
  void callsTouchingTheSameEntitiesInOppositeOrdersLoseNoUpdate() throws Exception {
    int threads = 4;
    int perThread = 20;
    runConcurrently(threads, t -> {
      for (int i = 0; i < perThread; i++) {
        if (t % 2 == 0) {
          apply(TENANT, increment("urn:x"), increment("urn:y"));
        } else {
          apply(TENANT, increment("urn:y"), increment("urn:x"));
        }
      }
    });

    assertThat(counter(store.get(TENANT, "urn:x").orElseThrow())).isEqualTo(threads * perThread);
    assertThat(counter(store.get(TENANT, "urn:y").orElseThrow())).isEqualTo(threads * perThread);
  }

  // ---- durability and closing -------------------------------------------------------------------

  @Test
  void everythingWrittenIsThereAfterReopening() {
    StoredEntity a = entity("urn:a", 1, METER, SENSOR);
    StoredEntity b = entity("urn:b", 2, GATEWAY);
    apply(TENANT, put(a), put(b));
    apply(OTHER_TENANT, put(a));
    apply(TENANT, remove("urn:b"));
    store.documents().put("contexts", "core", "{\"@context\": {}}");

    reopen();

    assertThat(store.get(TENANT, "urn:a")).contains(a);
    assertThat(store.get(TENANT, "urn:b")).isEmpty();
    assertThat(store.get(OTHER_TENANT, "urn:a")).contains(a);
    assertThat(store.types(TENANT)).containsExactlyInAnyOrder(METER, SENSOR);
    assertThat(store.tenantExists(TENANT)).isTrue();
    assertThat(store.documents().get("contexts", "core")).contains("{\"@context\": {}}");
  }

  @Test
  void aClosedStoreRefusesWorkWithAStoreException() {
    apply(TENANT, put(entity("urn:a", 1)));
    store.close();
    store.close(); // closing twice is harmless

    assertThatThrownBy(() -> apply(TENANT, put(entity("urn:b", 1)))).isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> store.get(TENANT, "urn:a")).isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> store.scan(TENANT, Selector.ALL, e -> true)).isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> store.documents().put("c", "k", "{}")).isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> store.documents().get("c", "k")).isInstanceOf(StoreException.class);
  }

  @Test
  void describeSaysWhichBackend() {
    assertThat(store.describe()).isNotBlank().matches("^(sqlite|postgresql):.*");
  }

  // ---- documents --------------------------------------------------------------------------------

  @Test
  void aDocumentPutComesBackAndAPutReplacesIt() {
    DocumentStore docs = store.documents();
    assertThat(docs.get("contexts", "core")).isEmpty();

    docs.put("contexts", "core", "{\"v\": 1}");
    assertThat(docs.get("contexts", "core")).contains("{\"v\": 1}");

    docs.put("contexts", "core", "{ \"v\" : 2 }");
    assertThat(docs.get("contexts", "core")).contains("{ \"v\" : 2 }");
    assertThat(docs.get("other", "core")).isEmpty();
  }

  @Test
  void putIfAbsentWritesOnlyAFreeKey() {
    DocumentStore docs = store.documents();

    assertThat(docs.putIfAbsent("grants", "g1", "{\"first\": true}")).isTrue();
    assertThat(docs.putIfAbsent("grants", "g1", "{\"second\": true}")).isFalse();

    assertThat(docs.get("grants", "g1")).contains("{\"first\": true}");
  }

  @Test
  void listGivesACollectionsDocumentsInKeyOrder() {
    DocumentStore docs = store.documents();
    for (String key : List.of("b", "\u00e9", "a", "B", "10", "9")) {
      docs.put("keys", key, "{\"key\": \"" + key + "\"}");
    }
    docs.put("elsewhere", "a", "{}");

    assertThat(docs.list("keys")).extracting(DocumentStore.Document::key)
        .containsExactly("10", "9", "B", "a", "b", "\u00e9");
    assertThat(docs.list("keys").getFirst()).isEqualTo(new DocumentStore.Document("keys", "10", "{\"key\": \"10\"}"));
    assertThat(docs.list("empty")).isEmpty();
  }

  @Test
  void deleteRemovesADocumentAndSaysWhetherThereWasOne() {
    DocumentStore docs = store.documents();
    docs.put("c", "k", "{}");

    assertThat(docs.delete("c", "k")).isTrue();
    assertThat(docs.delete("c", "k")).isFalse();
    assertThat(docs.get("c", "k")).isEmpty();
    assertThat(docs.list("c")).isEmpty();
  }

  @Test
  void largeAndUnicodeDocumentBodiesComeBackExactly() {
    String unicode = "{\"name\": \"caf\u00e9 \u4e2d\u6587 \uD83D\uDD11\",  \"raw\" : \"\\u00e9\"}";
    String large = "{\"data\": \"" + "0123456789abcdef".repeat(65_536) + "\"}";
    store.documents().put("c", "unicode", unicode);
    store.documents().put("c", "large", large);

    reopen();

    assertThat(store.documents().get("c", "unicode")).contains(unicode);
    assertThat(store.documents().get("c", "large")).contains(large);
  }

  // ---- helpers ----------------------------------------------------------------------------------

  protected static StoredEntity entity(String id, String document, String... types) {
    return new StoredEntity(id, List.of(types), CREATED, MODIFIED, document);
  }

  /** An entity whose document is a counter {@code {"n": n}}. */
  protected static StoredEntity entity(String id, int n, String... types) {
    return entity(id, "{\"n\": " + n + "}", types.length == 0 ? new String[] {METER} : types);
  }

  protected static EntityChange put(StoredEntity entity) {
    return new EntityChange(entity.id(), current -> Outcome.put(entity));
  }

  protected static EntityChange remove(String id) {
    return new EntityChange(id, current -> Outcome.remove());
  }

  protected static EntityChange change(String id, Mutation mutation) {
    return new EntityChange(id, mutation);
  }

  /** Read-modify-write: adds one to the counter, creating it at 1, keeping types and createdAt. */
  protected static EntityChange increment(String id) {
    return new EntityChange(id, current -> {
      Instant now = Instant.now();
      return Outcome.put(current
          .map(e -> new StoredEntity(id, e.types(), e.createdAt(), now, "{\"n\": " + (counter(e) + 1) + "}"))
          .orElseGet(() -> new StoredEntity(id, List.of(METER), now, now, "{\"n\": 1}")));
    });
  }

  protected static int counter(StoredEntity e) {
    Object n = ((Map<?, ?>) Json.parse(e.document())).get("n");
    return ((BigDecimal) n).intValueExact();
  }

  protected final List<Outcome> apply(String tenant, EntityChange... changes) {
    return store.apply(tenant, List.of(changes));
  }

  protected final List<String> scanIds(String tenant, Selector selector) {
    List<String> ids = new ArrayList<>();
    store.scan(tenant, selector, e -> ids.add(e.id()));
    return ids;
  }

  private static int compareCodePoints(String a, String b) {
    return java.util.Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
  }

  @FunctionalInterface
  protected interface ThreadBody {
    void run(int thread) throws Exception;
  }

  /** Runs the body on that many threads, started together; rethrows the first failure. */
  protected static void runConcurrently(int threads, ThreadBody body) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          start.await();
          body.run(thread);
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}

package nl.sleutelbos.store.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import nl.sleutelbos.store.AttributeInstance;
import nl.sleutelbos.store.Derived;
import nl.sleutelbos.store.EntityChange;
import nl.sleutelbos.store.EntityStore;
import nl.sleutelbos.store.History;
import nl.sleutelbos.store.History.Span;
import nl.sleutelbos.store.History.TimeProperty;
import nl.sleutelbos.store.Outcome;
import nl.sleutelbos.store.StoredEntity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link History}, the same on every backend: a backend's test extends this class
 * and implements {@link #openStore()} (the first call in a test over empty storage, later calls
 * over the same storage).
 */
public abstract class HistoryContract {
  protected static final String TENANT = "alpha";
  protected static final String METER = "https://example.org/Meter";
  protected static final String SENSOR = "https://example.org/Sensor";
  protected static final String POWER = "https://example.org/power";
  protected static final String STATE = "https://example.org/state";
  protected static final String ID = "urn:ngsi-ld:Meter:001";
  protected static final Instant T0 = Instant.parse("2026-01-31T22:00:00Z");

  protected EntityStore store;

  protected abstract EntityStore openStore();

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

  private History history() {
    return store.history();
  }

  /** A numeric instance observed at T0 plus the given quarter hours. */
  protected static AttributeInstance reading(String entity, String attribute, int quarter, double value) {
    Instant at = T0.plus(Duration.ofMinutes(15L * quarter));
    return new AttributeInstance(entity, attribute, Optional.empty(), "urn:i:" + attribute.hashCode() + ":" + quarter,
        Optional.of(at), T0, at.plusSeconds(1), Optional.of(value), "{\"type\":\"Property\"}");
  }

  private static List<AttributeInstance> day(String entity, String attribute) {
    List<AttributeInstance> out = new ArrayList<>();
    for (int q = 0; q < 96; q++) {
      out.add(reading(entity, attribute, q, q));
    }
    return out;
  }

  private static Span observed(int fromQuarter, int untilQuarter) {
    return new Span(TimeProperty.OBSERVED_AT, Optional.of(T0.plus(Duration.ofMinutes(15L * fromQuarter))),
        Optional.of(T0.plus(Duration.ofMinutes(15L * untilQuarter))));
  }

  @Test
  void appendedInstancesComeBackInTimeOrderWithEveryField() {
    List<AttributeInstance> day = day(ID, POWER);
    List<AttributeInstance> shuffled = new ArrayList<>(day);
    java.util.Collections.reverse(shuffled);
    AttributeInstance text = new AttributeInstance(ID, STATE, Optional.of("urn:ds:1"), "urn:i:s", Optional.empty(),
        T0, T0.plusSeconds(5), Optional.empty(), "{\"type\":\"Property\",\"value\":\"on\"}");
    shuffled.add(text);

    assertThat(history().append(TENANT, ID, List.of(METER), shuffled)).isTrue();
    assertThat(history().append(TENANT, ID, List.of(METER), List.of(reading(ID, POWER, 96, 1)))).isFalse();

    List<AttributeInstance> read = history().read(TENANT, ID, Set.of(), Span.ALL, 1000, false);
    List<AttributeInstance> expected = new ArrayList<>(day);
    expected.add(reading(ID, POWER, 96, 1));
    expected.add(text);
    assertThat(read).containsExactlyElementsOf(expected);
    assertThat(history().subject(TENANT, ID)).contains(new History.Subject(ID, List.of(METER)));
    assertThat(history().subject("other", ID)).isEmpty();
  }

  @Test
  void aSpanBoundsTheTimePropertyItNames() {
    history().append(TENANT, ID, List.of(METER), day(ID, POWER));
    AttributeInstance unobserved = new AttributeInstance(ID, POWER, Optional.empty(), "urn:i:u", Optional.empty(),
        T0, T0.plus(Duration.ofMinutes(20)), Optional.of(7.0), "{}");
    history().append(TENANT, ID, List.of(METER), List.of(unobserved));

    assertThat(history().read(TENANT, ID, Set.of(POWER), observed(4, 8), 1000, false))
        .extracting(AttributeInstance::number).containsExactly(
            Optional.of(4.0), Optional.of(5.0), Optional.of(6.0), Optional.of(7.0));
    Span modified = new Span(TimeProperty.MODIFIED_AT, Optional.of(T0.plus(Duration.ofMinutes(20))),
        Optional.of(T0.plus(Duration.ofMinutes(21))));
    assertThat(history().read(TENANT, ID, Set.of(), modified, 1000, false)).containsExactly(unobserved);
    Span created = new Span(TimeProperty.CREATED_AT, Optional.of(T0.plusSeconds(1)), Optional.empty());
    assertThat(history().read(TENANT, ID, Set.of(), created, 1000, false)).isEmpty();
  }

  @Test
  void lastNReadsTheNewestInstancesOfEachAttribute() {
    history().append(TENANT, ID, List.of(METER), day(ID, POWER));
    history().append(TENANT, ID, List.of(METER), day(ID, STATE));

    List<AttributeInstance> last = history().read(TENANT, ID, Set.of(), Span.ALL, 2, true);

    assertThat(last).extracting(i -> i.attribute() + "@" + i.number().orElseThrow())
        .containsExactly(POWER + "@95.0", POWER + "@94.0", STATE + "@95.0", STATE + "@94.0");
    assertThat(history().read(TENANT, ID, Set.of("https://example.org/none"), Span.ALL, 2, true)).isEmpty();
  }

  @Test
  void summariesCountSumAndBoundEachPeriod() {
    history().append(TENANT, ID, List.of(METER), day(ID, POWER));

    List<History.Bucket> hours = history().summarize(TENANT, ID, POWER, observed(0, 96), Duration.ofHours(1), true);

    assertThat(hours).hasSize(24);
    History.Bucket third = hours.get(2);
    assertThat(third.start()).isEqualTo(T0.plus(Duration.ofHours(2)));
    assertThat(third.count()).isEqualTo(4);
    assertThat(third.numbers()).isEqualTo(4);
    assertThat(third.sum()).isEqualTo(8 + 9 + 10 + 11);
    assertThat(third.sumsq()).isEqualTo(64 + 81 + 100 + 121, within(1e-9));
    assertThat(third.min()).isEqualTo(8);
    assertThat(third.max()).isEqualTo(11);
    assertThat(third.distinct()).isEqualTo(4);
    assertThat(history().summarize(TENANT, ID, POWER, observed(2, 5), Duration.ofHours(1), false))
        .extracting(History.Bucket::count, History.Bucket::distinct)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(3L, -1L));
  }

  @Test
  void instancesAcrossMonthsAndYearsAreKept() {
    List<AttributeInstance> spread = new ArrayList<>();
    for (int month = 0; month < 14; month++) {
      spread.add(reading(ID, POWER, month * 96 * 31, month));
    }
    history().append(TENANT, ID, List.of(METER), spread);

    assertThat(history().read(TENANT, ID, Set.of(POWER), Span.ALL, 100, false)).containsExactlyElementsOf(spread);
  }

  @Test
  void oneInstanceCanBeReplacedOrDeleted() {
    history().append(TENANT, ID, List.of(METER), day(ID, POWER).subList(0, 3));
    AttributeInstance second = reading(ID, POWER, 1, 1);
    AttributeInstance fixed = new AttributeInstance(ID, POWER, Optional.empty(), "ignored", second.observedAt(),
        T0, T0.plusSeconds(99), Optional.of(42.0), "{\"type\":\"Property\"}");

    assertThat(history().replace(TENANT, ID, POWER, second.instanceId(), fixed)).isTrue();
    assertThat(history().replace(TENANT, ID, POWER, "urn:i:none", fixed)).isFalse();
    assertThat(history().read(TENANT, ID, Set.of(), Span.ALL, 10, false).get(1))
        .extracting(AttributeInstance::instanceId, AttributeInstance::number)
        .containsExactly(second.instanceId(), Optional.of(42.0));

    assertThat(history().deleteInstance(TENANT, ID, POWER, second.instanceId())).isTrue();
    assertThat(history().deleteInstance(TENANT, ID, POWER, second.instanceId())).isFalse();
    assertThat(history().read(TENANT, ID, Set.of(), Span.ALL, 10, false)).hasSize(2);
  }

  @Test
  void attributesAreDeletedByDatasetIdOrWhole() {
    AttributeInstance plain = reading(ID, POWER, 0, 1);
    AttributeInstance dataset = new AttributeInstance(ID, POWER, Optional.of("urn:ds:b"), "urn:i:b",
        plain.observedAt(), T0, T0, Optional.of(2.0), "{}");
    history().append(TENANT, ID, List.of(METER), List.of(plain, dataset, reading(ID, STATE, 0, 3)));

    assertThat(history().deleteAttribute(TENANT, ID, POWER, Optional.of("urn:ds:b"), false)).isEqualTo(1);
    assertThat(history().read(TENANT, ID, Set.of(POWER), Span.ALL, 10, false)).containsExactly(plain);
    assertThat(history().deleteAttribute(TENANT, ID, POWER, Optional.empty(), true)).isEqualTo(1);
    assertThat(history().read(TENANT, ID, Set.of(), Span.ALL, 10, false)).extracting(AttributeInstance::attribute)
        .containsExactly(STATE);

    assertThat(history().deleteEntity(TENANT, ID)).isTrue();
    assertThat(history().deleteEntity(TENANT, ID)).isFalse();
    assertThat(history().subject(TENANT, ID)).isEmpty();
    assertThat(history().read(TENANT, ID, Set.of(), Span.ALL, 10, false)).isEmpty();
  }

  @Test
  void subjectsAreListedByIdAndTypeAPageAtATime() {
    for (int i = 5; i >= 1; i--) {
      String id = "urn:ngsi-ld:Meter:00" + i;
      history().append(TENANT, id, i % 2 == 0 ? List.of(SENSOR) : List.of(METER), List.of(reading(id, POWER, 0, i)));
    }
    history().append("other", "urn:x", List.of(METER), List.of(reading("urn:x", POWER, 0, 0)));

    assertThat(history().subjects(TENANT, Set.of(), Set.of(METER), Optional.empty(), 10))
        .extracting(History.Subject::id)
        .containsExactly("urn:ngsi-ld:Meter:001", "urn:ngsi-ld:Meter:003", "urn:ngsi-ld:Meter:005");
    assertThat(history().subjects(TENANT, Set.of(), Set.of(), Optional.of("urn:ngsi-ld:Meter:002"), 2))
        .extracting(History.Subject::id).containsExactly("urn:ngsi-ld:Meter:003", "urn:ngsi-ld:Meter:004");
    assertThat(history().subjects(TENANT, Set.of("urn:ngsi-ld:Meter:002", "urn:x"), Set.of(), Optional.empty(), 9))
        .extracting(History.Subject::id).containsExactly("urn:ngsi-ld:Meter:002");

    history().append(TENANT, "urn:ngsi-ld:Meter:002", List.of(METER), List.of(reading("urn:ngsi-ld:Meter:002", POWER, 1, 0)));
    assertThat(history().subjects(TENANT, Set.of(), Set.of(SENSOR), Optional.empty(), 10))
        .extracting(History.Subject::id).containsExactly("urn:ngsi-ld:Meter:004");
  }

  @Test
  void expiryDeletesOldInstancesOfOneTypeInBatches() {
    history().append(TENANT, ID, List.of(METER), day(ID, POWER));
    history().append(TENANT, ID, List.of(METER), day(ID, STATE));
    history().append(TENANT, "urn:sensor", List.of(SENSOR), day("urn:sensor", POWER));
    Instant cutoff = T0.plus(Duration.ofMinutes(15 * 50));

    int first = history().expire(TENANT, METER, Optional.of(POWER), cutoff, 30);
    int second = history().expire(TENANT, METER, Optional.of(POWER), cutoff, 30);
    int third = history().expire(TENANT, METER, Optional.of(POWER), cutoff, 30);

    assertThat(List.of(first, second, third)).containsExactly(30, 20, 0);
    assertThat(history().read(TENANT, ID, Set.of(POWER), Span.ALL, 1000, false)).hasSize(46)
        .allMatch(i -> !i.observedAt().orElseThrow().isBefore(cutoff));
    assertThat(history().read(TENANT, ID, Set.of(STATE), Span.ALL, 1000, false)).hasSize(96);
    assertThat(history().read(TENANT, "urn:sensor", Set.of(), Span.ALL, 1000, false)).hasSize(96);
    assertThat(history().expire(TENANT, METER, Optional.empty(), cutoff, 1000)).isEqualTo(50);
  }

  @Test
  void anEntityWriteKeepsItsDerivedHistoryInTheSameTransaction() {
    StoredEntity meter = new StoredEntity(ID, List.of(METER), T0, T0, "{}");
    AttributeInstance kept = reading(ID, POWER, 0, 1);
    AttributeInstance refused = reading("urn:refused", POWER, 0, 2);

    List<Outcome> outcomes = store.apply(TENANT, List.of(
        new EntityChange(ID, current -> new Outcome.Put(meter, Derived.NONE.withHistory(List.of(kept)))),
        new EntityChange("urn:refused", current -> Outcome.rejected(new IllegalArgumentException("no")))));

    assertThat(outcomes.get(0)).isInstanceOf(Outcome.Put.class);
    assertThat(history().read(TENANT, ID, Set.of(), Span.ALL, 10, false)).containsExactly(kept);
    assertThat(history().subject(TENANT, "urn:refused")).isEmpty();
    assertThat(refused.entityId()).isEqualTo("urn:refused");
  }

  @Test
  void historySurvivesReopening() {
    history().append(TENANT, ID, List.of(METER), day(ID, POWER));
    store.close();
    store = openStore();
    assertThat(history().read(TENANT, ID, Set.of(), Span.ALL, 1000, false)).hasSize(96);
  }
}

package nl.sleutelbos.ngsild.temporal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import nl.sleutelbos.ngsild.ErrorType;
import nl.sleutelbos.ngsild.NgsiLdException;
import nl.sleutelbos.store.History;

/**
 * A granularity cap: every span it lets run starts and ends on the cap's grid, inside the span
 * asked and not after now, and every period it lets through is a whole multiple of the cap.
 */
class GranularityCapProperties {
  private static final GranularityCap DAILY = new GranularityCap(Duration.ofDays(1));
  private static final Instant NOW = Instant.parse("2026-06-15T10:17:00Z");

  private static TemporalRequest aggregated(Optional<Instant> from, Optional<Instant> until, String period) {
    return aggregated(from, until, AggregationPeriod.parse("aggrPeriodDuration", period));
  }

  private static TemporalRequest aggregated(Optional<Instant> from, Optional<Instant> until, AggregationPeriod period) {
    return new TemporalRequest(new TemporalQuery(new History.Span(History.TimeProperty.OBSERVED_AT, from, until),
        OptionalInt.empty()), Set.of(), Representation.AGGREGATED, Set.of(AggregationMethod.SUM),
        Optional.of(period), false);
  }

  @Property(tries = 1000)
  void theSpanIsNarrowedInwardsToWholeFinishedGridPeriods(
      @ForAll @LongRange(min = 0, max = 1_700_000_000L) long fromSecond, @ForAll @IntRange(min = 1, max = 50_000_000) int length,
      @ForAll @IntRange(min = 1, max = 96) int capQuarters) {
    GranularityCap cap = new GranularityCap(Duration.ofMinutes(15L * capQuarters));
    Instant from = Instant.ofEpochSecond(fromSecond);
    Instant until = from.plusSeconds(length);
    History.Span span = cap.enforce(aggregated(Optional.of(from), Optional.of(until),
        new AggregationPeriod(java.time.Period.ZERO, cap.coarsest().multipliedBy(10))), NOW).when().span();
    Instant a = span.from().orElseThrow();
    Instant b = span.until().orElseThrow();
    long grid = cap.coarsest().toSeconds();
    assertThat(a.getEpochSecond() % grid).isZero();
    assertThat(b.getEpochSecond() % grid).isZero();
    assertThat(a).isAfterOrEqualTo(from);
    assertThat(b).isAfterOrEqualTo(a);
    if (b.isAfter(a)) { // otherwise the span is empty: no whole period fits
      assertThat(b).isBeforeOrEqualTo(until.isBefore(NOW) ? until : NOW);
    }
  }

  @Example
  void anOpenSpanRunsFromTheEpochToTheLastFinishedDay() {
    History.Span span = DAILY.enforce(aggregated(Optional.empty(), Optional.empty(), "P1D"), NOW).when().span();
    assertThat(span.from()).contains(Instant.EPOCH);
    assertThat(span.until()).contains(Instant.parse("2026-06-15T00:00:00Z"));
  }

  @Example
  void onlyWholeMultiplesOfTheCapAreAllowed() {
    for (String ok : new String[] {"P1D", "P2D", "P1W", "P1M", "P1Y", "P1MT48H"}) {
      assertThat(DAILY.allows(AggregationPeriod.parse("p", ok))).as(ok).isTrue();
    }
    for (String no : new String[] {"PT15M", "PT23H", "PT36H", "P1DT1H", "P1MT1H"}) {
      assertThat(DAILY.allows(AggregationPeriod.parse("p", no))).as(no).isFalse();
    }
    // A cap that does not divide a day cannot put months on its grid.
    assertThat(new GranularityCap(Duration.ofHours(7)).allows(AggregationPeriod.parse("p", "P1M"))).isFalse();
  }

  @Example
  void instancesAndWholeSpanAggregatesAreForbidden() {
    TemporalRequest raw = new TemporalRequest(TemporalQuery.ALL, Set.of(), Representation.NORMALIZED, Set.of(),
        Optional.empty(), false);
    TemporalRequest whole = new TemporalRequest(TemporalQuery.ALL, Set.of(), Representation.AGGREGATED,
        Set.of(AggregationMethod.SUM), Optional.empty(), false);
    for (TemporalRequest r : new TemporalRequest[] {raw, whole}) {
      assertThatThrownBy(() -> DAILY.enforce(r, NOW)).isInstanceOfSatisfying(NgsiLdException.class,
          e -> assertThat(e.type()).isEqualTo(ErrorType.FORBIDDEN)).hasMessageContaining("P1D");
    }
  }
}

package nl.sleutelbos.ngsild.temporal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import nl.sleutelbos.ngsild.ErrorType;
import nl.sleutelbos.ngsild.NgsiLdException;

/** aggrPeriodDuration: what parses, what it means, and that nothing else gets through. */
class AggregationPeriodProperties {

  @Property(tries = 1000)
  void everyWrittenDurationMeansItsParts(@ForAll @IntRange(max = 30) int years, @ForAll @IntRange(max = 30) int months,
      @ForAll @IntRange(max = 10) int weeks, @ForAll @IntRange(max = 400) int days,
      @ForAll @IntRange(max = 48) int hours, @ForAll @IntRange(max = 120) int minutes,
      @ForAll @IntRange(max = 7200) int seconds, @ForAll @IntRange(max = 999_999) int micros) {
    Assume.that(years + months + weeks + days + hours + minutes + seconds + micros > 0);
    StringBuilder text = new StringBuilder("P");
    if (years > 0) text.append(years).append('Y');
    if (months > 0) text.append(months).append('M');
    if (weeks > 0) text.append(weeks).append('W');
    if (days > 0) text.append(days).append('D');
    if (hours + minutes + seconds + micros > 0) {
      text.append('T');
      if (hours > 0) text.append(hours).append('H');
      if (minutes > 0) text.append(minutes).append('M');
      if (seconds + micros > 0) text.append(seconds).append('.').append(String.format("%06d", micros)).append('S');
    }
    Instant start = Instant.parse("2024-01-31T10:00:00Z");

    AggregationPeriod p = AggregationPeriod.parse("aggrPeriodDuration", text.toString());

    Instant expected = start.atZone(ZoneOffset.UTC).plus(Period.of(years, months, 0)).toInstant()
        .plus(Duration.ofDays(7L * weeks + days).plusHours(hours).plusMinutes(minutes).plusSeconds(seconds)
            .plusNanos(micros * 1000L));
    assertThat(p.after(start)).as(text.toString()).isEqualTo(expected);
    assertThat(p.isFixed()).isEqualTo(years + months == 0);
    assertThat(AggregationPeriod.parse("x", p.toString())).as(p.toString()).isEqualTo(p);
  }

  @Provide
  Arbitrary<String> durationLike() {
    return Arbitraries.strings().withChars("PYMWDTHS0123456789.,-+ ").ofMaxLength(16);
  }

  @Property(tries = 3000)
  void anythingElseIsRefusedAsBadRequestData(@ForAll("durationLike") String text) {
    try {
      AggregationPeriod p = AggregationPeriod.parse("aggrPeriodDuration", text);
      assertThat(p.after(Instant.EPOCH)).isAfter(Instant.EPOCH);
    } catch (NgsiLdException e) {
      assertThat(e.type()).isEqualTo(ErrorType.BAD_REQUEST_DATA);
      assertThat(e.getMessage()).contains("aggrPeriodDuration");
    }
  }

  @Example
  void monthsFollowTheCalendar() {
    AggregationPeriod month = AggregationPeriod.parse("p", "P1M");
    assertThat(month.after(Instant.parse("2026-01-31T00:00:00Z"))).isEqualTo(Instant.parse("2026-02-28T00:00:00Z"));
    assertThat(month.before(Instant.parse("2026-03-31T00:00:00Z"))).isEqualTo(Instant.parse("2026-02-28T00:00:00Z"));
    assertThat(AggregationPeriod.parse("p", "P24M").toString()).isEqualTo("P2Y");
    assertThat(AggregationPeriod.parse("p", "PT15M").clock()).isEqualTo(Duration.ofMinutes(15));
    assertThatThrownBy(() -> AggregationPeriod.parse("p", "PT0S")).isInstanceOf(NgsiLdException.class);
    assertThatThrownBy(() -> AggregationPeriod.parse("p", "P1DT")).isInstanceOf(NgsiLdException.class);
  }
}

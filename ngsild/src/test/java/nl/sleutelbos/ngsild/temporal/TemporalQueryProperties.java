package nl.sleutelbos.ngsild.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import nl.sleutelbos.ngsild.ErrorType;
import nl.sleutelbos.ngsild.NgsiLdException;
import nl.sleutelbos.store.History;

/** The temporal query parameters: every combination is a span or BadRequestData, never anything else. */
class TemporalQueryProperties {

  @Provide
  Arbitrary<Optional<String>> parameter() {
    return Arbitraries.oneOf(
        Arbitraries.of("before", "after", "between", "during", "observedAt", "modifiedAt", "createdAt", "seenAt",
            "2026-03-01T00:00:00Z", "2026-03-02T00:00:00+01:00", "2026-03-01", "0", "5", "-1", "x", ""),
        Arbitraries.strings().ofMaxLength(24)).optional();
  }

  @Property(tries = 3000)
  void everyCombinationIsAQueryOrBadRequestData(@ForAll("parameter") Optional<String> timerel,
      @ForAll("parameter") Optional<String> timeAt, @ForAll("parameter") Optional<String> endTimeAt,
      @ForAll("parameter") Optional<String> timeproperty, @ForAll("parameter") Optional<String> lastN) {
    try {
      TemporalQuery q = TemporalQuery.parse(timerel, timeAt, endTimeAt, timeproperty, lastN);
      History.Span s = q.span();
      if (s.from().isPresent() && s.until().isPresent()) {
        assertThat(s.until().get()).isAfter(s.from().get());
      }
      assertThat(timerel.isPresent()).isEqualTo(s.from().isPresent() || s.until().isPresent());
    } catch (NgsiLdException e) {
      assertThat(e.type()).isEqualTo(ErrorType.BAD_REQUEST_DATA);
    }
  }

  @Property(tries = 500)
  void betweenIsHalfOpenFromTimeAtToEndTimeAt(@ForAll @LongRange(min = 0, max = 4_000_000_000L) long start,
      @ForAll @LongRange(min = 1, max = 1_000_000_000L) long length) {
    Instant from = Instant.ofEpochSecond(start);
    Instant until = from.plusSeconds(length);
    TemporalQuery q = TemporalQuery.parse(Optional.of("between"), Optional.of(from.toString()),
        Optional.of(until.toString()), Optional.of("modifiedAt"), Optional.empty());
    assertThat(q.span()).isEqualTo(new History.Span(History.TimeProperty.MODIFIED_AT, Optional.of(from),
        Optional.of(until)));
  }
}

package nl.sleutelbos.ngsild.temporal;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.OptionalInt;
import nl.sleutelbos.ngsild.NgsiLdException;
import nl.sleutelbos.store.History;
import nl.sleutelbos.store.History.TimeProperty;

/**
 * The temporal part of a temporal query (clause 4.11, the TemporalQuery data type of clause
 * 5.2.21): {@code timerel}, {@code timeAt}, {@code endTimeAt}, {@code timeproperty} and
 * {@code lastN}, checked together and turned into a {@link History.Span}.
 *
 * <p>{@code before} admits times strictly before timeAt, {@code after} strictly after it, and
 * {@code between} from timeAt (inclusive) to endTimeAt (exclusive). Without timerel every
 * instance is admitted.
 *
 * @param span the times admitted
 * @param lastN when given, only the newest n instances of each attribute
 */
public record TemporalQuery(History.Span span, OptionalInt lastN) {
  /** The most instances lastN may ask for. */
  public static final int MAX_LAST_N = 100_000;

  public TemporalQuery {
    requireNonNull(span, "span is null");
    requireNonNull(lastN, "lastN is null");
  }

  public static final TemporalQuery ALL = new TemporalQuery(History.Span.ALL, OptionalInt.empty());

  /** Parses the parameters as a client gave them; refuses any bad or inconsistent one with BadRequestData. */
  public static TemporalQuery parse(Optional<String> timerel, Optional<String> timeAt, Optional<String> endTimeAt,
      Optional<String> timeproperty, Optional<String> lastN) {
    TimeProperty property = timeproperty.map(TemporalQuery::property).orElse(TimeProperty.OBSERVED_AT);
    OptionalInt n = lastN.map(TemporalQuery::lastN).orElse(OptionalInt.empty());
    if (timerel.isEmpty()) {
      if (timeAt.isPresent() || endTimeAt.isPresent()) {
        throw NgsiLdException.badRequest("timeAt and endTimeAt need timerel (before, after or between)");
      }
      return new TemporalQuery(History.Span.all(property), n);
    }
    Instant at = time("timeAt", timeAt.orElseThrow(() ->
        NgsiLdException.badRequest("timerel=" + timerel.get() + " needs timeAt")));
    History.Span span = switch (timerel.get()) {
      case "before" -> {
        noEnd(endTimeAt, "before");
        yield new History.Span(property, Optional.empty(), Optional.of(at));
      }
      case "after" -> {
        noEnd(endTimeAt, "after");
        yield new History.Span(property, Optional.of(at.plus(1, ChronoUnit.MICROS)), Optional.empty());
      }
      case "between" -> {
        Instant end = time("endTimeAt", endTimeAt.orElseThrow(() ->
            NgsiLdException.badRequest("timerel=between needs endTimeAt")));
        if (!end.isAfter(at)) {
          throw NgsiLdException.badRequest("endTimeAt " + end + " must be after timeAt " + at);
        }
        yield new History.Span(property, Optional.of(at), Optional.of(end));
      }
      default -> throw NgsiLdException.badRequest("unknown timerel '" + timerel.get()
          + "'; allowed: before, after, between");
    };
    return new TemporalQuery(span, n);
  }

  private static void noEnd(Optional<String> endTimeAt, String timerel) {
    if (endTimeAt.isPresent()) {
      throw NgsiLdException.badRequest("endTimeAt is only allowed with timerel=between, not " + timerel);
    }
  }

  private static TimeProperty property(String text) {
    return switch (text) {
      case "observedAt" -> TimeProperty.OBSERVED_AT;
      case "createdAt" -> TimeProperty.CREATED_AT;
      case "modifiedAt" -> TimeProperty.MODIFIED_AT;
      default -> throw NgsiLdException.badRequest("unknown timeproperty '" + text
          + "'; allowed: observedAt, createdAt, modifiedAt");
    };
  }

  private static OptionalInt lastN(String text) {
    try {
      int n = Integer.parseInt(text.strip());
      if (n < 1 || n > MAX_LAST_N) {
        throw NgsiLdException.badRequest("lastN must be between 1 and " + MAX_LAST_N + ", got " + n);
      }
      return OptionalInt.of(n);
    } catch (NumberFormatException e) {
      throw NgsiLdException.badRequest("lastN must be a positive integer, got '" + text + "'");
    }
  }

  /** A DateTime of clause 4.6.3: ISO 8601 with a zone (Z or an offset). */
  static Instant time(String name, String text) {
    try {
      Instant t = OffsetDateTime.parse(text.strip()).toInstant();
      if (t.isBefore(Instant.parse("0001-01-01T00:00:00Z")) || t.isAfter(Instant.parse("9999-12-31T23:59:59.999999Z"))) {
        throw NgsiLdException.badRequest(name + " '" + text + "' is outside the years 1 to 9999");
      }
      return t;
    } catch (DateTimeParseException e) {
      throw NgsiLdException.badRequest(name + " '" + text + "' is not an ISO 8601 date-time with a zone, "
          + "for example 2026-01-01T00:00:00Z");
    }
  }
}

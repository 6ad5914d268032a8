package nl.sleutelbos.ngsild.temporal;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import nl.sleutelbos.ngsild.ErrorType;
import nl.sleutelbos.ngsild.NgsiLdException;
import nl.sleutelbos.store.AttributeInstance;
import nl.sleutelbos.store.History;

/**
 * Cuts an attribute's history into aggregation periods and summarises each in the store
 * ({@link History#summarize}), so that a year of quarter-hour readings never travels to Java
 * row by row. Periods start at the span's start (timeAt), or at the first instance when the span
 * is open there, and the last period ends at the span's end. Fixed periods are summarised in one
 * pass; calendar periods (months, years) one period at a time.
 */
final class Aggregator {
  /** The most calendar periods one request may cut: 100 years of months. */
  static final int MAX_CALENDAR_PERIODS = 1_200;

  private final History history;

  Aggregator(History history) {
    this.history = history;
  }

  List<Aggregate> aggregate(String tenant, String entityId, String attribute, History.Span span,
      Optional<AggregationPeriod> period, boolean distinct) {
    Optional<Instant> from = span.from().or(() -> edge(tenant, entityId, attribute, span, false));
    Optional<Instant> until = span.until().or(() ->
        edge(tenant, entityId, attribute, span, true).map(t -> t.plus(1, ChronoUnit.MICROS)));
    if (from.isEmpty() || until.isEmpty() || !until.get().isAfter(from.get())) {
      return List.of();
    }
    History.Span bounded = new History.Span(span.property(), from, until);
    Duration whole = Duration.between(from.get(), until.get());
    if (period.isEmpty() || period.get().isFixed()) {
      Duration length = period.map(AggregationPeriod::clock).filter(p -> p.compareTo(whole) < 0).orElse(whole);
      List<Aggregate> out = new ArrayList<>();
      for (History.Bucket b : history.summarize(tenant, entityId, attribute, bounded, length, distinct)) {
        Instant end = b.start().plus(length);
        out.add(new Aggregate(b.start(), end.isAfter(until.get()) ? until.get() : end, b));
      }
      return out;
    }
    List<Aggregate> out = new ArrayList<>();
    Instant start = from.get();
    for (int n = 0; start.isBefore(until.get()); n++) {
      if (n == MAX_CALENDAR_PERIODS) {
        throw new NgsiLdException(ErrorType.TOO_MANY_RESULTS, "more than " + MAX_CALENDAR_PERIODS
            + " aggregation periods of " + period.get() + "; narrow timeAt/endTimeAt or choose a longer period");
      }
      Instant end = period.get().after(start);
      if (end.isAfter(until.get())) {
        end = until.get();
      }
      History.Span one = new History.Span(span.property(), Optional.of(start), Optional.of(end));
      for (History.Bucket b : history.summarize(tenant, entityId, attribute, one, Duration.between(start, end), distinct)) {
        out.add(new Aggregate(start, end, b));
      }
      start = end;
    }
    return out;
  }

  /** The time of the first or the last instance of the attribute in the span, on the span's property. */
  private Optional<Instant> edge(String tenant, String entityId, String attribute, History.Span span, boolean last) {
    List<AttributeInstance> one = history.read(tenant, entityId, Set.of(attribute), span, 1, last);
    return one.stream().findFirst().map(i -> TemporalService.timeOf(i, span.property()));
  }
}

package nl.sleutelbos.ngsild.temporal;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import nl.sleutelbos.ngsild.ErrorType;
import nl.sleutelbos.ngsild.NgsiLdException;
import nl.sleutelbos.store.History;

/**
 * The finest granularity a subject may see of a history (a consent's {@code P1D}), applied to a
 * temporal read before it runs.
 *
 * <p>A capped read is answered only as {@code aggregatedValues} whose periods are whole multiples
 * of the cap, on a grid of the cap counted from the epoch (for {@code P1D}: UTC days), and only
 * for periods that are over: the span is narrowed inwards to the grid and ends no later than now.
 * Anything else is refused with 403 rather than answered in another form than asked, so a client
 * never mistakes a daily sum for what it asked. The grid and the "periods that are over" rule
 * matter: periods that start anywhere, or a sum of today that grows while the client watches,
 * would give a quarter-hour value away as the difference of two permitted answers.
 *
 * @param coarsest the finest period an answer may have
 */
public record GranularityCap(Duration coarsest) {
  private static final Duration DAY = Duration.ofDays(1);

  public GranularityCap {
    requireNonNull(coarsest, "coarsest is null");
    if (coarsest.isNegative() || coarsest.isZero() || coarsest.toNanos() % 1_000 != 0) {
      throw new IllegalArgumentException("a granularity cap must be a positive whole number of microseconds: "
          + coarsest);
    }
  }

  /**
   * The request as it may run under this cap.
   *
   * @param now the current time: no period that ends after it is answered
   * @throws NgsiLdException Forbidden when the request asks for instances or finer periods
   */
  public TemporalRequest enforce(TemporalRequest request, Instant now) {
    if (request.representation() != Representation.AGGREGATED) {
      throw refuse("instances are not permitted");
    }
    AggregationPeriod period = request.period().orElseThrow(() -> refuse("an aggregation over the whole span is not"
        + " permitted"));
    if (!allows(period)) {
      throw refuse("aggrPeriodDuration " + period + " is not permitted");
    }
    History.Span span = request.when().span();
    Instant from = ceil(span.from().orElse(Instant.EPOCH));
    Instant until = floor(span.until().filter(u -> u.isBefore(now)).orElse(now));
    if (until.isBefore(from)) {
      until = from; // an empty span: nothing is over yet
    }
    TemporalQuery when = new TemporalQuery(new History.Span(span.property(), Optional.of(from), Optional.of(until)),
        request.when().lastN());
    return new TemporalRequest(when, request.attrs(), request.representation(), request.methods(), request.period(),
        request.sysAttrs());
  }

  /** Whether every period of this length starts and ends on the cap's grid. */
  boolean allows(AggregationPeriod period) {
    if (period.isFixed()) {
      return multipleOfCap(period.clock());
    }
    // Months and years start at midnight UTC: on the grid when the cap divides a day.
    return DAY.toNanos() % coarsest.toNanos() == 0 && (period.clock().isZero() || multipleOfCap(period.clock()));
  }

  private boolean multipleOfCap(Duration length) {
    return length.compareTo(coarsest) >= 0 && length.toNanos() % coarsest.toNanos() == 0;
  }

  private Instant floor(Instant t) {
    long micros = micros(t);
    long cap = coarsest.toNanos() / 1_000;
    return Instant.EPOCH.plus(Math.floorDiv(micros, cap) * cap, java.time.temporal.ChronoUnit.MICROS);
  }

  private Instant ceil(Instant t) {
    Instant down = floor(t);
    return down.equals(t) ? t : down.plus(coarsest);
  }

  private static long micros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
  }

  private NgsiLdException refuse(String what) {
    return new NgsiLdException(ErrorType.FORBIDDEN, what + " under a granularity cap of " + coarsest
        + "; ask options=aggregatedValues with an aggrPeriodDuration that is a whole multiple of it"
        + " (for example " + new AggregationPeriod(java.time.Period.ZERO, coarsest) + ")");
  }
}

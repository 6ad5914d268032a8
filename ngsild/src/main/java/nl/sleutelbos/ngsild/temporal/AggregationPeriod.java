package nl.sleutelbos.ngsild.temporal;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import nl.sleutelbos.ngsild.NgsiLdException;

/**
 * An ISO 8601 duration as {@code aggrPeriodDuration} (clause 4.5.19) and retention ages use it:
 * {@code PnYnMnWnDTnHnMnS}, each part optional but at least one present, seconds may have a
 * fraction. Years and months are calendar periods (P1M from 31 January ends on the last day of
 * February); weeks, days and the time part are fixed lengths, days of 24 hours (times are UTC).
 *
 * @param calendar the years and months
 * @param clock the weeks, days, hours, minutes and seconds
 */
public record AggregationPeriod(Period calendar, Duration clock) {
  private static final Pattern ISO = Pattern.compile(
      "P(?:(\\d{1,6})Y)?(?:(\\d{1,6})M)?(?:(\\d{1,6})W)?(?:(\\d{1,6})D)?"
          + "(?:T(?:(\\d{1,8})H)?(?:(\\d{1,10})M)?(?:(\\d{1,9}(?:[.,]\\d{1,6})?)S)?)?");

  public AggregationPeriod {
    requireNonNull(calendar, "calendar is null");
    requireNonNull(clock, "clock is null");
    if (calendar.isNegative() || clock.isNegative() || (calendar.isZero() && clock.isZero())) {
      throw new IllegalArgumentException("period must be positive: " + calendar + " " + clock);
    }
  }

  /** Parses the text, refusing anything that is not a positive ISO 8601 duration with BadRequestData. */
  public static AggregationPeriod parse(String name, String text) {
    Matcher m = ISO.matcher(text);
    if (text.length() > 64 || !m.matches() || text.endsWith("T") || text.equals("P")) {
      throw NgsiLdException.badRequest(name + " '" + abbreviate(text)
          + "' is not an ISO 8601 duration such as PT15M, P1D or P1M");
    }
    Period calendar = Period.of(number(m.group(1)), number(m.group(2)), 0);
    Duration clock = Duration.ofDays(7L * number(m.group(3)) + number(m.group(4)))
        .plusHours(number(m.group(5))).plusMinutes(Long.parseLong(orZero(m.group(6))));
    if (m.group(7) != null) {
      BigDecimal seconds = new BigDecimal(m.group(7).replace(',', '.'));
      clock = clock.plusNanos(seconds.movePointRight(9).longValueExact());
    }
    if (calendar.isZero() && clock.compareTo(Duration.ofNanos(1_000)) < 0) {
      throw NgsiLdException.badRequest(name + " '" + text + "' must be at least one microsecond");
    }
    return new AggregationPeriod(calendar.normalized(), clock);
  }

  private static int number(String digits) {
    return Integer.parseInt(orZero(digits));
  }

  private static String orZero(String digits) {
    return digits == null ? "0" : digits;
  }

  /** Whether every period has the same length, so the store can cut them in one pass. */
  public boolean isFixed() {
    return calendar.isZero();
  }

  /** The end of the period that starts at {@code start}. */
  public Instant after(Instant start) {
    return start.atZone(ZoneOffset.UTC).plus(calendar).toInstant().plus(clock);
  }

  /** The start of the period that ends at {@code end}: how far back a retention age reaches. */
  public Instant before(Instant end) {
    return end.atZone(ZoneOffset.UTC).minus(calendar).toInstant().minus(clock);
  }

  /** The ISO 8601 text of this period. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("P");
    if (calendar.getYears() > 0) {
      out.append(calendar.getYears()).append('Y');
    }
    if (calendar.getMonths() > 0) {
      out.append(calendar.getMonths()).append('M');
    }
    long days = clock.toDays();
    if (days > 0) {
      out.append(days).append('D');
    }
    Duration rest = clock.minusDays(days);
    if (!rest.isZero()) {
      out.append(rest.toString().substring(1)); // Duration prints PT..H..M..S
    }
    return out.toString();
  }

  private static String abbreviate(String text) {
    return text.length() <= 64 ? text : text.substring(0, 64) + "...";
  }
}

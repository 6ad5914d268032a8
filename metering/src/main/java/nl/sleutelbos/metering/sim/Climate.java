package nl.sleutelbos.metering.sim;

import java.time.ZoneId;
import java.time.zone.ZoneRules;

/**
 * The weather and the sun over the Netherlands (one region, De Bilt's climate), deterministic from
 * a seed: outside temperature drives gas for heating, the sun's elevation and the day's clearness
 * drive solar panels. Times are UTC epoch seconds; local time is Europe/Amsterdam.
 *
 * <p>Temperature: a seasonal cosine (normal De Bilt daily mean about 3 °C in January, 17.5 °C in
 * July), a daily cycle of ±3.5 °C peaking at 15:00 and a per-day deviation of up to ±3 °C. Sun:
 * declination by Cooper's formula and the hour angle at longitude 5.2° E, latitude 52.1° N.
 */
final class Climate {
  static final ZoneRules AMSTERDAM = ZoneId.of("Europe/Amsterdam").getRules();
  static final double DAYS_PER_YEAR = 365.2425;
  private static final double LATITUDE = Math.toRadians(52.1);
  private static final double LONGITUDE_DEG = 5.2;
  private static final int KIND_TEMPERATURE = 1;
  private static final int KIND_CLEARNESS = 2;

  private final long seed;

  Climate(long seed) {
    this.seed = seed;
  }

  /** An offset and the span between two clock changes it holds for. */
  private record Span(long from, long until, int offset) {}

  /** The span last asked for: clocks change twice a year, so nearly every call is a hit. */
  private static volatile Span span = new Span(0, 0, 0);

  /** Seconds to add to UTC for Dutch local time at that instant (3600 or 7200). */
  static int localOffset(long epochSecond) {
    Span s = span;
    if (epochSecond >= s.from && epochSecond < s.until) {
      return s.offset;
    }
    java.time.Instant at = java.time.Instant.ofEpochSecond(epochSecond);
    java.time.zone.ZoneOffsetTransition previous = AMSTERDAM.previousTransition(at.plusSeconds(1));
    java.time.zone.ZoneOffsetTransition next = AMSTERDAM.nextTransition(at);
    s = new Span(previous == null ? Long.MIN_VALUE : previous.toEpochSecond(),
        next == null ? Long.MAX_VALUE : next.toEpochSecond(), AMSTERDAM.getOffset(at).getTotalSeconds());
    span = s;
    return s.offset;
  }

  /** Days since 1 January 1970 as a fraction of the year, 0 at 1 January. */
  static double yearPhase(long epochSecond) {
    double days = epochSecond / 86_400.0;
    double inYear = days - Math.floor(days / DAYS_PER_YEAR) * DAYS_PER_YEAR;
    return inYear / DAYS_PER_YEAR;
  }

  /** The season with no weather: −1 mid-July, +1 mid-January. */
  static double winterness(long epochSecond) {
    return Math.cos(2 * Math.PI * (yearPhase(epochSecond) - 15 / DAYS_PER_YEAR));
  }

  /** Normal outside temperature in °C, without the day's deviation. */
  static double normalTemperature(long epochSecond) {
    int localHour = (int) Math.floorMod(epochSecond + localOffset(epochSecond), 86_400L) / 3600;
    return 10.2 - 7.2 * winterness(epochSecond) + 3.5 * Math.sin(2 * Math.PI * (localHour - 9) / 24.0);
  }

  /** Outside temperature in °C. */
  double temperature(long epochSecond) {
    long day = Math.floorDiv(epochSecond, 86_400L);
    return normalTemperature(epochSecond) + 6 * (Noise.uniform(seed, KIND_TEMPERATURE, day, 0) - 0.5);
  }

  /** The day's clearness, 0.2 (overcast) to 1 (clear), mean 0.6. */
  double clearness(long epochSecond) {
    long day = Math.floorDiv(epochSecond, 86_400L);
    return 0.2 + 0.8 * Noise.uniform(seed, KIND_CLEARNESS, day, 0);
  }

  /** The sine of the sun's elevation; negative at night. */
  static double sunElevationSine(long epochSecond) {
    double declination = Math.toRadians(-23.44) * Math.cos(2 * Math.PI * (yearPhase(epochSecond) + 10 / DAYS_PER_YEAR));
    double utcHours = Math.floorMod(epochSecond, 86_400L) / 3600.0;
    double hourAngle = Math.toRadians(15 * (utcHours + LONGITUDE_DEG / 15 - 12));
    return Math.sin(LATITUDE) * Math.sin(declination) + Math.cos(LATITUDE) * Math.cos(declination) * Math.cos(hourAngle);
  }
}

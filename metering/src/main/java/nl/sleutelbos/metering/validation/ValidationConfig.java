package nl.sleutelbos.metering.validation;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;

/**
 * The thresholds of {@link ReadingValidator}, all in one place.
 *
 * @param futureTolerance    how far a meter's clock may run ahead of the head-end's before
 *                           TIMESTAMP_IN_FUTURE (default 5 minutes: meters sync their clock only
 *                           now and then; more is a clock fault or a forged time)
 * @param maxAge             how old a telegram may be on receipt before TIMESTAMP_TOO_OLD
 *                           (default 24 hours: a buffering device may catch up after an outage)
 * @param expectedInterval   how often the meter's readings are expected (default 15 minutes, the
 *                           quarter-hour readings the head-end stores)
 * @param maxMissedIntervals how many expected readings may be missed before GAP (default 2: more
 *                           than 45 minutes of silence at the default interval)
 * @param nominalVoltage     the nominal phase voltage (default 230 V, EN 50160)
 * @param voltageTolerance   the allowed relative deviation (default 0.10: 207 V to 253 V, EN 50160)
 * @param capacityTolerance  the relative overload tolerated before POWER_ABOVE_CAPACITY
 *                           (default 0.10: a fuse carries a little more than its rating for a while)
 */
public record ValidationConfig(
    Duration futureTolerance,
    Duration maxAge,
    Duration expectedInterval,
    int maxMissedIntervals,
    BigDecimal nominalVoltage,
    BigDecimal voltageTolerance,
    BigDecimal capacityTolerance) {

  /** The defaults documented above. */
  public static final ValidationConfig DEFAULTS = new ValidationConfig(Duration.ofMinutes(5), Duration.ofHours(24),
      Duration.ofMinutes(15), 2, new BigDecimal("230"), new BigDecimal("0.10"), new BigDecimal("0.10"));

  public ValidationConfig {
    Objects.requireNonNull(futureTolerance, "futureTolerance is null");
    Objects.requireNonNull(maxAge, "maxAge is null");
    Objects.requireNonNull(expectedInterval, "expectedInterval is null");
    Objects.requireNonNull(nominalVoltage, "nominalVoltage is null");
    Objects.requireNonNull(voltageTolerance, "voltageTolerance is null");
    Objects.requireNonNull(capacityTolerance, "capacityTolerance is null");
    if (futureTolerance.isNegative()) {
      throw new IllegalArgumentException("futureTolerance < 0: " + futureTolerance);
    }
    if (maxAge.isNegative()) {
      throw new IllegalArgumentException("maxAge < 0: " + maxAge);
    }
    if (expectedInterval.isNegative() || expectedInterval.isZero()) {
      throw new IllegalArgumentException("expectedInterval <= 0: " + expectedInterval);
    }
    if (maxMissedIntervals < 0) {
      throw new IllegalArgumentException("maxMissedIntervals < 0: " + maxMissedIntervals);
    }
    if (nominalVoltage.signum() <= 0) {
      throw new IllegalArgumentException("nominalVoltage <= 0: " + nominalVoltage);
    }
    if (voltageTolerance.signum() < 0 || voltageTolerance.compareTo(BigDecimal.ONE) >= 0) {
      throw new IllegalArgumentException("voltageTolerance not in [0, 1): " + voltageTolerance);
    }
    if (capacityTolerance.signum() < 0) {
      throw new IllegalArgumentException("capacityTolerance < 0: " + capacityTolerance);
    }
  }

  /** The silence after which a reading is flagged GAP: (maxMissedIntervals + 1) expected intervals. */
  public Duration gapAfter() {
    return expectedInterval.multipliedBy(maxMissedIntervals + 1L);
  }
}

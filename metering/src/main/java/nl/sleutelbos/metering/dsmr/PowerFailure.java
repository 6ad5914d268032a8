package nl.sleutelbos.metering.dsmr;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One entry of the power failure event log ({@code 1-0:99.97.0}): when the failure ended and how
 * long it lasted (whole seconds).
 */
public record PowerFailure(Instant end, Duration duration) {
  public PowerFailure {
    Objects.requireNonNull(end, "end is null");
    Objects.requireNonNull(duration, "duration is null");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("duration < 0: " + duration);
    }
  }
}

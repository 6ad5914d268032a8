package nl.sleutelbos.metering.sim;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Instant;

/**
 * Simulated time: starts at a chosen instant when made and runs {@code speed} times as fast as
 * the wall clock (1 is real time, 60 an hour a minute).
 */
public final class SimClock {
  private final Instant simStart;
  private final double speed;
  private final Clock wall;
  private final long wallStartMillis;

  public SimClock(Instant simStart, double speed, Clock wall) {
    this.simStart = requireNonNull(simStart, "simStart is null");
    if (!(speed > 0 && speed <= 1_000_000)) {
      throw new IllegalArgumentException("speed not above 0 and at most 1,000,000: " + speed);
    }
    this.speed = speed;
    this.wall = requireNonNull(wall, "wall is null");
    this.wallStartMillis = wall.millis();
  }

  public double speed() {
    return speed;
  }

  /** The simulated time now. */
  public Instant now() {
    return simStart.plusMillis((long) ((wall.millis() - wallStartMillis) * speed));
  }

  /** Wall-clock milliseconds from now until simulated time reaches {@code at}; zero if it has. */
  public long millisUntil(Instant at) {
    long simMillis = at.toEpochMilli() - simStart.toEpochMilli();
    long wallAt = wallStartMillis + (long) Math.ceil(simMillis / speed);
    return Math.max(0, wallAt - wall.millis());
  }
}

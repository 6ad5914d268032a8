package nl.sleutelbos.metering.sim;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;

/**
 * What fleet to simulate.
 *
 * @param meters how many meters, 1 to {@value #MAX_METERS}
 * @param seed the seed every trait, load and fault is drawn from: the same seed, the same fleet
 * @param start the simulated time of the first telegram (whole seconds)
 * @param interval simulated time between two telegrams of one meter, whole seconds, at least one;
 *     the fleet's telegrams are spread evenly over it
 * @param solarShare the share of households with solar panels (about 0.3 in the Netherlands)
 * @param faults the faults to inject
 */
public record FleetSettings(int meters, long seed, Instant start, Duration interval, double solarShare, FaultPlan faults) {
  public static final int MAX_METERS = 1_000_000;
  public static final int DEFAULT_METERS = 1_000;
  public static final long DEFAULT_SEED = 2026;
  public static final double DEFAULT_SOLAR_SHARE = 0.3;

  public FleetSettings {
    if (meters < 1 || meters > MAX_METERS) {
      throw new IllegalArgumentException("meters not in 1.." + MAX_METERS + ": " + meters);
    }
    requireNonNull(start, "start is null");
    if (start.getNano() != 0) {
      throw new IllegalArgumentException("start is not in whole seconds: " + start);
    }
    requireNonNull(interval, "interval is null");
    if (interval.getSeconds() < 1 || interval.getNano() != 0) {
      throw new IllegalArgumentException("interval is not a whole number of seconds of at least one: " + interval);
    }
    if (!(solarShare >= 0 && solarShare <= 1)) {
      throw new IllegalArgumentException("solarShare not in 0..1: " + solarShare);
    }
    requireNonNull(faults, "faults is null");
  }

  /** A fleet of this size from this start, with the defaults for everything else: quarter-hourly telegrams, no faults. */
  public static FleetSettings of(int meters, Instant start) {
    return new FleetSettings(meters, DEFAULT_SEED, start, Duration.ofMinutes(15), DEFAULT_SOLAR_SHARE, FaultPlan.NONE);
  }

  public FleetSettings withFaults(FaultPlan faults) {
    return new FleetSettings(meters, seed, start, interval, solarShare, faults);
  }

  public FleetSettings withInterval(Duration interval) {
    return new FleetSettings(meters, seed, start, interval, solarShare, faults);
  }

  public FleetSettings withSeed(long seed) {
    return new FleetSettings(meters, seed, start, interval, solarShare, faults);
  }

  public FleetSettings withSolarShare(double solarShare) {
    return new FleetSettings(meters, seed, start, interval, solarShare, faults);
  }
}

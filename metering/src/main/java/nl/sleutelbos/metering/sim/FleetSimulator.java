package nl.sleutelbos.metering.sim;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * A fleet of simulated household meters producing DSMR 5 telegrams, deterministic from the seed
 * and free of clocks and networks: {@link #next()} gives the fleet's telegrams in time order, and
 * the caller decides how fast to take them (see {@link SimClock}) and where to send them.
 *
 * <p>Telegram {@code s} is meter {@code s mod N}'s telegram number {@code s div N}, measured at
 * {@code start + s × interval / N}: every meter reports once per interval, the fleet's telegrams
 * evenly spread over it, so the load on the head-end is smooth.
 *
 * <p>Not thread-safe; one simulator feeds one sending loop.
 */
public final class FleetSimulator {
  private static final int K_FAULT = 20;

  private final FleetSettings settings;
  private final Fleet fleet;
  private final long startMillis;
  private final long intervalMillis;
  private final double[] sensor;
  private final long[] skewSeconds;
  private long sequence;

  public FleetSimulator(FleetSettings settings) {
    this.settings = requireNonNull(settings, "settings is null");
    this.fleet = new Fleet(settings.seed(), settings.meters(), settings.solarShare());
    this.startMillis = settings.start().toEpochMilli();
    this.intervalMillis = settings.interval().toMillis();
    FaultPlan faults = settings.faults();
    this.sensor = faults.underreport().isEmpty() ? null : new double[settings.meters()];
    if (sensor != null) {
      java.util.Arrays.fill(sensor, 1);
      faults.underreport().forEach((meter, percent) -> sensor[meterIndex(meter)] = 1 - percent / 100);
    }
    this.skewSeconds = faults.skewedMeters().isEmpty() ? null : new long[settings.meters()];
    if (skewSeconds != null) {
      faults.skewedMeters().forEach((meter, offset) -> skewSeconds[meterIndex(meter)] = offset.getSeconds());
    }
  }

  public FleetSettings settings() {
    return settings;
  }

  /**
   * Meter {@code index}'s id (from 0: {@code meter-0001} and on): the equipment identifier in its
   * telegrams, so the head-end knows it as {@code urn:ngsi-ld:Device:meter-0001}.
   */
  public static String meterId(int index) {
    return padded("meter-", index + 1);
  }

  /** {@code prefix} and the number with at least four digits; no Formatter, as it is per telegram. */
  static String padded(String prefix, int number) {
    String digits = Integer.toString(number);
    return digits.length() >= 4 ? prefix + digits : prefix + "0000".substring(digits.length()) + digits;
  }

  /** The index of a meter of this fleet by its id. */
  public int meterIndex(String meterId) {
    int index = -1;
    if (meterId.startsWith("meter-") && meterId.length() <= 13 && meterId.substring(6).matches("\\d+")) {
      index = Integer.parseInt(meterId.substring(6)) - 1;
    }
    if (index < 0 || index >= settings.meters()) {
      throw new IllegalArgumentException("no meter " + meterId + " in a fleet of " + settings.meters()
          + " (meter-0001 to " + meterId(settings.meters() - 1) + ")");
    }
    return index;
  }

  /** The sequence number of the next telegram. */
  public long position() {
    return sequence;
  }

  /** The simulated time telegram {@code s} is measured at. */
  public Instant timeOf(long s) {
    int n = settings.meters();
    return Instant.ofEpochMilli(startMillis + (s / n) * intervalMillis + (s % n) * intervalMillis / n);
  }

  /** The simulated time the next telegram is measured at. */
  public Instant nextTime() {
    return timeOf(sequence);
  }

  /** The next telegram of the fleet. */
  public SimTelegram next() {
    long s = sequence++;
    int meter = (int) (s % settings.meters());
    Instant measured = timeOf(s);
    long second = measured.getEpochSecond();
    FaultPlan plan = settings.faults();
    Set<Fault> faults = plan.isEmpty() ? Set.of() : EnumSet.noneOf(Fault.class);
    if (chance(s, Fault.ROLLBACK, plan.rollbackRate())) {
      fleet.rollBack(meter, FaultPlan.ROLLBACK_WH);
      faults.add(Fault.ROLLBACK);
    }
    long skew = skewSeconds == null ? 0 : skewSeconds[meter];
    if (chance(s, Fault.SKEW, plan.skewRate())) {
      skew += FaultPlan.SKEW_OFFSET.getSeconds();
    }
    if (skew != 0) {
      faults.add(Fault.SKEW);
    }
    double factor = sensor == null ? 1 : sensor[meter];
    if (factor != 1) {
      faults.add(Fault.UNDERREPORT);
    }
    Reading reading = fleet.read(meter, meterId(meter), second, factor, Instant.ofEpochSecond(second + skew));
    String text = P1Text.write(reading);
    if (chance(s, Fault.CRC, plan.crcRate())) {
      text = P1Text.withWrongCrc(text);
      faults.add(Fault.CRC);
    }
    return new SimTelegram(s, Instant.ofEpochSecond(second), reading, text, faults);
  }

  private boolean chance(long s, Fault fault, double rate) {
    return rate > 0 && Noise.uniform(settings.seed(), K_FAULT, s, fault.ordinal()) < rate;
  }

  /** Telegrams per second of simulated time. */
  public double ratePerSimulatedSecond() {
    return settings.meters() / (double) settings.interval().getSeconds();
  }

  Fleet fleet() {
    return fleet;
  }

  @Override
  public String toString() {
    return "FleetSimulator[" + settings.meters() + " meters, every " + settings.interval() + ", at " + sequence + "]";
  }
}

package nl.sleutelbos.metering.dsmr;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * The readings of one phase (L1, L2 or L3), each absent when the telegram does not carry it:
 * instantaneous voltage (V), current (A), active power delivered +P and returned -P (kW), and the
 * counts of voltage sags and swells.
 *
 * <p>A value class with the accessors, constructor, {@code equals}, {@code hashCode} and
 * {@code toString} of a record of these six components (it was one); like {@link Telegram} it
 * keeps absent values as {@code null} and makes the {@link Optional} when an accessor is called.
 */
public final class PhaseReadings {

  /** A phase with no readings. */
  public static final PhaseReadings NONE = new PhaseReadings(null, null, null, null, (Long) null, null);

  private final BigDecimal voltage;
  private final BigDecimal current;
  private final BigDecimal powerDelivered;
  private final BigDecimal powerReturned;
  private final Long voltageSags;
  private final Long voltageSwells;

  /** As the record's canonical constructor was: every component non-null, an absent value an empty Optional. */
  public PhaseReadings(
      Optional<BigDecimal> voltage,
      Optional<BigDecimal> current,
      Optional<BigDecimal> powerDelivered,
      Optional<BigDecimal> powerReturned,
      Optional<Long> voltageSags,
      Optional<Long> voltageSwells) {
    this(value(voltage, "voltage"), value(current, "current"), value(powerDelivered, "powerDelivered"),
        value(powerReturned, "powerReturned"), value(voltageSags, "voltageSags"), value(voltageSwells, "voltageSwells"));
  }

  /** From the values themselves, {@code null} where absent (the parser's way: no Optional is made). */
  PhaseReadings(BigDecimal voltage, BigDecimal current, BigDecimal powerDelivered, BigDecimal powerReturned,
                Long voltageSags, Long voltageSwells) {
    this.voltage = voltage;
    this.current = current;
    this.powerDelivered = powerDelivered;
    this.powerReturned = powerReturned;
    this.voltageSags = voltageSags;
    this.voltageSwells = voltageSwells;
  }

  private static <T> T value(Optional<T> optional, String name) {
    return Objects.requireNonNull(optional, () -> name + " is null").orElse(null);
  }

  public Optional<BigDecimal> voltage() {
    return Optional.ofNullable(voltage);
  }

  public Optional<BigDecimal> current() {
    return Optional.ofNullable(current);
  }

  public Optional<BigDecimal> powerDelivered() {
    return Optional.ofNullable(powerDelivered);
  }

  public Optional<BigDecimal> powerReturned() {
    return Optional.ofNullable(powerReturned);
  }

  public Optional<Long> voltageSags() {
    return Optional.ofNullable(voltageSags);
  }

  public Optional<Long> voltageSwells() {
    return Optional.ofNullable(voltageSwells);
  }

  /** True when the telegram carries nothing for this phase. */
  public boolean isEmpty() {
    return equals(NONE);
  }

  @Override
  public boolean equals(Object o) {
    return o == this || o instanceof PhaseReadings p
        && Objects.equals(voltage, p.voltage)
        && Objects.equals(current, p.current)
        && Objects.equals(powerDelivered, p.powerDelivered)
        && Objects.equals(powerReturned, p.powerReturned)
        && Objects.equals(voltageSags, p.voltageSags)
        && Objects.equals(voltageSwells, p.voltageSwells);
  }

  @Override
  public int hashCode() {
    return Objects.hash(voltage, current, powerDelivered, powerReturned, voltageSags, voltageSwells);
  }

  /** As a record's: {@code PhaseReadings[voltage=Optional[230.1], ...]}. */
  @Override
  public String toString() {
    return "PhaseReadings[voltage=" + voltage() + ", current=" + current() + ", powerDelivered=" + powerDelivered()
        + ", powerReturned=" + powerReturned() + ", voltageSags=" + voltageSags() + ", voltageSwells="
        + voltageSwells() + "]";
  }
}

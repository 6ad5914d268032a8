package nl.sleutelbos.metering.dsmr;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * The readings of one phase (L1, L2 or L3), each absent when the telegram does not carry it:
 * instantaneous voltage (V), current (A), active power delivered +P and returned -P (kW), and the
 * counts of voltage sags and swells.
 */
public record PhaseReadings(
    Optional<BigDecimal> voltage,
    Optional<BigDecimal> current,
    Optional<BigDecimal> powerDelivered,
    Optional<BigDecimal> powerReturned,
    Optional<Long> voltageSags,
    Optional<Long> voltageSwells) {

  /** A phase with no readings. */
  public static final PhaseReadings NONE = new PhaseReadings(
      Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

  public PhaseReadings {
    Objects.requireNonNull(voltage, "voltage is null");
    Objects.requireNonNull(current, "current is null");
    Objects.requireNonNull(powerDelivered, "powerDelivered is null");
    Objects.requireNonNull(powerReturned, "powerReturned is null");
    Objects.requireNonNull(voltageSags, "voltageSags is null");
    Objects.requireNonNull(voltageSwells, "voltageSwells is null");
  }

  /** True when the telegram carries nothing for this phase. */
  public boolean isEmpty() {
    return equals(NONE);
  }
}

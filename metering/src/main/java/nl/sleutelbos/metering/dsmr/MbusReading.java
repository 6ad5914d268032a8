package nl.sleutelbos.metering.dsmr;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A device on the meter's M-Bus (channel 1 to 4): gas, water, heat or another meter. Its device
 * type ({@code 0-n:24.1.0}; 3 gas, 4 heat, 7 water in EN 13757-3), its own equipment id
 * ({@code 0-n:96.1.0}, decoded from hex), the time it took its last reading and that reading
 * with its unit (m3 for gas and water, GJ for heat), and, for DSMR 3/4 gas valves, the valve
 * position ({@code 0-n:24.4.0}).
 */
public record MbusReading(
    int channel,
    Optional<Integer> deviceType,
    Optional<String> equipmentId,
    Optional<Instant> timestamp,
    Optional<BigDecimal> value,
    Optional<Unit> unit,
    Optional<Integer> valvePosition) {

  public static final int GAS = 3;
  public static final int HEAT = 4;
  public static final int WATER = 7;

  public MbusReading {
    if (channel < 1 || channel > 4) {
      throw new IllegalArgumentException("channel not in 1..4: " + channel);
    }
    Objects.requireNonNull(deviceType, "deviceType is null");
    Objects.requireNonNull(equipmentId, "equipmentId is null");
    Objects.requireNonNull(timestamp, "timestamp is null");
    Objects.requireNonNull(value, "value is null");
    Objects.requireNonNull(unit, "unit is null");
    Objects.requireNonNull(valvePosition, "valvePosition is null");
    if (value.isPresent() != unit.isPresent()) {
      throw new IllegalArgumentException("value and unit come together: " + value + " " + unit);
    }
  }

  /** A reading of a value with its unit and time, e.g. a gas meter's hourly m3. */
  public static MbusReading of(int channel, int deviceType, String equipmentId, Instant timestamp,
                 BigDecimal value, Unit unit) {
    return new MbusReading(channel, Optional.of(deviceType), Optional.of(equipmentId), Optional.of(timestamp),
        Optional.of(value), Optional.of(unit), Optional.empty());
  }
}

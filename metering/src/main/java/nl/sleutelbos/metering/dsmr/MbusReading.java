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
 *
 * <p>A value class with the accessors, constructor, {@code equals}, {@code hashCode} and
 * {@code toString} of a record of these seven components (it was one); like {@link Telegram} it
 * keeps absent values as {@code null} and makes the {@link Optional} when an accessor is called.
 */
public final class MbusReading {

  public static final int GAS = 3;
  public static final int HEAT = 4;
  public static final int WATER = 7;

  private final int channel;
  private final Integer deviceType;
  private final String equipmentId;
  private final Instant timestamp;
  private final BigDecimal value;
  private final Unit unit;
  private final Integer valvePosition;

  /** As the record's canonical constructor was: every component non-null, an absent value an empty Optional. */
  public MbusReading(
      int channel,
      Optional<Integer> deviceType,
      Optional<String> equipmentId,
      Optional<Instant> timestamp,
      Optional<BigDecimal> value,
      Optional<Unit> unit,
      Optional<Integer> valvePosition) {
    this(channel, value(deviceType, "deviceType"), value(equipmentId, "equipmentId"), value(timestamp, "timestamp"),
        value(value, "value"), value(unit, "unit"), value(valvePosition, "valvePosition"));
  }

  /** From the values themselves, {@code null} where absent (the parser's way: no Optional is made). */
  MbusReading(int channel, Integer deviceType, String equipmentId, Instant timestamp, BigDecimal value, Unit unit,
              Integer valvePosition) {
    if (channel < 1 || channel > 4) {
      throw new IllegalArgumentException("channel not in 1..4: " + channel);
    }
    if ((value == null) != (unit == null)) {
      throw new IllegalArgumentException("value and unit come together: " + Optional.ofNullable(value) + " "
          + Optional.ofNullable(unit));
    }
    this.channel = channel;
    this.deviceType = deviceType;
    this.equipmentId = equipmentId;
    this.timestamp = timestamp;
    this.value = value;
    this.unit = unit;
    this.valvePosition = valvePosition;
  }

  private static <T> T value(Optional<T> optional, String name) {
    return Objects.requireNonNull(optional, () -> name + " is null").orElse(null);
  }

  /** A reading of a value with its unit and time, e.g. a gas meter's hourly m3. */
  public static MbusReading of(int channel, int deviceType, String equipmentId, Instant timestamp,
                 BigDecimal value, Unit unit) {
    return new MbusReading(channel, (Integer) deviceType, Objects.requireNonNull(equipmentId),
        Objects.requireNonNull(timestamp), Objects.requireNonNull(value), Objects.requireNonNull(unit), null);
  }

  public int channel() {
    return channel;
  }

  public Optional<Integer> deviceType() {
    return Optional.ofNullable(deviceType);
  }

  public Optional<String> equipmentId() {
    return Optional.ofNullable(equipmentId);
  }

  public Optional<Instant> timestamp() {
    return Optional.ofNullable(timestamp);
  }

  public Optional<BigDecimal> value() {
    return Optional.ofNullable(value);
  }

  public Optional<Unit> unit() {
    return Optional.ofNullable(unit);
  }

  public Optional<Integer> valvePosition() {
    return Optional.ofNullable(valvePosition);
  }

  @Override
  public boolean equals(Object o) {
    return o == this || o instanceof MbusReading m
        && channel == m.channel
        && Objects.equals(deviceType, m.deviceType)
        && Objects.equals(equipmentId, m.equipmentId)
        && Objects.equals(timestamp, m.timestamp)
        && Objects.equals(value, m.value)
        && Objects.equals(unit, m.unit)
        && Objects.equals(valvePosition, m.valvePosition);
  }

  @Override
  public int hashCode() {
    return Objects.hash(channel, deviceType, equipmentId, timestamp, value, unit, valvePosition);
  }

  /** As a record's: {@code MbusReading[channel=1, deviceType=Optional[3], ...]}. */
  @Override
  public String toString() {
    return "MbusReading[channel=" + channel + ", deviceType=" + deviceType() + ", equipmentId=" + equipmentId()
        + ", timestamp=" + timestamp() + ", value=" + value() + ", unit=" + unit() + ", valvePosition="
        + valvePosition() + "]";
  }
}

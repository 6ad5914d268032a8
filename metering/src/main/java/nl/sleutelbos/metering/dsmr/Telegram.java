package nl.sleutelbos.metering.dsmr;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One P1 telegram, immutable. Fields the telegram does not carry are empty.
 *
 * <p>Quantities are {@link BigDecimal} in the unit the standard gives the object, with the scale
 * (number of decimals) as written by the meter, so nothing is rounded: energy registers in kWh
 * ({@code 1-0:1.8.1} delivered tariff 1, {@code 1-0:1.8.2} delivered tariff 2, {@code 1-0:2.8.1} and
 * {@code 1-0:2.8.2} returned), power in kW, voltage in V, current in A, M-Bus values in their own
 * {@link Unit}. Timestamps are instants; the meter's local time and S/W flag are resolved in
 * Europe/Amsterdam. Text (equipment ids, messages) is decoded from the hex the telegram carries.
 *
 * @param header          the identification line, including its leading {@code /}, e.g. {@code /ISk5\2MT382-1000}:
 *                        {@code /}, three letters naming the maker, a baud-rate digit, then the model
 * @param version         {@code 1-3:0.2.8}: "50" for DSMR 5.0, "42" for 4.2, absent before DSMR 4
 * @param timestamp       {@code 0-0:1.0.0}: when the telegram was made (absent before DSMR 4)
 * @param equipmentId     {@code 0-0:96.1.1}: the meter's serial, decoded from hex
 * @param tariffIndicator {@code 0-0:96.14.0}: 1 (low, "dal") or 2 (normal)
 * @param powerDelivered  {@code 1-0:1.7.0}: actual power drawn from the grid, all phases (kW)
 * @param powerReturned   {@code 1-0:2.7.0}: actual power fed into the grid, all phases (kW)
 * @param threshold       {@code 0-0:17.0.0}: the switch threshold of DSMR 2.2 to 4 (kW; A in DSMR 3)
 * @param switchPosition  {@code 0-0:96.3.10}: the breaker position of DSMR 2.2 to 4
 * @param shortPowerFailures {@code 0-0:96.7.21}: number of power failures in any phase
 * @param longPowerFailures  {@code 0-0:96.7.9}: number of long power failures in any phase
 * @param powerFailureLog {@code 1-0:99.97.0}: the most recent long power failures
 * @param l1              phase L1: {@code 1-0:32.7.0} V, {@code 31.7.0} A, {@code 21.7.0} +P, {@code 22.7.0} -P,
 *                        {@code 32.32.0} sags, {@code 32.36.0} swells (L2: 52/51/41/42, L3: 72/71/61/62)
 * @param textMessageCode {@code 0-0:96.13.1}: the numeric message of DSMR 2.2 to 4
 * @param textMessage     {@code 0-0:96.13.0}: the text message (an empty message is present and empty)
 * @param mbus            the M-Bus devices, by channel, at most one per channel
 * @param unknown         OBIS objects the parser does not know, kept in order
 */
public record Telegram(
    String header,
    Optional<String> version,
    Optional<Instant> timestamp,
    Optional<String> equipmentId,
    Optional<BigDecimal> energyDeliveredTariff1,
    Optional<BigDecimal> energyDeliveredTariff2,
    Optional<BigDecimal> energyReturnedTariff1,
    Optional<BigDecimal> energyReturnedTariff2,
    Optional<Integer> tariffIndicator,
    Optional<BigDecimal> powerDelivered,
    Optional<BigDecimal> powerReturned,
    Optional<Quantity> threshold,
    Optional<Integer> switchPosition,
    Optional<Long> shortPowerFailures,
    Optional<Long> longPowerFailures,
    List<PowerFailure> powerFailureLog,
    PhaseReadings l1,
    PhaseReadings l2,
    PhaseReadings l3,
    Optional<String> textMessageCode,
    Optional<String> textMessage,
    List<MbusReading> mbus,
    List<CosemObject> unknown) {

  public Telegram {
    Objects.requireNonNull(header, "header is null");
    if (header.length() < 5 || header.charAt(0) != '/' || header.indexOf('\r') >= 0 || header.indexOf('\n') >= 0
        || header.indexOf('!') >= 0) {
      throw new IllegalArgumentException("header is not /XXXn...: " + header);
    }
    Objects.requireNonNull(version, "version is null");
    Objects.requireNonNull(timestamp, "timestamp is null");
    Objects.requireNonNull(equipmentId, "equipmentId is null");
    Objects.requireNonNull(energyDeliveredTariff1, "energyDeliveredTariff1 is null");
    Objects.requireNonNull(energyDeliveredTariff2, "energyDeliveredTariff2 is null");
    Objects.requireNonNull(energyReturnedTariff1, "energyReturnedTariff1 is null");
    Objects.requireNonNull(energyReturnedTariff2, "energyReturnedTariff2 is null");
    Objects.requireNonNull(tariffIndicator, "tariffIndicator is null");
    Objects.requireNonNull(powerDelivered, "powerDelivered is null");
    Objects.requireNonNull(powerReturned, "powerReturned is null");
    Objects.requireNonNull(threshold, "threshold is null");
    Objects.requireNonNull(switchPosition, "switchPosition is null");
    Objects.requireNonNull(shortPowerFailures, "shortPowerFailures is null");
    Objects.requireNonNull(longPowerFailures, "longPowerFailures is null");
    powerFailureLog = List.copyOf(powerFailureLog);
    Objects.requireNonNull(l1, "l1 is null");
    Objects.requireNonNull(l2, "l2 is null");
    Objects.requireNonNull(l3, "l3 is null");
    Objects.requireNonNull(textMessageCode, "textMessageCode is null");
    Objects.requireNonNull(textMessage, "textMessage is null");
    mbus = List.copyOf(mbus);
    int seen = 0;
    for (MbusReading device : mbus) {
      int bit = 1 << device.channel();
      if ((seen & bit) != 0) {
        throw new IllegalArgumentException("two M-Bus devices on channel " + device.channel());
      }
      seen |= bit;
    }
    unknown = List.copyOf(unknown);
  }

  /** The manufacturer's three-letter flag from the header, e.g. {@code ISk}, {@code KFM}, {@code XMX}. */
  public String manufacturer() {
    return header.substring(1, Math.min(4, header.length()));
  }

  /** The phase readings for phase 1, 2 or 3. */
  public PhaseReadings phase(int phase) {
    return switch (phase) {
      case 1 -> l1;
      case 2 -> l2;
      case 3 -> l3;
      default -> throw new IllegalArgumentException("phase not in 1..3: " + phase);
    };
  }

  /** The M-Bus device on channel 1 to 4, if any. */
  public Optional<MbusReading> mbus(int channel) {
    for (MbusReading device : mbus) {
      if (device.channel() == channel) {
        return Optional.of(device);
      }
    }
    return Optional.empty();
  }

  /** A builder starting from nothing but a header (with its leading {@code /}). */
  public static Builder builder(String header) {
    return new Builder(header);
  }

  /** A builder holding this telegram's values, to change a few. */
  public Builder toBuilder() {
    Builder b = new Builder(header);
    b.version = version.orElse(null);
    b.timestamp = timestamp.orElse(null);
    b.equipmentId = equipmentId.orElse(null);
    b.energyDeliveredTariff1 = energyDeliveredTariff1.orElse(null);
    b.energyDeliveredTariff2 = energyDeliveredTariff2.orElse(null);
    b.energyReturnedTariff1 = energyReturnedTariff1.orElse(null);
    b.energyReturnedTariff2 = energyReturnedTariff2.orElse(null);
    b.tariffIndicator = tariffIndicator.orElse(null);
    b.powerDelivered = powerDelivered.orElse(null);
    b.powerReturned = powerReturned.orElse(null);
    b.threshold = threshold.orElse(null);
    b.switchPosition = switchPosition.orElse(null);
    b.shortPowerFailures = shortPowerFailures.orElse(null);
    b.longPowerFailures = longPowerFailures.orElse(null);
    b.powerFailureLog.addAll(powerFailureLog);
    b.l1 = l1;
    b.l2 = l2;
    b.l3 = l3;
    b.textMessageCode = textMessageCode.orElse(null);
    b.textMessage = textMessage.orElse(null);
    b.mbus.addAll(mbus);
    b.unknown.addAll(unknown);
    return b;
  }

  /** Builds a telegram field by field; unset fields are absent. Not thread-safe. */
  public static final class Builder {
    private String header;
    private String version;
    private Instant timestamp;
    private String equipmentId;
    private BigDecimal energyDeliveredTariff1;
    private BigDecimal energyDeliveredTariff2;
    private BigDecimal energyReturnedTariff1;
    private BigDecimal energyReturnedTariff2;
    private Integer tariffIndicator;
    private BigDecimal powerDelivered;
    private BigDecimal powerReturned;
    private Quantity threshold;
    private Integer switchPosition;
    private Long shortPowerFailures;
    private Long longPowerFailures;
    private final List<PowerFailure> powerFailureLog = new ArrayList<>();
    private PhaseReadings l1 = PhaseReadings.NONE;
    private PhaseReadings l2 = PhaseReadings.NONE;
    private PhaseReadings l3 = PhaseReadings.NONE;
    private String textMessageCode;
    private String textMessage;
    private final List<MbusReading> mbus = new ArrayList<>();
    private final List<CosemObject> unknown = new ArrayList<>();

    private Builder(String header) {
      this.header = header;
    }

    public Builder header(String header) { this.header = header; return this; }
    public Builder version(String version) { this.version = version; return this; }
    public Builder timestamp(Instant timestamp) { this.timestamp = timestamp; return this; }
    public Builder equipmentId(String equipmentId) { this.equipmentId = equipmentId; return this; }
    public Builder energyDeliveredTariff1(BigDecimal kWh) { this.energyDeliveredTariff1 = kWh; return this; }
    public Builder energyDeliveredTariff2(BigDecimal kWh) { this.energyDeliveredTariff2 = kWh; return this; }
    public Builder energyReturnedTariff1(BigDecimal kWh) { this.energyReturnedTariff1 = kWh; return this; }
    public Builder energyReturnedTariff2(BigDecimal kWh) { this.energyReturnedTariff2 = kWh; return this; }
    public Builder tariffIndicator(Integer tariff) { this.tariffIndicator = tariff; return this; }
    public Builder powerDelivered(BigDecimal kW) { this.powerDelivered = kW; return this; }
    public Builder powerReturned(BigDecimal kW) { this.powerReturned = kW; return this; }
    public Builder threshold(Quantity threshold) { this.threshold = threshold; return this; }
    public Builder switchPosition(Integer position) { this.switchPosition = position; return this; }
    public Builder shortPowerFailures(Long count) { this.shortPowerFailures = count; return this; }
    public Builder longPowerFailures(Long count) { this.longPowerFailures = count; return this; }
    public Builder addPowerFailure(PowerFailure failure) { this.powerFailureLog.add(failure); return this; }
    public Builder powerFailureLog(List<PowerFailure> log) {
      this.powerFailureLog.clear();
      this.powerFailureLog.addAll(log);
      return this;
    }
    public Builder l1(PhaseReadings readings) { this.l1 = readings; return this; }
    public Builder l2(PhaseReadings readings) { this.l2 = readings; return this; }
    public Builder l3(PhaseReadings readings) { this.l3 = readings; return this; }
    public Builder textMessageCode(String code) { this.textMessageCode = code; return this; }
    public Builder textMessage(String message) { this.textMessage = message; return this; }
    /** Adds or replaces the device on its channel. */
    public Builder mbus(MbusReading device) {
      mbus.removeIf(d -> d.channel() == device.channel());
      mbus.add(device);
      mbus.sort((a, b) -> Integer.compare(a.channel(), b.channel()));
      return this;
    }
    public Builder clearMbus() { mbus.clear(); return this; }
    public Builder addUnknown(CosemObject object) { unknown.add(object); return this; }

    public Telegram build() {
      return new Telegram(header, Optional.ofNullable(version), Optional.ofNullable(timestamp),
          Optional.ofNullable(equipmentId), Optional.ofNullable(energyDeliveredTariff1),
          Optional.ofNullable(energyDeliveredTariff2), Optional.ofNullable(energyReturnedTariff1),
          Optional.ofNullable(energyReturnedTariff2), Optional.ofNullable(tariffIndicator),
          Optional.ofNullable(powerDelivered), Optional.ofNullable(powerReturned),
          Optional.ofNullable(threshold), Optional.ofNullable(switchPosition),
          Optional.ofNullable(shortPowerFailures), Optional.ofNullable(longPowerFailures),
          powerFailureLog, l1, l2, l3, Optional.ofNullable(textMessageCode),
          Optional.ofNullable(textMessage), mbus, unknown);
    }
  }
}

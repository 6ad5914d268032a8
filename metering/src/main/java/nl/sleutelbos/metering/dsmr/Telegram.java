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
 * <p>A value class with the accessors, constructor, {@code equals}, {@code hashCode} and
 * {@code toString} of a record of the components below (it was one). It is not a record so that
 * it can keep what a telegram lacks as {@code null} inside and make the {@link Optional} when an
 * accessor is called: a parsed telegram then holds no {@code Optional}s at all, and a caller that
 * unwraps the result at once ({@code orElse}, {@code ifPresent}, {@code map}) lets the JIT drop it.
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
public final class Telegram {
  private final String header;
  private final String version;
  private final Instant timestamp;
  private final String equipmentId;
  private final BigDecimal energyDeliveredTariff1;
  private final BigDecimal energyDeliveredTariff2;
  private final BigDecimal energyReturnedTariff1;
  private final BigDecimal energyReturnedTariff2;
  private final Integer tariffIndicator;
  private final BigDecimal powerDelivered;
  private final BigDecimal powerReturned;
  private final Quantity threshold;
  private final Integer switchPosition;
  private final Long shortPowerFailures;
  private final Long longPowerFailures;
  private final List<PowerFailure> powerFailureLog;
  private final PhaseReadings l1;
  private final PhaseReadings l2;
  private final PhaseReadings l3;
  private final String textMessageCode;
  private final String textMessage;
  private final List<MbusReading> mbus;
  private final List<CosemObject> unknown;

  /** As the record's canonical constructor was: every component non-null, an absent value an empty Optional. */
  public Telegram(
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
    this(header, value(version, "version"), value(timestamp, "timestamp"), value(equipmentId, "equipmentId"),
        value(energyDeliveredTariff1, "energyDeliveredTariff1"), value(energyDeliveredTariff2,
        "energyDeliveredTariff2"), value(energyReturnedTariff1, "energyReturnedTariff1"),
        value(energyReturnedTariff2, "energyReturnedTariff2"), value(tariffIndicator, "tariffIndicator"),
        value(powerDelivered, "powerDelivered"), value(powerReturned, "powerReturned"), value(threshold,
        "threshold"), value(switchPosition, "switchPosition"), value(shortPowerFailures, "shortPowerFailures"),
        value(longPowerFailures, "longPowerFailures"), powerFailureLog, l1, l2, l3, value(textMessageCode,
        "textMessageCode"), value(textMessage, "textMessage"), mbus, unknown);
  }

  private static <T> T value(Optional<T> optional, String name) {
    return Objects.requireNonNull(optional, () -> name + " is null").orElse(null);
  }

  /**
   * From the values themselves, {@code null} where the telegram lacks one (the parser's and the
   * builder's way: no Optional is made). Lists are copied unless already unmodifiable
   * ({@code List.copyOf} returns those as they are).
   */
  Telegram(
      String header,
      String version,
      Instant timestamp,
      String equipmentId,
      BigDecimal energyDeliveredTariff1,
      BigDecimal energyDeliveredTariff2,
      BigDecimal energyReturnedTariff1,
      BigDecimal energyReturnedTariff2,
      Integer tariffIndicator,
      BigDecimal powerDelivered,
      BigDecimal powerReturned,
      Quantity threshold,
      Integer switchPosition,
      Long shortPowerFailures,
      Long longPowerFailures,
      List<PowerFailure> powerFailureLog,
      PhaseReadings l1,
      PhaseReadings l2,
      PhaseReadings l3,
      String textMessageCode,
      String textMessage,
      List<MbusReading> mbus,
      List<CosemObject> unknown) {
    Objects.requireNonNull(header, "header is null");
    if (header.length() < 5 || header.charAt(0) != '/' || header.indexOf('\r') >= 0 || header.indexOf('\n') >= 0
        || header.indexOf('!') >= 0) {
      throw new IllegalArgumentException("header is not /XXXn...: " + header);
    }
    Objects.requireNonNull(l1, "l1 is null");
    Objects.requireNonNull(l2, "l2 is null");
    Objects.requireNonNull(l3, "l3 is null");
    mbus = List.copyOf(mbus);
    int seen = 0;
    for (MbusReading device : mbus) {
      int bit = 1 << device.channel();
      if ((seen & bit) != 0) {
        throw new IllegalArgumentException("two M-Bus devices on channel " + device.channel());
      }
      seen |= bit;
    }
    this.header = header;
    this.version = version;
    this.timestamp = timestamp;
    this.equipmentId = equipmentId;
    this.energyDeliveredTariff1 = energyDeliveredTariff1;
    this.energyDeliveredTariff2 = energyDeliveredTariff2;
    this.energyReturnedTariff1 = energyReturnedTariff1;
    this.energyReturnedTariff2 = energyReturnedTariff2;
    this.tariffIndicator = tariffIndicator;
    this.powerDelivered = powerDelivered;
    this.powerReturned = powerReturned;
    this.threshold = threshold;
    this.switchPosition = switchPosition;
    this.shortPowerFailures = shortPowerFailures;
    this.longPowerFailures = longPowerFailures;
    this.powerFailureLog = List.copyOf(powerFailureLog);
    this.l1 = l1;
    this.l2 = l2;
    this.l3 = l3;
    this.textMessageCode = textMessageCode;
    this.textMessage = textMessage;
    this.mbus = mbus;
    this.unknown = List.copyOf(unknown);
  }

  public String header() {
    return header;
  }

  public Optional<String> version() {
    return Optional.ofNullable(version);
  }

  public Optional<Instant> timestamp() {
    return Optional.ofNullable(timestamp);
  }

  public Optional<String> equipmentId() {
    return Optional.ofNullable(equipmentId);
  }

  public Optional<BigDecimal> energyDeliveredTariff1() {
    return Optional.ofNullable(energyDeliveredTariff1);
  }

  public Optional<BigDecimal> energyDeliveredTariff2() {
    return Optional.ofNullable(energyDeliveredTariff2);
  }

  public Optional<BigDecimal> energyReturnedTariff1() {
    return Optional.ofNullable(energyReturnedTariff1);
  }

  public Optional<BigDecimal> energyReturnedTariff2() {
    return Optional.ofNullable(energyReturnedTariff2);
  }

  public Optional<Integer> tariffIndicator() {
    return Optional.ofNullable(tariffIndicator);
  }

  public Optional<BigDecimal> powerDelivered() {
    return Optional.ofNullable(powerDelivered);
  }

  public Optional<BigDecimal> powerReturned() {
    return Optional.ofNullable(powerReturned);
  }

  public Optional<Quantity> threshold() {
    return Optional.ofNullable(threshold);
  }

  public Optional<Integer> switchPosition() {
    return Optional.ofNullable(switchPosition);
  }

  public Optional<Long> shortPowerFailures() {
    return Optional.ofNullable(shortPowerFailures);
  }

  public Optional<Long> longPowerFailures() {
    return Optional.ofNullable(longPowerFailures);
  }

  public List<PowerFailure> powerFailureLog() {
    return powerFailureLog;
  }

  public PhaseReadings l1() {
    return l1;
  }

  public PhaseReadings l2() {
    return l2;
  }

  public PhaseReadings l3() {
    return l3;
  }

  public Optional<String> textMessageCode() {
    return Optional.ofNullable(textMessageCode);
  }

  public Optional<String> textMessage() {
    return Optional.ofNullable(textMessage);
  }

  public List<MbusReading> mbus() {
    return mbus;
  }

  public List<CosemObject> unknown() {
    return unknown;
  }

  /** Equal when every component is equal, as a record's. */
  @Override
  public boolean equals(Object o) {
    return o == this || o instanceof Telegram t
        && Objects.equals(header, t.header)
        && Objects.equals(version, t.version)
        && Objects.equals(timestamp, t.timestamp)
        && Objects.equals(equipmentId, t.equipmentId)
        && Objects.equals(energyDeliveredTariff1, t.energyDeliveredTariff1)
        && Objects.equals(energyDeliveredTariff2, t.energyDeliveredTariff2)
        && Objects.equals(energyReturnedTariff1, t.energyReturnedTariff1)
        && Objects.equals(energyReturnedTariff2, t.energyReturnedTariff2)
        && Objects.equals(tariffIndicator, t.tariffIndicator)
        && Objects.equals(powerDelivered, t.powerDelivered)
        && Objects.equals(powerReturned, t.powerReturned)
        && Objects.equals(threshold, t.threshold)
        && Objects.equals(switchPosition, t.switchPosition)
        && Objects.equals(shortPowerFailures, t.shortPowerFailures)
        && Objects.equals(longPowerFailures, t.longPowerFailures)
        && Objects.equals(powerFailureLog, t.powerFailureLog)
        && Objects.equals(l1, t.l1)
        && Objects.equals(l2, t.l2)
        && Objects.equals(l3, t.l3)
        && Objects.equals(textMessageCode, t.textMessageCode)
        && Objects.equals(textMessage, t.textMessage)
        && Objects.equals(mbus, t.mbus)
        && Objects.equals(unknown, t.unknown);
  }

  @Override
  public int hashCode() {
    int h = 0;
    h = 31 * h + Objects.hashCode(header);
    h = 31 * h + Objects.hashCode(version);
    h = 31 * h + Objects.hashCode(timestamp);
    h = 31 * h + Objects.hashCode(equipmentId);
    h = 31 * h + Objects.hashCode(energyDeliveredTariff1);
    h = 31 * h + Objects.hashCode(energyDeliveredTariff2);
    h = 31 * h + Objects.hashCode(energyReturnedTariff1);
    h = 31 * h + Objects.hashCode(energyReturnedTariff2);
    h = 31 * h + Objects.hashCode(tariffIndicator);
    h = 31 * h + Objects.hashCode(powerDelivered);
    h = 31 * h + Objects.hashCode(powerReturned);
    h = 31 * h + Objects.hashCode(threshold);
    h = 31 * h + Objects.hashCode(switchPosition);
    h = 31 * h + Objects.hashCode(shortPowerFailures);
    h = 31 * h + Objects.hashCode(longPowerFailures);
    h = 31 * h + Objects.hashCode(powerFailureLog);
    h = 31 * h + Objects.hashCode(l1);
    h = 31 * h + Objects.hashCode(l2);
    h = 31 * h + Objects.hashCode(l3);
    h = 31 * h + Objects.hashCode(textMessageCode);
    h = 31 * h + Objects.hashCode(textMessage);
    h = 31 * h + Objects.hashCode(mbus);
    h = 31 * h + Objects.hashCode(unknown);
    return h;
  }

  /** As a record's: {@code Telegram[header=..., version=Optional[50], ...]}. */
  @Override
  public String toString() {
    return "Telegram[header=" + header
        + ", version=" + Optional.ofNullable(version)
        + ", timestamp=" + Optional.ofNullable(timestamp)
        + ", equipmentId=" + Optional.ofNullable(equipmentId)
        + ", energyDeliveredTariff1=" + Optional.ofNullable(energyDeliveredTariff1)
        + ", energyDeliveredTariff2=" + Optional.ofNullable(energyDeliveredTariff2)
        + ", energyReturnedTariff1=" + Optional.ofNullable(energyReturnedTariff1)
        + ", energyReturnedTariff2=" + Optional.ofNullable(energyReturnedTariff2)
        + ", tariffIndicator=" + Optional.ofNullable(tariffIndicator)
        + ", powerDelivered=" + Optional.ofNullable(powerDelivered)
        + ", powerReturned=" + Optional.ofNullable(powerReturned)
        + ", threshold=" + Optional.ofNullable(threshold)
        + ", switchPosition=" + Optional.ofNullable(switchPosition)
        + ", shortPowerFailures=" + Optional.ofNullable(shortPowerFailures)
        + ", longPowerFailures=" + Optional.ofNullable(longPowerFailures)
        + ", powerFailureLog=" + powerFailureLog
        + ", l1=" + l1
        + ", l2=" + l2
        + ", l3=" + l3
        + ", textMessageCode=" + Optional.ofNullable(textMessageCode)
        + ", textMessage=" + Optional.ofNullable(textMessage)
        + ", mbus=" + mbus
        + ", unknown=" + unknown + "]";
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
    b.version = version;
    b.timestamp = timestamp;
    b.equipmentId = equipmentId;
    b.energyDeliveredTariff1 = energyDeliveredTariff1;
    b.energyDeliveredTariff2 = energyDeliveredTariff2;
    b.energyReturnedTariff1 = energyReturnedTariff1;
    b.energyReturnedTariff2 = energyReturnedTariff2;
    b.tariffIndicator = tariffIndicator;
    b.powerDelivered = powerDelivered;
    b.powerReturned = powerReturned;
    b.threshold = threshold;
    b.switchPosition = switchPosition;
    b.shortPowerFailures = shortPowerFailures;
    b.longPowerFailures = longPowerFailures;
    b.textMessageCode = textMessageCode;
    b.textMessage = textMessage;
    b.powerFailureLog.addAll(powerFailureLog);
    b.l1 = l1;
    b.l2 = l2;
    b.l3 = l3;
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
      return new Telegram(header, version, timestamp, equipmentId, energyDeliveredTariff1, energyDeliveredTariff2,
          energyReturnedTariff1, energyReturnedTariff2, tariffIndicator, powerDelivered, powerReturned, threshold,
          switchPosition, shortPowerFailures, longPowerFailures, powerFailureLog, l1, l2, l3, textMessageCode,
          textMessage, mbus, unknown);
    }
  }
}

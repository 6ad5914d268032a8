package nl.sleutelbos.metering.validation;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import nl.sleutelbos.metering.dsmr.DsmrParser;
import nl.sleutelbos.metering.dsmr.MbusReading;
import nl.sleutelbos.metering.dsmr.PhaseReadings;
import nl.sleutelbos.metering.dsmr.Telegram;
import nl.sleutelbos.metering.dsmr.TelegramException;

/**
 * Decides what to do with a meter's telegram: reject it (CRC failure, unparseable) or accept it
 * with {@link QualityFlag}s. Pure: no clock, no storage; the caller passes the receive time and
 * the meter's previous state, and keeps {@link Verdict.Accepted#next()}. Thread-safe.
 *
 * <p>The checks, with the thresholds of {@link ValidationConfig}:
 * <ul>
 *   <li>time: later than receipt + futureTolerance → TIMESTAMP_IN_FUTURE; earlier than receipt −
 *       maxAge → TIMESTAMP_TOO_OLD; not after the previous accepted telegram → OUT_OF_ORDER (then
 *       registers and gap are not compared, and the state does not move back). A telegram
 *       without a time (DSMR 2.2/3) is taken to be of its receipt time.
 *   <li>registers: any cumulative register lower than in the previous state → REGISTER_DECREASED.
 *       The state then follows the meter, so one roll-back is flagged once, not forever after.
 *   <li>gap: more than (maxMissedIntervals + 1) × expectedInterval since the previous telegram → GAP.
 *   <li>capacity: actual power delivered or returned above phases × amperes × nominal voltage, or a
 *       phase current above the fuse rating, or a phase's power above its share, each beyond
 *       capacityTolerance → POWER_ABOVE_CAPACITY.
 *   <li>voltage: any phase voltage outside nominal ± voltageTolerance → VOLTAGE_OUT_OF_RANGE.
 * </ul>
 */
public final class ReadingValidator {

  private final ValidationConfig config;
  private final BigDecimal minVoltage;
  private final BigDecimal maxVoltage;
  private final BigDecimal overload;
  /** {@link ValidationConfig#gapAfter()}, worked out once: Duration.multipliedBy goes through BigDecimal. */
  private final Duration gapAfter;
  private final double minVoltageDouble;
  private final double maxVoltageDouble;
  private final Map<ConnectionCapacity, Limits> limits = new ConcurrentHashMap<>();

  public ReadingValidator(ValidationConfig config) {
    this.config = Objects.requireNonNull(config, "config is null");
    this.minVoltage = config.nominalVoltage().multiply(BigDecimal.ONE.subtract(config.voltageTolerance()));
    this.maxVoltage = config.nominalVoltage().multiply(BigDecimal.ONE.add(config.voltageTolerance()));
    this.overload = BigDecimal.ONE.add(config.capacityTolerance());
    this.gapAfter = config.gapAfter();
    this.minVoltageDouble = minVoltage.doubleValue();
    this.maxVoltageDouble = maxVoltage.doubleValue();
  }

  /** A validator with {@link ValidationConfig#DEFAULTS}. */
  public ReadingValidator() {
    this(ValidationConfig.DEFAULTS);
  }

  public ValidationConfig config() {
    return config;
  }

  /** Parses the telegram as received and validates it; a parse failure is the {@link Verdict.Rejected}. */
  public Verdict validate(Optional<MeterState> previous, ConnectionCapacity capacity, Instant receivedAt,
              byte[] telegram) {
    Objects.requireNonNull(telegram, "telegram is null");
    Telegram parsed;
    try {
      parsed = DsmrParser.parse(telegram);
    } catch (TelegramException e) {
      return Verdict.Rejected.of(e);
    }
    return validate(previous, capacity, receivedAt, parsed);
  }

  /** As {@link #validate(Optional, ConnectionCapacity, Instant, byte[])}, for a telegram received as text. */
  public Verdict validate(Optional<MeterState> previous, ConnectionCapacity capacity, Instant receivedAt,
              CharSequence telegram) {
    Objects.requireNonNull(telegram, "telegram is null");
    Telegram parsed;
    try {
      parsed = DsmrParser.parse(telegram);
    } catch (TelegramException e) {
      return Verdict.Rejected.of(e);
    }
    return validate(previous, capacity, receivedAt, parsed);
  }

  /** Validates a telegram that parsed (so its CRC, where it has one, was right). */
  public Verdict.Accepted validate(Optional<MeterState> previous, ConnectionCapacity capacity, Instant receivedAt,
                   Telegram telegram) {
    Objects.requireNonNull(previous, "previous is null");
    Objects.requireNonNull(capacity, "capacity is null");
    Objects.requireNonNull(receivedAt, "receivedAt is null");
    Objects.requireNonNull(telegram, "telegram is null");
    Set<QualityFlag> flags = EnumSet.noneOf(QualityFlag.class);
    List<String> details = new ArrayList<>();
    Instant time = check(previous, capacity, receivedAt, telegram, flags, details);
    MeterState next;
    if (previous.isEmpty()) {
      next = MeterState.of(telegram, receivedAt);
    } else if (!time.isAfter(previous.get().lastTimestamp())) {
      next = previous.get();
    } else {
      next = previous.get().advance(telegram, time);
    }
    return new Verdict.Accepted(telegram, flags, details, next);
  }

  /**
   * The flags {@link #validate(Optional, ConnectionCapacity, Instant, Telegram)} would give, without
   * its details or next state: for a caller that keeps the meter's state itself (the head-end's
   * ingest, per telegram), so that an unflagged telegram costs no text and no maps.
   */
  public Set<QualityFlag> flags(Optional<MeterState> previous, ConnectionCapacity capacity, Instant receivedAt,
      Telegram telegram) {
    Objects.requireNonNull(previous, "previous is null");
    Objects.requireNonNull(capacity, "capacity is null");
    Objects.requireNonNull(receivedAt, "receivedAt is null");
    Objects.requireNonNull(telegram, "telegram is null");
    Set<QualityFlag> flags = EnumSet.noneOf(QualityFlag.class);
    check(previous, capacity, receivedAt, telegram, flags, null);
    return flags;
  }

  /** Every check: adds the flags (and, when {@code details} is not null, their details); returns the telegram's time. */
  private Instant check(Optional<MeterState> previous, ConnectionCapacity capacity, Instant receivedAt,
      Telegram telegram, Set<QualityFlag> flags, List<String> details) {
    Instant time = telegram.timestamp().orElse(receivedAt);

    if (time.isAfter(receivedAt.plus(config.futureTolerance()))) {
      flag(flags, details, QualityFlag.TIMESTAMP_IN_FUTURE,
          "time " + time + " is " + Duration.between(receivedAt, time) + " after receipt at " + receivedAt);
    }
    if (time.isBefore(receivedAt.minus(config.maxAge()))) {
      flag(flags, details, QualityFlag.TIMESTAMP_TOO_OLD,
          "time " + time + " is " + Duration.between(time, receivedAt) + " before receipt at " + receivedAt);
    }

    if (previous.isEmpty()) {
      // The first telegram of its meter: nothing to compare with.
    } else if (!time.isAfter(previous.get().lastTimestamp())) {
      flag(flags, details, QualityFlag.OUT_OF_ORDER,
          "time " + time + " is not after the last accepted " + previous.get().lastTimestamp());
    } else {
      MeterState before = previous.get();
      if (!before.registers().isEmpty()) {
        decreased(before, "1-0:1.8.1", telegram.energyDeliveredTariff1(), flags, details);
        decreased(before, "1-0:1.8.2", telegram.energyDeliveredTariff2(), flags, details);
        decreased(before, "1-0:2.8.1", telegram.energyReturnedTariff1(), flags, details);
        decreased(before, "1-0:2.8.2", telegram.energyReturnedTariff2(), flags, details);
        for (MbusReading device : telegram.mbus()) {
          if (device.value().isPresent()) {
            decreased(before, MeterState.mbusRegister(device.channel()), device.value(), flags, details);
          }
        }
      }
      Duration silence = Duration.between(before.lastTimestamp(), time);
      if (silence.compareTo(gapAfter) > 0) {
        flag(flags, details, QualityFlag.GAP, silence + " since the last accepted telegram, expected every "
            + config.expectedInterval());
      }
    }

    checkCapacity(telegram, capacity, flags, details);
    checkVoltage(telegram, flags, details);
    return time;
  }

  /** A register lower than the state's last value of it: flagged (a roll-back). */
  private static void decreased(MeterState before, String obis, Optional<BigDecimal> now, Set<QualityFlag> flags,
      List<String> details) {
    if (now.isEmpty()) {
      return;
    }
    BigDecimal was = before.registers().get(obis);
    if (was != null && now.get().compareTo(was) < 0) {
      flag(flags, details, QualityFlag.REGISTER_DECREASED, obis + " went from " + was.toPlainString() + " to "
          + now.get().toPlainString());
    }
  }

  /** A capacity's limits, beyond the tolerance; worked out once per capacity, as there are few. */
  private record Limits(Limit maxKw, Limit maxPhaseKw, Limit maxAmperes) {}

  /** A limit, with the double nearest to it for {@link #exceeds}. */
  private record Limit(BigDecimal value, double approximately) {
    Limit(BigDecimal value) {
      this(value, value.doubleValue());
    }
  }

  private Limits limits(ConnectionCapacity capacity) {
    Limits known = limits.get(capacity);
    if (known != null) {
      return known;
    }
    return limits.computeIfAbsent(capacity, c -> new Limits(
        new Limit(c.maxPowerKw(config.nominalVoltage()).multiply(overload)),
        new Limit(config.nominalVoltage().multiply(BigDecimal.valueOf(c.amperesPerPhase())).movePointLeft(3)
            .multiply(overload)),
        new Limit(BigDecimal.valueOf(c.amperesPerPhase()).multiply(overload))));
  }

  /**
   * Whether {@code value > limit}, exactly, mostly without BigDecimal arithmetic: rounding to double
   * keeps order (a &lt;= b gives double(a) &lt;= double(b)), so unequal doubles already tell;
   * only equal ones need the exact comparison.
   */
  private static boolean exceeds(BigDecimal value, BigDecimal limit, double limitApproximately) {
    double v = value.doubleValue();
    if (v != limitApproximately) {
      return v > limitApproximately;
    }
    return value.compareTo(limit) > 0;
  }

  /** Whether {@code value < limit}, exactly, the way of {@link #exceeds}. */
  private static boolean below(BigDecimal value, BigDecimal limit, double limitApproximately) {
    double v = value.doubleValue();
    if (v != limitApproximately) {
      return v < limitApproximately;
    }
    return value.compareTo(limit) < 0;
  }

  private void checkCapacity(Telegram t, ConnectionCapacity capacity, Set<QualityFlag> flags, List<String> details) {
    Limits l = limits(capacity);
    above(t.powerDelivered(), l.maxKw(), 0, "power delivered", "kW", capacity, flags, details);
    above(t.powerReturned(), l.maxKw(), 0, "power returned", "kW", capacity, flags, details);
    for (int phase = 1; phase <= 3; phase++) {
      PhaseReadings p = t.phase(phase);
      above(p.current(), l.maxAmperes(), phase, "current", "A", capacity, flags, details);
      above(p.powerDelivered(), l.maxPhaseKw(), phase, "power delivered", "kW", capacity, flags, details);
      above(p.powerReturned(), l.maxPhaseKw(), phase, "power returned", "kW", capacity, flags, details);
    }
  }

  /** Flags a value above its limit; {@code phase} 0 for a total. The detail is only written for a flag. */
  private static void above(Optional<BigDecimal> value, Limit limit, int phase, String what, String unit,
                ConnectionCapacity capacity, Set<QualityFlag> flags, List<String> details) {
    BigDecimal max = limit.value();
    if (value.isPresent() && exceeds(value.get(), max, limit.approximately())) {
      flag(flags, details, QualityFlag.POWER_ABOVE_CAPACITY, (phase == 0 ? "" : "L" + phase + " ") + what + " "
          + value.get().toPlainString() + " " + unit + " above " + max.stripTrailingZeros().toPlainString() + " " + unit
          + " for " + capacity);
    }
  }

  private void checkVoltage(Telegram t, Set<QualityFlag> flags, List<String> details) {
    for (int phase = 1; phase <= 3; phase++) {
      Optional<BigDecimal> voltage = t.phase(phase).voltage();
      if (voltage.isPresent() && (below(voltage.get(), minVoltage, minVoltageDouble)
          || exceeds(voltage.get(), maxVoltage, maxVoltageDouble))) {
        flag(flags, details, QualityFlag.VOLTAGE_OUT_OF_RANGE, "L" + phase + " voltage "
            + voltage.get().toPlainString() + " V outside " + minVoltage.stripTrailingZeros().toPlainString()
            + ".." + maxVoltage.stripTrailingZeros().toPlainString() + " V");
      }
    }
  }

  private static void flag(Set<QualityFlag> flags, List<String> details, QualityFlag flag, String detail) {
    flags.add(flag);
    if (details != null) {
      details.add(flag + ": " + detail);
    }
  }
}

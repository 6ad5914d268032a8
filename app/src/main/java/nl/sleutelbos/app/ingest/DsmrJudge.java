package nl.sleutelbos.app.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import nl.sleutelbos.metering.dsmr.Telegram;
import nl.sleutelbos.metering.validation.ConnectionCapacity;
import nl.sleutelbos.metering.validation.MeterState;
import nl.sleutelbos.metering.validation.QualityFlag;
import nl.sleutelbos.metering.validation.ReadingValidator;

/**
 * The metering module's {@link ReadingValidator} on what the meter's entity remembers: the time of
 * its newest reading ({@code dateLastValueReported}), its energy registers, and the connection's
 * capacity ({@code connectionCapacity}: a number of amperes per phase, or text such as
 * {@code 3x25A}). Without a stated capacity a meter is taken to have the common Dutch
 * connection for its phases: 3x25 A, or 1x40 A for a single-phase telegram. The M-Bus devices'
 * registers live on their own entities and are not compared here.
 */
final class DsmrJudge implements MeterModel.Judge {
  private static final ConnectionCapacity THREE_PHASE = new ConnectionCapacity(3, 25);
  private static final ConnectionCapacity ONE_PHASE = new ConnectionCapacity(1, 40);

  private final ReadingValidator validator = new ReadingValidator();

  @Override
  public List<String> flags(Reading reading, MeterModel.Before before) {
    Optional<MeterState> previous = before.time().map(time -> new MeterState(time, registers(before.latest())));
    return flags((Telegram) reading.source(), reading.receivedAt(), previous, before.capacity());
  }

  /**
   * The flags of a telegram received at {@code receivedAt}, after the meter's {@code previous}
   * state (empty: none to compare with), on a connection of the {@code capacity} its entity states.
   */
  List<String> flags(Telegram telegram, Instant receivedAt, Optional<MeterState> previous,
      Optional<JsonNode> capacity) {
    // Only the flags: the ingest keeps the meter's state itself (MeterStates).
    Set<QualityFlag> flags = validator.flags(previous, capacity(telegram, capacity), receivedAt, telegram);
    if (flags.isEmpty()) {
      return List.of();
    }
    return flags.stream().map(QualityFlag::name).sorted().toList();
  }

  /** The energy registers among a meter's latest values, as the validator compares them (by OBIS). */
  static Map<String, BigDecimal> registers(List<Reading.Measure> latest) {
    Map<String, BigDecimal> registers = new HashMap<>(8);
    for (Reading.Measure m : latest) {
      String obis = obis(m.code());
      JsonNode v = m.value();
      if (obis != null && v.isNumber()) {
        registers.put(obis, BigDecimal.valueOf(v.doubleValue()));
      }
    }
    return registers;
  }

  /**
   * The energy registers of a telegram, as {@link #registers(List)} gives them once the telegram is
   * stored: each value is kept as a double, so it is compared as {@code BigDecimal.valueOf} of that
   * double. A value of at most 15 significant digits (every real meter's) survives the double
   * unchanged, so it is kept as it is, without the double's round trip through text.
   */
  static Map<String, BigDecimal> registers(Telegram t) {
    BigDecimal c1 = t.energyDeliveredTariff1().map(DsmrJudge::stored).orElse(null);
    BigDecimal c2 = t.energyDeliveredTariff2().map(DsmrJudge::stored).orElse(null);
    BigDecimal p1 = t.energyReturnedTariff1().map(DsmrJudge::stored).orElse(null);
    BigDecimal p2 = t.energyReturnedTariff2().map(DsmrJudge::stored).orElse(null);
    if (c1 != null && c2 != null && p1 != null && p2 != null) {
      return Map.of(OBIS_C1, c1, OBIS_C2, c2, OBIS_P1, p1, OBIS_P2, p2);
    }
    Map<String, BigDecimal> registers = new HashMap<>(8);
    if (c1 != null) {
      registers.put(OBIS_C1, c1);
    }
    if (c2 != null) {
      registers.put(OBIS_C2, c2);
    }
    if (p1 != null) {
      registers.put(OBIS_P1, p1);
    }
    if (p2 != null) {
      registers.put(OBIS_P2, p2);
    }
    return Map.copyOf(registers);
  }

  private static BigDecimal stored(BigDecimal v) {
    return v.precision() <= 15 ? v : BigDecimal.valueOf(v.doubleValue());
  }

  private static final String OBIS_C1 = "1-0:1.8.1";
  private static final String OBIS_C2 = "1-0:1.8.2";
  private static final String OBIS_P1 = "1-0:2.8.1";
  private static final String OBIS_P2 = "1-0:2.8.2";

  /** The OBIS reference of an energy register's measure code ({@link DsmrDecoder}), or null. */
  private static String obis(String code) {
    return switch (code) {
      case "c1" -> OBIS_C1;
      case "c2" -> OBIS_C2;
      case "p1" -> OBIS_P1;
      case "p2" -> OBIS_P2;
      default -> null;
    };
  }

  private static ConnectionCapacity capacity(Telegram telegram, Optional<JsonNode> capacity) {
    int phases = telegram.l2().isEmpty() && telegram.l3().isEmpty() ? 1 : 3;
    if (capacity.isPresent()) {
      JsonNode stated = capacity.get();
      try {
        if (stated.isNumber()) {
          return new ConnectionCapacity(phases, stated.intValue());
        }
        if (stated.isTextual()) {
          return ConnectionCapacity.parse(stated.asText());
        }
      } catch (IllegalArgumentException e) {
        // A capacity we cannot read is no capacity: the default below.
      }
    }
    return phases == 3 ? THREE_PHASE : ONE_PHASE;
  }
}

package nl.sleutelbos.app.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
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
    Telegram telegram = (Telegram) reading.source();
    Optional<MeterState> previous = before.time().map(time -> {
      Map<String, BigDecimal> registers = new HashMap<>(8);
      for (Reading.Measure m : before.latest()) {
        String obis = obis(m.code());
        JsonNode v = m.value();
        if (obis != null && v.isNumber()) {
          registers.put(obis, BigDecimal.valueOf(v.doubleValue()));
        }
      }
      return new MeterState(time, registers);
    });
    // Only the flags: the ingest keeps the meter's state itself (MeterStates).
    Set<QualityFlag> flags = validator.flags(previous, capacity(telegram, before), reading.receivedAt(), telegram);
    if (flags.isEmpty()) {
      return List.of();
    }
    return flags.stream().map(QualityFlag::name).sorted().toList();
  }

  /** The OBIS reference of an energy register's measure code ({@link DsmrDecoder}), or null. */
  private static String obis(String code) {
    return switch (code) {
      case "c1" -> "1-0:1.8.1";
      case "c2" -> "1-0:1.8.2";
      case "p1" -> "1-0:2.8.1";
      case "p2" -> "1-0:2.8.2";
      default -> null;
    };
  }

  private static ConnectionCapacity capacity(Telegram telegram, MeterModel.Before before) {
    int phases = telegram.l2().isEmpty() && telegram.l3().isEmpty() ? 1 : 3;
    if (before.capacity().isPresent()) {
      JsonNode stated = before.capacity().get();
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

package nl.sleutelbos.metering.sim;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import nl.sleutelbos.metering.dsmr.Crc16Arc;
import nl.sleutelbos.metering.dsmr.MbusReading;
import nl.sleutelbos.metering.dsmr.PhaseReadings;
import nl.sleutelbos.metering.dsmr.PowerFailure;
import nl.sleutelbos.metering.dsmr.Telegram;
import nl.sleutelbos.metering.dsmr.TelegramWriter;
import nl.sleutelbos.metering.dsmr.Unit;

/**
 * A {@link Reading} as a DSMR 5.0.2 P1 telegram, written by the metering module's own
 * {@link TelegramWriter}: what the head-end's parser reads is what the simulator meant.
 */
final class P1Text {
  /** Every simulated meter remembers one long power failure, as most real ones do. */
  private static final PowerFailure OLD_FAILURE = new PowerFailure(Instant.parse("2025-09-14T03:12:40Z"), Duration.ofSeconds(240));

  private P1Text() {}

  static Telegram telegram(Reading r) {
    Telegram.Builder b = Telegram.builder("/" + r.header())
        .version("50")
        .timestamp(r.timestamp())
        .equipmentId(r.equipmentId())
        .energyDeliveredTariff1(BigDecimal.valueOf(r.delivered1(), 3))
        .energyDeliveredTariff2(BigDecimal.valueOf(r.delivered2(), 3))
        .energyReturnedTariff1(BigDecimal.valueOf(r.returned1(), 3))
        .energyReturnedTariff2(BigDecimal.valueOf(r.returned2(), 3))
        .tariffIndicator(r.tariff())
        .powerDelivered(BigDecimal.valueOf(r.powerDelivered(), 3))
        .powerReturned(BigDecimal.valueOf(r.powerReturned(), 3))
        .shortPowerFailures(4L)
        .longPowerFailures(1L)
        .addPowerFailure(OLD_FAILURE)
        .textMessage("");
    for (int p = 0; p < r.phases().size(); p++) {
      Reading.Phase phase = r.phases().get(p);
      PhaseReadings readings = new PhaseReadings(Optional.of(BigDecimal.valueOf(phase.voltage(), 1)),
          Optional.of(BigDecimal.valueOf(phase.current())), Optional.of(BigDecimal.valueOf(phase.delivered(), 3)),
          Optional.of(BigDecimal.valueOf(phase.returned(), 3)), Optional.of(0L), Optional.of(0L));
      switch (p) {
        case 0 -> b.l1(readings);
        case 1 -> b.l2(readings);
        default -> b.l3(readings);
      }
    }
    r.gas().ifPresent(g -> b.mbus(MbusReading.of(1, MbusReading.GAS, g.equipmentId(), g.measuredAt(),
        BigDecimal.valueOf(g.litres(), 3), Unit.M3)));
    return b.build();
  }

  static String write(Reading r) {
    return TelegramWriter.write(telegram(r));
  }

  /** The same telegram with a CRC that does not match its bytes, as after a transmission error. */
  static String withWrongCrc(String text) {
    int bang = text.lastIndexOf('!');
    int right = Crc16Arc.of(text.substring(0, bang + 1));
    return text.substring(0, bang + 1) + Crc16Arc.format(right ^ 0x5a5a) + text.substring(bang + 5);
  }
}

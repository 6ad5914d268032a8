package nl.sleutelbos.app.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import nl.sleutelbos.metering.dsmr.MbusReading;
import nl.sleutelbos.metering.dsmr.PhaseReadings;
import nl.sleutelbos.metering.dsmr.Telegram;
import nl.sleutelbos.metering.dsmr.TelegramWriter;
import nl.sleutelbos.metering.dsmr.Unit;

/** DSMR 5 telegrams for the ingest tests, written by the metering module's {@link TelegramWriter}. */
final class Telegrams {
  private Telegrams() {}

  /** A meter id nobody else uses: letters and digits, like a real equipment id. */
  static String newMeter() {
    return "E" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase();
  }

  /**
   * A single-phase DSMR 5 telegram: registers growing with {@code step}, power {@code kw},
   * 230 V plus a tenth of a volt per step, and a gas meter ({@code gasId}, hourly value) when {@code gasId} is not null.
   */
  static Telegram telegram(String meter, Instant time, int step, double kw, String gasId) {
    Telegram.Builder b = Telegram.builder("/ISk5\\2MT382-1000")
        .version("50")
        .timestamp(time)
        .equipmentId(meter)
        .energyDeliveredTariff1(kwh(1000 + step * 0.25))
        .energyDeliveredTariff2(kwh(2000))
        .energyReturnedTariff1(kwh(0))
        .energyReturnedTariff2(kwh(0))
        .tariffIndicator(1)
        .powerDelivered(new BigDecimal(String.format(java.util.Locale.ROOT, "%.3f", kw)))
        .powerReturned(new BigDecimal("0.000"))
        .shortPowerFailures(4L)
        .longPowerFailures(2L)
        .l1(new PhaseReadings(Optional.of(new BigDecimal(String.format(java.util.Locale.ROOT, "%.1f", 230 + step / 10.0))), Optional.of(new BigDecimal(Math.round(kw * 1000 / 230))),
            Optional.of(new BigDecimal(String.format(java.util.Locale.ROOT, "%.3f", kw))), Optional.of(new BigDecimal("0.000")),
            Optional.of(0L), Optional.of(0L)));
    if (gasId != null) {
      Instant hour = time.truncatedTo(java.time.temporal.ChronoUnit.HOURS);
      b.mbus(MbusReading.of(1, MbusReading.GAS, gasId, hour,
          new BigDecimal(String.format(java.util.Locale.ROOT, "%.3f", 500 + hour.getEpochSecond() % 100_000 / 3600.0)), Unit.M3));
    }
    return b.build();
  }

  static String text(String meter, Instant time, int step, double kw, String gasId) {
    return TelegramWriter.write(telegram(meter, time, step, kw, gasId));
  }

  static String text(Telegram t) {
    return TelegramWriter.write(t);
  }

  /** The telegram with one character of its body changed, so its CRC no longer matches. */
  static String corrupted(String telegram) {
    int at = telegram.indexOf("1-0:1.7.0(") + "1-0:1.7.0(".length();
    char c = telegram.charAt(at);
    return telegram.substring(0, at) + (c == '9' ? '8' : (char) (c + 1)) + telegram.substring(at + 1);
  }

  private static BigDecimal kwh(double v) {
    return new BigDecimal(String.format(java.util.Locale.ROOT, "%.3f", v));
  }
}

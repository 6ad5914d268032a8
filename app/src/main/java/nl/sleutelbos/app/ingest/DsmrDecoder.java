package nl.sleutelbos.app.ingest;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import nl.sleutelbos.identity.Organisation;
import nl.sleutelbos.metering.dsmr.DsmrParser;
import nl.sleutelbos.metering.dsmr.MbusReading;
import nl.sleutelbos.metering.dsmr.PhaseReadings;
import nl.sleutelbos.metering.dsmr.Telegram;
import nl.sleutelbos.metering.dsmr.TelegramException;
import nl.sleutelbos.metering.dsmr.Unit;

/**
 * DSMR P1 telegrams to {@link Reading}s: which OBIS object becomes which attribute of the meter's
 * Device entity, with which UN/CEFACT unit.
 *
 * <table>
 * <caption>The meter entity's attributes</caption>
 * <tr><th>attribute</th><th>datasetId</th><th>OBIS</th><th>unit</th><th>history</th></tr>
 * <tr><td>energyConsumed</td><td>tariff1, tariff2</td><td>1-0:1.8.1, 1-0:1.8.2</td><td>KWH</td><td>on change</td></tr>
 * <tr><td>energyProduced</td><td>tariff1, tariff2</td><td>1-0:2.8.1, 1-0:2.8.2</td><td>KWH</td><td>on change</td></tr>
 * <tr><td>activePower</td><td>-</td><td>1-0:1.7.0</td><td>KWT</td><td>every telegram</td></tr>
 * <tr><td>activePowerProduced</td><td>-</td><td>1-0:2.7.0</td><td>KWT</td><td>every telegram</td></tr>
 * <tr><td>voltage</td><td>L1, L2, L3</td><td>1-0:32.7.0, 52.7.0, 72.7.0</td><td>VLT</td><td>every telegram</td></tr>
 * <tr><td>current</td><td>L1, L2, L3</td><td>1-0:31.7.0, 51.7.0, 71.7.0</td><td>AMP</td><td>every telegram</td></tr>
 * <tr><td>tariff</td><td>-</td><td>0-0:96.14.0</td><td>-</td><td>on change</td></tr>
 * <tr><td>powerFailures, longPowerFailures</td><td>-</td><td>0-0:96.7.21, 0-0:96.7.9</td><td>-</td><td>on change</td></tr>
 * <tr><td>voltageSags, voltageSwells</td><td>L1, L2, L3</td><td>1-0:32.32.0 ... 72.36.0</td><td>-</td><td>on change</td></tr>
 * <tr><td>textMessage</td><td>-</td><td>0-0:96.13.0</td><td>-</td><td>on change</td></tr>
 * <tr><td>dsmrVersion</td><td>-</td><td>1-3:0.2.8</td><td>-</td><td>on change</td></tr>
 * </table>
 *
 * <p>M-Bus devices become {@code <kind>Consumed} of their own Device entity: gas and water in MTQ,
 * heat in GJ. Telegrams of DSMR 2.2 and 3 carry no timestamp: they are timed by their receipt,
 * to the second.
 */
final class DsmrDecoder implements Decoder {
  static final String TARIFF1 = "urn:ngsi-ld:dataset:tariff1";
  static final String TARIFF2 = "urn:ngsi-ld:dataset:tariff2";
  /** The measures' places in the row's table ({@link ReadingCodec#DEFS}), looked up once. */
  private static final int C1 = ReadingCodec.def("c1");
  private static final int C2 = ReadingCodec.def("c2");
  private static final int P1 = ReadingCodec.def("p1");
  private static final int P2 = ReadingCodec.def("p2");
  private static final int AP = ReadingCodec.def("ap");
  private static final int PP = ReadingCodec.def("pp");
  private static final int[] VOLTAGE = {ReadingCodec.def("v1"), ReadingCodec.def("v2"), ReadingCodec.def("v3")};
  private static final int[] CURRENT = {ReadingCodec.def("i1"), ReadingCodec.def("i2"), ReadingCodec.def("i3")};
  private static final int[] SAGS = {ReadingCodec.def("sg1"), ReadingCodec.def("sg2"), ReadingCodec.def("sg3")};
  private static final int[] SWELLS = {ReadingCodec.def("sw1"), ReadingCodec.def("sw2"), ReadingCodec.def("sw3")};
  private static final int TARIFF = ReadingCodec.def("t");
  private static final int POWER_FAILURES = ReadingCodec.def("pf");
  private static final int LONG_POWER_FAILURES = ReadingCodec.def("lf");
  private static final int TEXT_MESSAGE = ReadingCodec.def("tm");
  private static final int DSMR_VERSION = ReadingCodec.def("dv");
  /** Where the equipment id sits, to count a refused telegram on the meter it names. */
  private static final String EQUIPMENT = "0-0:96.1.1(";

  @Override
  public Reading decode(int slot, Submission s) throws Refusal {
    Instant receivedAt = s.receivedAt();
    Telegram t;
    try {
      t = DsmrParser.parse(s.bytes(), s.offset(), s.length());
    } catch (TelegramException e) {
      TelegramResult.Reason reason = switch (e.reason()) {
        case CRC_MISMATCH, CRC_MISSING -> TelegramResult.Reason.CRC;
        default -> TelegramResult.Reason.MALFORMED;
      };
      throw new Refusal(reason, e.getMessage(), namedMeter(s.telegram()));
    }
    if (t.equipmentId().isEmpty() || t.equipmentId().get().isBlank()) {
      throw new Refusal(TelegramResult.Reason.INCOMPLETE, "the telegram has no equipment identifier (0-0:96.1.1)", null);
    }
    String meter = t.equipmentId().get();
    if (!Organisation.isName(meter)) {
      throw new Refusal(TelegramResult.Reason.MALFORMED, "equipment identifier '" + meter
          + "' is not 1 to 64 of A-Z a-z 0-9 . _ -", null);
    }
    Instant time = t.timestamp().orElse(receivedAt.truncatedTo(ChronoUnit.SECONDS));
    List<Reading.SubMeter> devices = new ArrayList<>(1);
    for (MbusReading d : t.mbus()) {
      if (d.equipmentId().isPresent() && d.value().isPresent() && Organisation.isName(d.equipmentId().get())) {
        devices.add(new Reading.SubMeter(kind(d), d.equipmentId().get(), d.timestamp().orElse(time),
            d.value().get().doubleValue(), d.unit().map(DsmrDecoder::unitCode)));
      }
    }
    // The measures go straight into the row, in the table's order (ReadingCodec.Writer); the
    // Reading reads them back from it only if someone asks.
    ReadingCodec.Writer row = new ReadingCodec.Writer();
    number(row, C1, t.energyDeliveredTariff1());
    number(row, C2, t.energyDeliveredTariff2());
    number(row, P1, t.energyReturnedTariff1());
    number(row, P2, t.energyReturnedTariff2());
    number(row, AP, t.powerDelivered());
    number(row, PP, t.powerReturned());
    for (int p = 0; p < 3; p++) {
      PhaseReadings phase = t.phase(p + 1);
      number(row, VOLTAGE[p], phase.voltage());
      number(row, CURRENT[p], phase.current());
      count(row, SAGS[p], phase.voltageSags());
      count(row, SWELLS[p], phase.voltageSwells());
    }
    if (t.tariffIndicator().isPresent()) {
      row.count(TARIFF, t.tariffIndicator().get());
    }
    count(row, POWER_FAILURES, t.shortPowerFailures());
    count(row, LONG_POWER_FAILURES, t.longPowerFailures());
    if (t.textMessage().isPresent()) {
      row.text(TEXT_MESSAGE, t.textMessage().get());
    }
    if (t.version().isPresent()) {
      row.text(DSMR_VERSION, t.version().get());
    }
    return new Reading(slot, meter, time, receivedAt, new ReadingCodec.Row(row.finish(devices), devices), devices, t);
  }

  private static void number(ReadingCodec.Writer row, int def, Optional<BigDecimal> value) {
    if (value.isPresent()) {
      row.number(def, value.get().doubleValue());
    }
  }

  private static void count(ReadingCodec.Writer row, int def, Optional<Long> value) {
    if (value.isPresent()) {
      row.count(def, value.get());
    }
  }

  private static String kind(MbusReading d) {
    int type = d.deviceType().orElse(-1);
    return switch (type) {
      case MbusReading.GAS -> "gas";
      case MbusReading.WATER -> "water";
      case MbusReading.HEAT -> "heat";
      default -> d.unit().map(u -> u == Unit.GJ ? "heat" : u == Unit.M3 ? "gas" : "electricity").orElse("device");
    };
  }

  private static String unitCode(Unit unit) {
    return switch (unit) {
      case KWH -> "KWH";
      case KW -> "KWT";
      case V -> "VLT";
      case A -> "AMP";
      case M3 -> "MTQ";
      case GJ -> "GJ";
      case S -> "SEC";
    };
  }

  /** The equipment id a telegram that did not parse names, if it names one readably; else null. */
  static String namedMeter(String text) {
    int at = text.indexOf(EQUIPMENT);
    if (at < 0) {
      return null;
    }
    int end = text.indexOf(')', at);
    if (end < 0 || end - at > 140) {
      return null;
    }
    String hex = text.substring(at + EQUIPMENT.length(), end);
    if (hex.isEmpty() || hex.length() % 2 != 0) {
      return null;
    }
    StringBuilder id = new StringBuilder();
    for (int i = 0; i < hex.length(); i += 2) {
      int c;
      try {
        c = Integer.parseInt(hex, i, i + 2, 16);
      } catch (NumberFormatException e) {
        return null;
      }
      id.append((char) c);
    }
    String meter = id.toString();
    return Organisation.isName(meter) ? meter : null;
  }
}

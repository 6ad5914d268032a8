package nl.sleutelbos.app.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import nl.sleutelbos.metering.dsmr.DsmrParser;
import nl.sleutelbos.metering.dsmr.MbusReading;
import nl.sleutelbos.metering.dsmr.PhaseReadings;
import nl.sleutelbos.metering.dsmr.Telegram;
import nl.sleutelbos.metering.dsmr.TelegramException;
import nl.sleutelbos.metering.dsmr.Unit;
import nl.sleutelbos.ngsild.Json;

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
  private static final String[] PHASES = {"urn:ngsi-ld:dataset:L1", "urn:ngsi-ld:dataset:L2", "urn:ngsi-ld:dataset:L3"};
  /** The measure codes per phase, made once rather than per telegram. */
  private static final String[] VOLTAGE = {"v1", "v2", "v3"};
  private static final String[] CURRENT = {"i1", "i2", "i3"};
  private static final String[] SAGS = {"sg1", "sg2", "sg3"};
  private static final String[] SWELLS = {"sw1", "sw2", "sw3"};
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
    if (!nl.sleutelbos.identity.Organisation.NAME.matcher(meter).matches()) {
      throw new Refusal(TelegramResult.Reason.MALFORMED, "equipment identifier '" + meter
          + "' is not 1 to 64 of A-Z a-z 0-9 . _ -", null);
    }
    Instant time = t.timestamp().orElse(receivedAt.truncatedTo(ChronoUnit.SECONDS));
    List<Reading.Measure> m = new ArrayList<>(24);
    number(m, "energyConsumed", TARIFF1, "c1", t.energyDeliveredTariff1(), "KWH", false);
    number(m, "energyConsumed", TARIFF2, "c2", t.energyDeliveredTariff2(), "KWH", false);
    number(m, "energyProduced", TARIFF1, "p1", t.energyReturnedTariff1(), "KWH", false);
    number(m, "energyProduced", TARIFF2, "p2", t.energyReturnedTariff2(), "KWH", false);
    number(m, "activePower", null, "ap", t.powerDelivered(), "KWT", true);
    number(m, "activePowerProduced", null, "pp", t.powerReturned(), "KWT", true);
    for (int p = 0; p < 3; p++) {
      PhaseReadings phase = t.phase(p + 1);
      number(m, "voltage", PHASES[p], VOLTAGE[p], phase.voltage(), "VLT", true);
      number(m, "current", PHASES[p], CURRENT[p], phase.current(), "AMP", true);
      count(m, "voltageSags", PHASES[p], SAGS[p], phase.voltageSags());
      count(m, "voltageSwells", PHASES[p], SWELLS[p], phase.voltageSwells());
    }
    t.tariffIndicator().ifPresent(v -> m.add(measure("tariff", null, "t", Json.NODES.numberNode(v), null, false)));
    count(m, "powerFailures", null, "pf", t.shortPowerFailures());
    count(m, "longPowerFailures", null, "lf", t.longPowerFailures());
    t.textMessage().ifPresent(v -> m.add(measure("textMessage", null, "tm", Json.NODES.textNode(v), null, false)));
    t.version().ifPresent(v -> m.add(measure("dsmrVersion", null, "dv", Json.NODES.textNode(v), null, false)));
    List<Reading.SubMeter> devices = new ArrayList<>(1);
    for (MbusReading d : t.mbus()) {
      if (d.equipmentId().isPresent() && d.value().isPresent()
          && nl.sleutelbos.identity.Organisation.NAME.matcher(d.equipmentId().get()).matches()) {
        devices.add(new Reading.SubMeter(kind(d), d.equipmentId().get(), d.timestamp().orElse(time),
            d.value().get().doubleValue(), d.unit().map(DsmrDecoder::unitCode)));
      }
    }
    return new Reading(slot, meter, time, receivedAt, m, devices, t);
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

  private static void number(List<Reading.Measure> out, String attribute, String datasetId, String code,
      Optional<BigDecimal> value, String unit, boolean history) {
    value.ifPresent(v -> out.add(measure(attribute, datasetId, code, Json.NODES.numberNode(v.doubleValue()), unit, history)));
  }

  private static void count(List<Reading.Measure> out, String attribute, String datasetId, String code,
      Optional<Long> value) {
    value.ifPresent(v -> out.add(measure(attribute, datasetId, code, Json.NODES.numberNode(v), null, false)));
  }

  private static Reading.Measure measure(String attribute, String datasetId, String code, JsonNode value, String unit,
      boolean history) {
    return new Reading.Measure(attribute, Optional.ofNullable(datasetId), code, value, Optional.ofNullable(unit), history);
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
    return nl.sleutelbos.identity.Organisation.NAME.matcher(meter).matches() ? meter : null;
  }
}

package nl.sleutelbos.metering.dsmr;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Writes a {@link Telegram} as a DSMR 5.0.2 P1 telegram: CR LF line ends, the objects in the order
 * of the standard's example, fixed-width numbers (e.g. {@code F9(3)} as {@code 000123.456}), text as
 * hex, then {@code !} and the CRC-16/ARC. Absent fields are left out; objects DSMR 5 dropped
 * (threshold, switch position, message code, valve position) are written when present, so nothing
 * is lost. A number is written with the standard's decimals, or with more when its scale has more,
 * so {@code DsmrParser.parse(write(t))} equals {@code t} whenever every quantity has at least the
 * standard's scale (which is what the parser gives for DSMR 5 telegrams).
 */
public final class TelegramWriter {

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private TelegramWriter() {
  }

  /** The telegram as text, CRC included, ending in CR LF. */
  public static String write(Telegram t) {
    Objects.requireNonNull(t, "telegram is null");
    StringBuilder out = new StringBuilder(1024);
    out.append(t.header()).append("\r\n\r\n");
    String version = t.version().orElse(null);
    if (version != null) {
      line(out, "1-3:0.2.8").append(version).append(")\r\n");
    }
    Instant timestamp = t.timestamp().orElse(null);
    if (timestamp != null) {
      time(line(out, "0-0:1.0.0"), timestamp).append(")\r\n");
    }
    String equipmentId = t.equipmentId().orElse(null);
    if (equipmentId != null) {
      hex(line(out, "0-0:96.1.1"), equipmentId).append(")\r\n");
    }
    quantity(out, "1-0:1.8.1", t.energyDeliveredTariff1().orElse(null), 6, 3, Unit.KWH);
    quantity(out, "1-0:1.8.2", t.energyDeliveredTariff2().orElse(null), 6, 3, Unit.KWH);
    quantity(out, "1-0:2.8.1", t.energyReturnedTariff1().orElse(null), 6, 3, Unit.KWH);
    quantity(out, "1-0:2.8.2", t.energyReturnedTariff2().orElse(null), 6, 3, Unit.KWH);
    Integer tariff = t.tariffIndicator().orElse(null);
    if (tariff != null) {
      padded(line(out, "0-0:96.14.0"), tariff, 4).append(")\r\n");
    }
    quantity(out, "1-0:1.7.0", t.powerDelivered().orElse(null), 2, 3, Unit.KW);
    quantity(out, "1-0:2.7.0", t.powerReturned().orElse(null), 2, 3, Unit.KW);
    Quantity q = t.threshold().orElse(null);
    if (q != null) {
      number(line(out, "0-0:17.0.0"), q.value(), 3, q.unit() == Unit.KW ? 1 : 0)
          .append('*').append(q.unit().symbol()).append(")\r\n");
    }
    Integer position = t.switchPosition().orElse(null);
    if (position != null) {
      padded(line(out, "0-0:96.3.10"), position, 1).append(")\r\n");
    }
    count(out, "0-0:96.7.21", t.shortPowerFailures().orElse(null));
    count(out, "0-0:96.7.9", t.longPowerFailures().orElse(null));
    if (!t.powerFailureLog().isEmpty()) {
      List<PowerFailure> log = t.powerFailureLog();
      line(out, "1-0:99.97.0").append(log.size()).append(")(0-0:96.7.19)");
      for (PowerFailure failure : log) {
        time(out.append('('), failure.end()).append(")(");
        padded(out, failure.duration().getSeconds(), 10).append("*s)");
      }
      out.append("\r\n");
    }
    String[] sags = {"1-0:32.32.0", "1-0:52.32.0", "1-0:72.32.0"};
    String[] swells = {"1-0:32.36.0", "1-0:52.36.0", "1-0:72.36.0"};
    for (int i = 0; i < 3; i++) {
      count(out, sags[i], t.phase(i + 1).voltageSags().orElse(null));
    }
    for (int i = 0; i < 3; i++) {
      count(out, swells[i], t.phase(i + 1).voltageSwells().orElse(null));
    }
    String code = t.textMessageCode().orElse(null);
    if (code != null) {
      line(out, "0-0:96.13.1").append(code).append(")\r\n");
    }
    String message = t.textMessage().orElse(null);
    if (message != null) {
      hex(line(out, "0-0:96.13.0"), message).append(")\r\n");
    }
    String[] c = {"32", "52", "72"};
    for (int i = 0; i < 3; i++) {
      quantity(out, "1-0:" + c[i] + ".7.0", t.phase(i + 1).voltage().orElse(null), 3, 1, Unit.V);
    }
    String[] a = {"31", "51", "71"};
    for (int i = 0; i < 3; i++) {
      quantity(out, "1-0:" + a[i] + ".7.0", t.phase(i + 1).current().orElse(null), 3, 0, Unit.A);
    }
    String[] plus = {"21", "41", "61"};
    for (int i = 0; i < 3; i++) {
      quantity(out, "1-0:" + plus[i] + ".7.0", t.phase(i + 1).powerDelivered().orElse(null), 2, 3, Unit.KW);
    }
    String[] minus = {"22", "42", "62"};
    for (int i = 0; i < 3; i++) {
      quantity(out, "1-0:" + minus[i] + ".7.0", t.phase(i + 1).powerReturned().orElse(null), 2, 3, Unit.KW);
    }
    for (MbusReading device : t.mbus()) {
      String n = "0-" + device.channel() + ":";
      Integer type = device.deviceType().orElse(null);
      if (type != null) {
        padded(line(out, n + "24.1.0"), type, 3).append(")\r\n");
      }
      String id = device.equipmentId().orElse(null);
      if (id != null) {
        hex(line(out, n + "96.1.0"), id).append(")\r\n");
      }
      BigDecimal value = device.value().orElse(null);
      Instant time = device.timestamp().orElse(null);
      if (value != null) {
        if (time == null) {
          throw new IllegalArgumentException("an M-Bus value needs its timestamp in DSMR 5: channel "
              + device.channel());
        }
        line(out, n + "24.2.1");
        time(out, time).append(")(");
        number(out, value, 5, 3).append('*').append(device.unit().orElseThrow().symbol()).append(")\r\n");
      } else if (time != null) {
        throw new IllegalArgumentException("an M-Bus timestamp needs its value: channel " + device.channel());
      }
      Integer valve = device.valvePosition().orElse(null);
      if (valve != null) {
        padded(line(out, n + "24.4.0"), valve, 1).append(")\r\n");
      }
    }
    for (CosemObject object : t.unknown()) {
      out.append(object.obis());
      for (String value : object.values()) {
        if (value.chars().anyMatch(ch -> ch == '(' || ch == ')' || ch == '!' || ch == '\r' || ch == '\n' || ch > 0xFF)) {
          throw new IllegalArgumentException("a value of " + object.obis() + " holds a bracket, '!' or a line end");
        }
        out.append('(').append(value).append(')');
      }
      out.append("\r\n");
    }
    out.append('!');
    out.append(Crc16Arc.format(Crc16Arc.of(out))).append("\r\n");
    return out.toString();
  }

  private static StringBuilder line(StringBuilder out, String obis) {
    return out.append(obis).append('(');
  }

  private static StringBuilder time(StringBuilder out, Instant time) {
    DsmrTime.format(time, out);
    return out;
  }

  /*
   * write() unwraps every Optional where it gets it, and quantity() and count() take the value or
   * null: the accessors make their Optional when called, and one unwrapped at once is dropped by the
   * JIT, while one passed on into a lambda or a method it does not inline is allocated (passing the
   * Optionals on cost 590 B a telegram, measured with -prof gc).
   */
  private static void quantity(StringBuilder out, String obis, BigDecimal value, int integerDigits,
                 int decimals, Unit unit) {
    if (value != null) {
      number(line(out, obis), value, integerDigits, decimals).append('*').append(unit.symbol())
          .append(")\r\n");
    }
  }

  private static void count(StringBuilder out, String obis, Long value) {
    if (value != null) {
      padded(line(out, obis), value, 5).append(")\r\n");
    }
  }

  /** A non-negative decimal with at least {@code integerDigits} and {@code decimals} digits. */
  private static StringBuilder number(StringBuilder out, BigDecimal value, int integerDigits, int decimals) {
    if (value.signum() < 0) {
      throw new IllegalArgumentException("a telegram carries no negative values: " + value);
    }
    BigDecimal scaled = value.setScale(Math.max(decimals, value.scale()));
    String plain = scaled.toPlainString();
    int point = plain.indexOf('.');
    int integerLength = point < 0 ? plain.length() : point;
    for (int i = integerLength; i < integerDigits; i++) {
      out.append('0');
    }
    return out.append(plain);
  }

  private static StringBuilder padded(StringBuilder out, long value, int width) {
    if (value < 0) {
      throw new IllegalArgumentException("a telegram carries no negative values: " + value);
    }
    String digits = Long.toString(value);
    for (int i = digits.length(); i < width; i++) {
      out.append('0');
    }
    return out.append(digits);
  }

  private static StringBuilder hex(StringBuilder out, String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c > 0xFF) {
        throw new IllegalArgumentException("text is ISO-8859-1: U+" + Integer.toHexString(c));
      }
      out.append(HEX[c >> 4]).append(HEX[c & 0xF]);
    }
    return out;
  }
}

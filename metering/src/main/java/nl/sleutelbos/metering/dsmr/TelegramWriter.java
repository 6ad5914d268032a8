package nl.sleutelbos.metering.dsmr;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

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
    t.version().ifPresent(v -> line(out, "1-3:0.2.8").append(v).append(")\r\n"));
    t.timestamp().ifPresent(time -> time(line(out, "0-0:1.0.0"), time).append(")\r\n"));
    t.equipmentId().ifPresent(id -> hex(line(out, "0-0:96.1.1"), id).append(")\r\n"));
    quantity(out, "1-0:1.8.1", t.energyDeliveredTariff1(), 6, 3, Unit.KWH);
    quantity(out, "1-0:1.8.2", t.energyDeliveredTariff2(), 6, 3, Unit.KWH);
    quantity(out, "1-0:2.8.1", t.energyReturnedTariff1(), 6, 3, Unit.KWH);
    quantity(out, "1-0:2.8.2", t.energyReturnedTariff2(), 6, 3, Unit.KWH);
    t.tariffIndicator().ifPresent(tariff -> padded(line(out, "0-0:96.14.0"), tariff, 4).append(")\r\n"));
    quantity(out, "1-0:1.7.0", t.powerDelivered(), 2, 3, Unit.KW);
    quantity(out, "1-0:2.7.0", t.powerReturned(), 2, 3, Unit.KW);
    t.threshold().ifPresent(q -> number(line(out, "0-0:17.0.0"), q.value(), 3, q.unit() == Unit.KW ? 1 : 0)
        .append('*').append(q.unit().symbol()).append(")\r\n"));
    t.switchPosition().ifPresent(p -> padded(line(out, "0-0:96.3.10"), p, 1).append(")\r\n"));
    count(out, "0-0:96.7.21", t.shortPowerFailures());
    count(out, "0-0:96.7.9", t.longPowerFailures());
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
      count(out, sags[i], t.phase(i + 1).voltageSags());
    }
    for (int i = 0; i < 3; i++) {
      count(out, swells[i], t.phase(i + 1).voltageSwells());
    }
    t.textMessageCode().ifPresent(code -> line(out, "0-0:96.13.1").append(code).append(")\r\n"));
    t.textMessage().ifPresent(text -> hex(line(out, "0-0:96.13.0"), text).append(")\r\n"));
    String[] c = {"32", "52", "72"};
    for (int i = 0; i < 3; i++) {
      quantity(out, "1-0:" + c[i] + ".7.0", t.phase(i + 1).voltage(), 3, 1, Unit.V);
    }
    String[] a = {"31", "51", "71"};
    for (int i = 0; i < 3; i++) {
      quantity(out, "1-0:" + a[i] + ".7.0", t.phase(i + 1).current(), 3, 0, Unit.A);
    }
    String[] plus = {"21", "41", "61"};
    for (int i = 0; i < 3; i++) {
      quantity(out, "1-0:" + plus[i] + ".7.0", t.phase(i + 1).powerDelivered(), 2, 3, Unit.KW);
    }
    String[] minus = {"22", "42", "62"};
    for (int i = 0; i < 3; i++) {
      quantity(out, "1-0:" + minus[i] + ".7.0", t.phase(i + 1).powerReturned(), 2, 3, Unit.KW);
    }
    for (MbusReading device : t.mbus()) {
      String n = "0-" + device.channel() + ":";
      device.deviceType().ifPresent(type -> padded(line(out, n + "24.1.0"), type, 3).append(")\r\n"));
      device.equipmentId().ifPresent(id -> hex(line(out, n + "96.1.0"), id).append(")\r\n"));
      if (device.value().isPresent()) {
        line(out, n + "24.2.1");
        Instant time = device.timestamp().orElseThrow(() -> new IllegalArgumentException(
            "an M-Bus value needs its timestamp in DSMR 5: channel " + device.channel()));
        time(out, time).append(")(");
        number(out, device.value().get(), 5, 3).append('*').append(device.unit().get().symbol())
            .append(")\r\n");
      } else if (device.timestamp().isPresent()) {
        throw new IllegalArgumentException("an M-Bus timestamp needs its value: channel " + device.channel());
      }
      device.valvePosition().ifPresent(p -> padded(line(out, n + "24.4.0"), p, 1).append(")\r\n"));
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

  private static void quantity(StringBuilder out, String obis, Optional<BigDecimal> value, int integerDigits,
                 int decimals, Unit unit) {
    if (value.isPresent()) {
      number(line(out, obis), value.get(), integerDigits, decimals).append('*').append(unit.symbol())
          .append(")\r\n");
    }
  }

  private static void count(StringBuilder out, String obis, Optional<Long> value) {
    value.ifPresent(v -> padded(line(out, obis), v, 5).append(")\r\n"));
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

package nl.sleutelbos.metering.sim;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Writes a {@link Reading} as a DSMR 5.0.2 P1 telegram (interim: until the metering module's own
 * telegram writer is on main).
 */
final class P1Text {
  private P1Text() {}

  static String write(Reading r) {
    StringBuilder b = new StringBuilder(900);
    b.append('/').append(r.header()).append("\r\n\r\n");
    b.append("1-3:0.2.8(50)\r\n");
    b.append("0-0:1.0.0(");
    time(r.timestamp(), b);
    b.append(")\r\n");
    b.append("0-0:96.1.1(").append(hex(r.equipmentId())).append(")\r\n");
    kwh(b, "1-0:1.8.1", r.delivered1());
    kwh(b, "1-0:1.8.2", r.delivered2());
    kwh(b, "1-0:2.8.1", r.returned1());
    kwh(b, "1-0:2.8.2", r.returned2());
    b.append("0-0:96.14.0(000").append(r.tariff()).append(")\r\n");
    kw(b, "1-0:1.7.0", r.powerDelivered());
    kw(b, "1-0:2.7.0", r.powerReturned());
    b.append("0-0:96.7.21(00004)\r\n0-0:96.7.9(00002)\r\n1-0:99.97.0()\r\n");
    for (int p = 0; p < r.phases().size(); p++) {
      b.append("1-0:").append(32 + 20 * p).append(".32.0(00000)\r\n");
    }
    for (int p = 0; p < r.phases().size(); p++) {
      b.append("1-0:").append(32 + 20 * p).append(".36.0(00000)\r\n");
    }
    b.append("0-0:96.13.0()\r\n");
    for (int p = 0; p < r.phases().size(); p++) {
      int v = r.phases().get(p).voltage();
      b.append("1-0:").append(32 + 20 * p).append(".7.0(").append(pad(v / 10, 3)).append('.').append(v % 10).append("*V)\r\n");
    }
    for (int p = 0; p < r.phases().size(); p++) {
      b.append("1-0:").append(31 + 20 * p).append(".7.0(").append(pad(r.phases().get(p).current(), 3)).append("*A)\r\n");
    }
    for (int p = 0; p < r.phases().size(); p++) {
      kw(b, "1-0:" + (21 + 20 * p) + ".7.0", r.phases().get(p).delivered());
    }
    for (int p = 0; p < r.phases().size(); p++) {
      kw(b, "1-0:" + (22 + 20 * p) + ".7.0", r.phases().get(p).returned());
    }
    r.gas().ifPresent(g -> {
      b.append("0-1:24.1.0(003)\r\n0-1:96.1.0(").append(hex(g.equipmentId())).append(")\r\n0-1:24.2.1(");
      time(g.measuredAt(), b);
      b.append(")(").append(pad(g.litres() / 1000, 5)).append('.').append(pad(g.litres() % 1000, 3)).append("*m3)\r\n");
    });
    b.append('!');
    b.append(crcHex(crc(b.toString()))).append("\r\n");
    return b.toString();
  }

  /** The same telegram with a CRC that does not match its bytes. */
  static String withWrongCrc(String text) {
    int bang = text.lastIndexOf('!');
    int right = crc(text.substring(0, bang + 1));
    return text.substring(0, bang + 1) + crcHex(right ^ 0x5a5a) + text.substring(bang + 5);
  }

  /** CRC-16/ARC (polynomial 0xA001 reflected, initial 0) over the telegram from '/' to '!'. */
  static int crc(String upToBang) {
    int crc = 0;
    for (byte x : upToBang.getBytes(StandardCharsets.US_ASCII)) {
      crc ^= x & 0xff;
      for (int i = 0; i < 8; i++) {
        crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0xA001 : crc >>> 1;
      }
    }
    return crc;
  }

  private static String crcHex(int crc) {
    return "%04X".formatted(crc);
  }

  private static void kwh(StringBuilder b, String obis, long wh) {
    b.append(obis).append('(').append(pad(wh / 1000, 6)).append('.').append(pad(wh % 1000, 3)).append("*kWh)\r\n");
  }

  private static void kw(StringBuilder b, String obis, int w) {
    b.append(obis).append('(').append(pad(w / 1000, 2)).append('.').append(pad(w % 1000, 3)).append("*kW)\r\n");
  }

  private static String pad(long v, int width) {
    String s = Long.toString(v);
    return s.length() >= width ? s : "0".repeat(width - s.length()) + s;
  }

  private static String hex(String text) {
    StringBuilder b = new StringBuilder();
    for (byte x : text.getBytes(StandardCharsets.US_ASCII)) {
      b.append("%02X".formatted(x));
    }
    return b.toString();
  }

  private static void time(Instant t, StringBuilder b) {
    ZoneOffset offset = Climate.AMSTERDAM.getOffset(t);
    LocalDateTime local = LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0, offset);
    b.append(pad(local.getYear() - 2000, 2)).append(pad(local.getMonthValue(), 2)).append(pad(local.getDayOfMonth(), 2))
        .append(pad(local.getHour(), 2)).append(pad(local.getMinute(), 2)).append(pad(local.getSecond(), 2))
        .append(offset.getTotalSeconds() == 7200 ? 'S' : 'W');
  }
}

package nl.sleutelbos.app.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import nl.sleutelbos.ngsild.Json;

/**
 * The compact encoding of a telegram's values in its reading row: what {@link DsmrDecoder} made of
 * it, without the names. A measure is one byte for which attribute and dataset (an index into
 * {@link #DEFS}, the table of {@link DsmrDecoder}), then its value: 8 bytes for a number or a
 * count, a length and UTF-8 for text. An M-Bus value is its kind, id, time, number and unit.
 * A three-phase DSMR 5 telegram with gas takes about 230 bytes.
 *
 * <pre>
 * version(1) n(1) { def(1) value(8 | 2+len) }*n  m(1) { kind id time(8) value(8) unit }*m
 * </pre>
 *
 * Version 1 is the only one; a reader refuses any other, so the layout can be extended later.
 */
final class ReadingCodec {
  private static final byte VERSION = 1;

  enum Kind { NUMBER, COUNT, TEXT }

  /** One attribute and dataset of the meter entity, as {@link DsmrDecoder} makes them. */
  record Def(String attribute, Optional<String> datasetId, String code, Optional<String> unitCode, Kind kind,
      boolean history) {}

  static final List<Def> DEFS;
  private static final Map<String, Integer> BY_CODE = new HashMap<>();

  static {
    List<Def> defs = new ArrayList<>();
    defs.add(number("energyConsumed", DsmrDecoder.TARIFF1, "c1", "KWH", false));
    defs.add(number("energyConsumed", DsmrDecoder.TARIFF2, "c2", "KWH", false));
    defs.add(number("energyProduced", DsmrDecoder.TARIFF1, "p1", "KWH", false));
    defs.add(number("energyProduced", DsmrDecoder.TARIFF2, "p2", "KWH", false));
    defs.add(number("activePower", null, "ap", "KWT", true));
    defs.add(number("activePowerProduced", null, "pp", "KWT", true));
    for (int p = 1; p <= 3; p++) {
      String phase = "urn:ngsi-ld:dataset:L" + p;
      defs.add(number("voltage", phase, "v" + p, "VLT", true));
      defs.add(number("current", phase, "i" + p, "AMP", true));
      defs.add(new Def("voltageSags", Optional.of(phase), "sg" + p, Optional.empty(), Kind.COUNT, false));
      defs.add(new Def("voltageSwells", Optional.of(phase), "sw" + p, Optional.empty(), Kind.COUNT, false));
    }
    defs.add(new Def("tariff", Optional.empty(), "t", Optional.empty(), Kind.COUNT, false));
    defs.add(new Def("powerFailures", Optional.empty(), "pf", Optional.empty(), Kind.COUNT, false));
    defs.add(new Def("longPowerFailures", Optional.empty(), "lf", Optional.empty(), Kind.COUNT, false));
    defs.add(new Def("textMessage", Optional.empty(), "tm", Optional.empty(), Kind.TEXT, false));
    defs.add(new Def("dsmrVersion", Optional.empty(), "dv", Optional.empty(), Kind.TEXT, false));
    DEFS = List.copyOf(defs);
    for (int i = 0; i < DEFS.size(); i++) {
      BY_CODE.put(DEFS.get(i).code(), i);
    }
  }

  private static Def number(String attribute, String datasetId, String code, String unit, boolean history) {
    return new Def(attribute, Optional.ofNullable(datasetId), code, Optional.of(unit), Kind.NUMBER, history);
  }

  private ReadingCodec() {}

  /** The values of a telegram and the M-Bus devices it carried. */
  record Values(List<Reading.Measure> measures, List<Reading.SubMeter> subMeters) {}

  /** The row of a reading: the bytes it was decoded into, or else its measures written by a {@link Writer}. */
  static byte[] encode(Reading r) {
    if (r.measures() instanceof Row row && row.subMeters.equals(r.subMeters())) {
      return row.bytes;
    }
    Writer out = new Writer();
    for (Reading.Measure m : r.measures()) {
      int def = def(m.code());
      switch (DEFS.get(def).kind()) {
        case NUMBER -> out.number(def, m.value().doubleValue());
        case COUNT -> out.count(def, m.value().longValue());
        case TEXT -> out.text(def, m.value().asText());
      }
    }
    return out.finish(r.subMeters());
  }

  /**
   * The measures of a row as it was written, read only when asked for: the ingest stores the row
   * and never looks at the measures of a telegram it decoded, so it does not pay for them.
   * Unmodifiable, like the lists {@link Reading} copies others into.
   */
  static final class Row extends java.util.AbstractList<Reading.Measure> implements java.util.RandomAccess {
    private final byte[] bytes;
    private final List<Reading.SubMeter> subMeters;
    /** Decoded on first use; a race decodes twice to equal immutable lists, which is harmless. */
    private List<Reading.Measure> measures;

    /** The row {@code bytes} (not copied: neither side changes them), which ends with {@code subMeters}. */
    Row(byte[] bytes, List<Reading.SubMeter> subMeters) {
      this.bytes = bytes;
      this.subMeters = List.copyOf(subMeters);
    }

    @Override
    public Reading.Measure get(int index) {
      return measures().get(index);
    }

    @Override
    public int size() {
      return bytes[1] & 0xff;
    }

    private List<Reading.Measure> measures() {
      List<Reading.Measure> m = measures;
      if (m == null) {
        m = List.copyOf(decode(bytes).measures());
        measures = m;
      }
      return m;
    }
  }

  /** The index in {@link #DEFS} of the measure with this code, for a {@link Writer}. */
  static int def(String code) {
    Integer at = BY_CODE.get(code);
    if (at == null) {
      throw new IllegalArgumentException("no measure with code " + code);
    }
    return at;
  }

  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  /**
   * Writes a row straight from a telegram's values, without making measures of them: per telegram,
   * the ~17 measures (each a record, a JSON node and two Optionals) cost more than the row they
   * become. {@link #encode} writes a reading's measures with it too.
   */
  static final class Writer {
    private byte[] out = new byte[256];
    private int at = 2;
    private int measures;

    Writer() {
      out[0] = VERSION;
    }

    void number(int def, double value) {
      head(def, Kind.NUMBER, 8);
      LONG.set(out, at, Double.doubleToRawLongBits(value));
      at += 8;
    }

    void count(int def, long value) {
      head(def, Kind.COUNT, 8);
      LONG.set(out, at, value);
      at += 8;
    }

    void text(int def, String value) {
      head(def, Kind.TEXT, 0);
      utf8(value);
    }

    /** The row, ending with the M-Bus devices; the writer is done. */
    byte[] finish(List<Reading.SubMeter> subMeters) {
      if (subMeters.size() > 0xff) {
        throw new IllegalArgumentException("more than 255 M-Bus devices: " + subMeters.size());
      }
      out[1] = (byte) measures;
      room(1);
      out[at++] = (byte) subMeters.size();
      for (Reading.SubMeter s : subMeters) {
        utf8(s.kind());
        utf8(s.equipmentId());
        room(16);
        LONG.set(out, at, micros(s.time()));
        LONG.set(out, at + 8, Double.doubleToRawLongBits(s.value()));
        at += 16;
        utf8(s.unitCode().orElse(""));
      }
      return java.util.Arrays.copyOf(out, at);
    }

    private void head(int def, Kind kind, int bytes) {
      if (DEFS.get(def).kind() != kind) {
        throw new IllegalArgumentException("measure " + DEFS.get(def).code() + " is no " + kind);
      }
      if (measures == 0xff) {
        throw new IllegalStateException("more than 255 measures");
      }
      room(1 + bytes);
      out[at++] = (byte) def;
      measures++;
    }

    private void utf8(String text) {
      byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
      if (utf8.length > 0xffff) {
        throw new IllegalArgumentException("text longer than 65535 bytes: " + utf8.length);
      }
      room(2 + utf8.length);
      out[at] = (byte) (utf8.length >>> 8);
      out[at + 1] = (byte) utf8.length;
      System.arraycopy(utf8, 0, out, at + 2, utf8.length);
      at += 2 + utf8.length;
    }

    private void room(int bytes) {
      if (out.length - at < bytes) {
        out = java.util.Arrays.copyOf(out, Math.max(out.length * 2, at + bytes));
      }
    }
  }

  static Values decode(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    if (in.get() != VERSION) {
      throw new IllegalStateException("unknown reading encoding " + bytes[0]);
    }
    int n = in.get() & 0xff;
    List<Reading.Measure> measures = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Def def = DEFS.get(in.get() & 0xff);
      JsonNode value = switch (def.kind()) {
        case NUMBER -> Json.NODES.numberNode(in.getDouble());
        case COUNT -> Json.NODES.numberNode(in.getLong());
        case TEXT -> Json.NODES.textNode(text(in));
      };
      measures.add(new Reading.Measure(def.attribute(), def.datasetId(), def.code(), value, def.unitCode(), def.history()));
    }
    return new Values(measures, subMeters(in));
  }

  /**
   * Only the M-Bus values of a row, its measures skipped: what the latest-values projector needs of
   * every reading in a pass (it decodes the measures of each meter's newest reading alone).
   */
  static List<Reading.SubMeter> subMeters(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    if (in.get() != VERSION) {
      throw new IllegalStateException("unknown reading encoding " + bytes[0]);
    }
    int n = in.get() & 0xff;
    for (int i = 0; i < n; i++) {
      Def def = DEFS.get(in.get() & 0xff);
      int length = def.kind() == Kind.TEXT ? in.getShort() & 0xffff : 8; // after the text's length, if any
      in.position(in.position() + length);
    }
    return subMeters(in);
  }

  private static List<Reading.SubMeter> subMeters(ByteBuffer in) {
    int m = in.get() & 0xff;
    List<Reading.SubMeter> subs = new ArrayList<>(m);
    for (int i = 0; i < m; i++) {
      String kind = text(in);
      String id = text(in);
      Instant time = instant(in.getLong());
      double value = in.getDouble();
      String unit = text(in);
      subs.add(new Reading.SubMeter(kind, id, time, value, unit.isEmpty() ? Optional.empty() : Optional.of(unit)));
    }
    return subs;
  }

  static long micros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
  }

  static Instant instant(long micros) {
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
  }

  private static String text(ByteBuffer in) {
    int length = in.getShort() & 0xffff;
    String s = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
    in.position(in.position() + length);
    return s;
  }
}

package nl.sleutelbos.metering.dsmr;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import nl.sleutelbos.metering.dsmr.TelegramException.Reason;

/**
 * Parses P1 telegrams of DSMR 2.2, 3, 4.x and 5.0.2 (P1 companion standard 5.0.2, chapter 6).
 *
 * <p>A telegram is {@code /XXXZ ident CR LF CR LF}, then one COSEM object per line
 * ({@code A-B:C.D.E(value)(value)...}), then {@code !} and, from DSMR 4 on, the CRC-16/ARC of
 * everything from {@code /} to {@code !} as four upper-case hex digits. The CRC is verified when present and
 * required when the version object says 40 or later. DSMR 2.2/3 gas readings
 * ({@code 0-n:24.3.0}) put their value on the next line in brackets; a line starting with
 * {@code (} continues the object above it. Whitespace before {@code /} and after the CRC is
 * ignored; line ends may be CR LF or LF.
 *
 * <p>Every known object is checked for its number of values, their form and their unit; unknown
 * objects are kept as {@link CosemObject}s; a known object given twice is refused. Thread-safe
 * (each call has its own state). Whatever the input, the only exception is {@link TelegramException}.
 */
public final class DsmrParser {

  /*
   * About a thousand lines in one class, on purpose: it is one grammar with one state (Run), and
   * the fast and the general path must accept exactly the same lines -- easier to keep true when
   * they sit side by side. The design, and why it is fast, is in docs/modules/metering.md
   * ("Parsing"); the figures are in docs/PERFORMANCE.md.
   */

  private DsmrParser() {
  }

  /** Parses a telegram from its text; every character must be in ISO-8859-1 (a P1 port sends bytes). */
  public static Telegram parse(CharSequence telegram) throws TelegramException {
    Objects.requireNonNull(telegram, "telegram is null");
    int n = telegram.length();
    byte[] bytes;
    if (telegram instanceof String text) {
      // The JDK's Latin-1 copy is far quicker than charAt; it turns what is not Latin-1 into '?'.
      bytes = text.getBytes(ISO_8859_1);
      for (int i = 0; i < n; i++) {
        if (bytes[i] == '?' && text.charAt(i) != '?') {
          throw notAByte(text.charAt(i), i);
        }
      }
    } else {
      bytes = new byte[n];
      for (int i = 0; i < n; i++) {
        char c = telegram.charAt(i);
        if (c > 0xFF) {
          throw notAByte(c, i);
        }
        bytes[i] = (byte) c;
      }
    }
    return new Run(bytes, 0, n).telegram();
  }

  private static TelegramException notAByte(char c, int offset) {
    return new TelegramException(Reason.FRAMING, 0, "character U+" + Integer.toHexString(c) + " at offset "
        + offset + " is not a byte");
  }

  /** Parses a telegram from the bytes read from a P1 port or a message payload. */
  public static Telegram parse(byte[] telegram) throws TelegramException {
    Objects.requireNonNull(telegram, "telegram is null");
    return new Run(telegram, 0, telegram.length).telegram();
  }

  /** Parses the telegram in {@code telegram[offset, offset + length)}. */
  public static Telegram parse(byte[] telegram, int offset, int length) throws TelegramException {
    Objects.checkFromIndexSize(offset, length, telegram.length);
    return new Run(telegram, offset, offset + length).telegram();
  }

  /*
   * OBIS references of the known objects as A<<28 | B<<24 | C<<16 | D<<8 | E (A < 16, B < 16).
   * The M-Bus objects are matched with B cleared, B being the channel.
   */
  private static final int VERSION = 1 << 28 | 3 << 24 | 0 << 16 | 2 << 8 | 8;
  private static final int TIMESTAMP = 0 << 28 | 0 << 24 | 1 << 16 | 0 << 8 | 0;
  private static final int EQUIPMENT_ID = 96 << 16 | 1 << 8 | 1;
  private static final int DELIVERED_1 = 1 << 28 | 1 << 16 | 8 << 8 | 1;
  private static final int DELIVERED_2 = 1 << 28 | 1 << 16 | 8 << 8 | 2;
  private static final int RETURNED_1 = 1 << 28 | 2 << 16 | 8 << 8 | 1;
  private static final int RETURNED_2 = 1 << 28 | 2 << 16 | 8 << 8 | 2;
  private static final int TARIFF = 96 << 16 | 14 << 8;
  private static final int POWER_DELIVERED = 1 << 28 | 1 << 16 | 7 << 8;
  private static final int POWER_RETURNED = 1 << 28 | 2 << 16 | 7 << 8;
  private static final int THRESHOLD = 17 << 16;
  private static final int SWITCH = 96 << 16 | 3 << 8 | 10;
  private static final int SHORT_FAILURES = 96 << 16 | 7 << 8 | 21;
  private static final int LONG_FAILURES = 96 << 16 | 7 << 8 | 9;
  private static final int FAILURE_LOG = 1 << 28 | 99 << 16 | 97 << 8;
  private static final int SAGS_L1 = 1 << 28 | 32 << 16 | 32 << 8;
  private static final int SAGS_L2 = 1 << 28 | 52 << 16 | 32 << 8;
  private static final int SAGS_L3 = 1 << 28 | 72 << 16 | 32 << 8;
  private static final int SWELLS_L1 = 1 << 28 | 32 << 16 | 36 << 8;
  private static final int SWELLS_L2 = 1 << 28 | 52 << 16 | 36 << 8;
  private static final int SWELLS_L3 = 1 << 28 | 72 << 16 | 36 << 8;
  private static final int MESSAGE_CODE = 96 << 16 | 13 << 8 | 1;
  private static final int MESSAGE = 96 << 16 | 13 << 8;
  private static final int VOLTAGE_L1 = 1 << 28 | 32 << 16 | 7 << 8;
  private static final int VOLTAGE_L2 = 1 << 28 | 52 << 16 | 7 << 8;
  private static final int VOLTAGE_L3 = 1 << 28 | 72 << 16 | 7 << 8;
  private static final int CURRENT_L1 = 1 << 28 | 31 << 16 | 7 << 8;
  private static final int CURRENT_L2 = 1 << 28 | 51 << 16 | 7 << 8;
  private static final int CURRENT_L3 = 1 << 28 | 71 << 16 | 7 << 8;
  private static final int PLUS_P_L1 = 1 << 28 | 21 << 16 | 7 << 8;
  private static final int PLUS_P_L2 = 1 << 28 | 41 << 16 | 7 << 8;
  private static final int PLUS_P_L3 = 1 << 28 | 61 << 16 | 7 << 8;
  private static final int MINUS_P_L1 = 1 << 28 | 22 << 16 | 7 << 8;
  private static final int MINUS_P_L2 = 1 << 28 | 42 << 16 | 7 << 8;
  private static final int MINUS_P_L3 = 1 << 28 | 62 << 16 | 7 << 8;
  private static final int MBUS_TYPE = 24 << 16 | 1 << 8;
  private static final int MBUS_ID = 96 << 16 | 1 << 8;
  private static final int MBUS_VALUE = 24 << 16 | 2 << 8 | 1;
  private static final int MBUS_VALUE_UNCORRECTED = 24 << 16 | 2 << 8 | 3;
  private static final int MBUS_OLD_VALUE = 24 << 16 | 3 << 8;
  private static final int MBUS_VALVE = 24 << 16 | 4 << 8;

  /** Indices into the value slots; also the bit of each object in the duplicate mask. */
  private static final int S_VERSION = 0, S_TIMESTAMP = 1, S_EQUIPMENT = 2, S_D1 = 3, S_D2 = 4, S_R1 = 5,
      S_R2 = 6, S_TARIFF = 7, S_PD = 8, S_PR = 9, S_THRESHOLD = 10, S_SWITCH = 11, S_SHORT = 12,
      S_LONG = 13, S_LOG = 14, S_CODE = 15, S_MESSAGE = 16,
      S_VOLTAGE = 17, S_CURRENT = 20, S_PLUS = 23, S_MINUS = 26, S_SAGS = 29, S_SWELLS = 32;
  private static final int MBUS_SLOTS = 5;
  /** "00" to "99": a version ("50", "42") is one of these, shared instead of a new String each telegram. */
  private static final String[] TWO_DIGITS = new String[100];

  static {
    for (int i = 0; i < 100; i++) {
      TWO_DIGITS[i] = (char) ('0' + i / 10) + "" + (char) ('0' + i % 10);
    }
  }

  /** The "unit" of a simple object that is a count: it has none. */
  private static final Unit COUNT = null;

  /** One parse: the input, a cursor, the brackets of the current line, and the values found. */
  private static final class Run {
    private final byte[] b;
    private final int from;
    private final int end;
    private int pos;
    private int line;
    private int bang;

    // the current object: its line, the text span of its OBIS reference, its bracketed values
    private int objectLine;
    private int obisStart;
    private int obisEnd;
    private int obisEntry;
    private int[] starts = new int[8];
    private int[] ends = new int[8];
    private int groups;
    /** The scale of the number unscaled() read last. */
    private int scale;

    private final Object[] slots = new Object[35];
    private long seen;
    private Object[][] mbus;
    private List<PowerFailure> log = List.of();
    private List<CosemObject> unknown;

    Run(byte[] b, int from, int end) {
      this.b = b;
      this.from = from;
      this.end = end;
    }

    Telegram telegram() throws TelegramException {
      int p = from;
      while (p < end && isSpace(b[p])) {
        p++;
      }
      if (p == end || b[p] != '/') {
        throw new TelegramException(Reason.FRAMING, 0, "no telegram: expected '/' to start the header");
      }
      int start = p;
      // The '!' is near the end, so look from there; any other '!' is then refused as part of a line.
      bang = lastIndexOf('!', start);
      if (bang < 0) {
        throw new TelegramException(Reason.FRAMING, 0, "no '!' ending the telegram");
      }
      boolean hasCrc = checkCrc(start);

      int h = start;
      while (h < bang && b[h] != '\r' && b[h] != '\n' && b[h] != '!') {
        h++;
      }
      if (h == bang || b[h] == '!' || h - start < 5) {
        throw new TelegramException(Reason.FRAMING, 1, "the header is not a line /XXXZ...");
      }
      String header = new String(b, start, h - start, ISO_8859_1);
      pos = h;
      line = 1;
      while (nextObject()) {
        if (!simpleObject()) { // the fast path; else the general path:
          values();
          dispatch();
        }
      }
      String version = (String) slots[S_VERSION];
      if (!hasCrc && version != null && version.length() <= 3 && Integer.parseInt(version) >= 40) {
        throw new TelegramException(Reason.CRC_MISSING, 0,
            "DSMR version " + version + " requires a CRC after '!'");
      }
      return build(header);
    }

    /** Verifies the CRC after '!' if there is one; refuses anything else after it but whitespace. */
    private boolean checkCrc(int start) throws TelegramException {
      int q = bang + 1;
      int crc = 0;
      int digits = 0;
      // Upper case only, as the standard writes it: then no one-byte change of a valid telegram is valid.
      while (q < end && digits < 4 && hex(b[q]) >= 0 && (b[q] < 'a' || b[q] > 'f')) {
        crc = crc << 4 | hex(b[q]);
        q++;
        digits++;
      }
      for (int r = q; r < end; r++) {
        if (!isSpace(b[r])) {
          throw new TelegramException(Reason.FRAMING, 0, digits < 4
              ? "the CRC after '!' is not 4 upper-case hex digits"
              : "unexpected data after the end of the telegram");
        }
      }
      if (digits == 0) {
        return false;
      }
      if (digits < 4) {
        throw new TelegramException(Reason.FRAMING, 0, "the CRC after '!' is not 4 upper-case hex digits");
      }
      int actual = Crc16Arc.of(b, start, bang + 1);
      if (actual != crc) {
        throw new TelegramException(Reason.CRC_MISMATCH, 0, "CRC mismatch: the telegram says "
            + Crc16Arc.format(crc) + ", its content gives " + Crc16Arc.format(actual));
      }
      return true;
    }

    /** Moves to the next object and past its OBIS reference; false at '!'. */
    private boolean nextObject() {
      skipLineBreaks();
      if (pos == bang) {
        return false;
      }
      objectLine = line;
      obisStart = pos;
      scanObis();
      obisEnd = pos;
      return true;
    }

    /*
     * The fast path. Most lines of a telegram are a simple object: one number with its unit, or a
     * count, alone on its line -- 26 of the 36 objects of a three-phase DSMR 5 telegram. For
     * those, simpleObject() reads the value in the one pass that checks its form: digits into a
     * long, the unit compared as it comes, the line end. The general path (values(), then
     * dispatch()) first finds the brackets, then looks for the '*', then reads the digits: three
     * passes over the same bytes.
     *
     * simpleObject() takes a line only when the general path would accept it and give the same
     * value. For anything else -- an error, a second value, a continuation line, a duplicate --
     * it returns false having changed nothing, and the general path reads the
     * line from its OBIS reference on, with its errors and messages.
     */

    /** Reads the current object if it is simple and well-formed; false to leave it to the general path. */
    private boolean simpleObject() {
      int entry = obisEntry;
      if (entry < 0) {
        return false;
      }
      int slot = ObisTable.SLOTS[entry];
      if (slot < 0 || (seen & 1L << slot) != 0 || pos == bang || b[pos] != '(') {
        return false;
      }
      Unit unit = ObisTable.UNITS[entry];
      // the integer digits, then (not for a count) a '.' and at least one more digit; a value of
      // more than 18 digits may overflow here and is refused below
      int s = pos + 1;
      int p = s;
      long value = 0;
      int digit;
      while (p < bang && (digit = b[p] - '0') >= 0 && digit <= 9) {
        value = value * 10 + digit;
        p++;
      }
      int digits = p - s;
      int scale = 0;
      if (digits > 0 && unit != COUNT && p < bang && b[p] == '.') {
        int f = ++p;
        while (p < bang && (digit = b[p] - '0') >= 0 && digit <= 9) {
          value = value * 10 + digit;
          p++;
        }
        scale = p - f;
        if (scale == 0) {
          return false;
        }
        digits += scale;
      }
      if (digits == 0 || digits > 18 || p == bang) {
        return false;
      }
      if (unit != COUNT) {
        int symbolEnd = p + 1 + unit.symbol().length();
        if (b[p] != '*' || symbolEnd >= bang || !unitIs(p + 1, symbolEnd, unit)) {
          return false;
        }
        p = symbolEnd;
      }
      if (b[p] != ')' || !endsObject(p + 1)) {
        return false;
      }
      seen |= 1L << slot;
      slots[slot] = unit == COUNT ? (Object) value : BigDecimal.valueOf(value, scale);
      pos = p + 1;
      return true;
    }

    /** The object's values end before {@code p}: at '!', or at a line end not followed by a '(' line. */
    private boolean endsObject(int p) {
      if (p == bang) {
        return true;
      }
      if (b[p] != '\r' && b[p] != '\n') {
        return false;
      }
      while (p < bang && (b[p] == '\r' || b[p] == '\n')) {
        p++;
      }
      return p == bang || b[p] != '(';
    }

    /** Reads the bracketed values of the current object into {@link #starts} and {@link #ends}. */
    private void values() throws TelegramException {
      if (pos == bang || b[pos] != '(') {
        throw new TelegramException(Reason.MALFORMED_LINE, objectLine, "expected A-B:C.D.E(value), got '"
            + excerpt(obisStart, pos) + "'");
      }
      groups = 0;
      while (true) {
        if (pos < bang && b[pos] == '(') {
          int s = ++pos;
          pos = valueEnd(s);
          if (pos == bang || b[pos] != ')') {
            throw new TelegramException(Reason.MALFORMED_LINE, line, "unclosed '(' in " + obis());
          }
          addGroup(s, pos);
          pos++;
        } else if (pos < bang && (b[pos] == '\r' || b[pos] == '\n')) {
          int p = pos;
          int l = line;
          while (p < bang && (b[p] == '\r' || b[p] == '\n')) {
            if (b[p] == '\n') {
              l++;
            }
            p++;
          }
          if (p < bang && b[p] == '(') {
            pos = p;
            line = l;
          } else {
            return;
          }
        } else if (pos == bang) {
          return;
        } else {
          throw new TelegramException(Reason.MALFORMED_LINE, line, "unexpected '" + excerpt(pos, pos + 1)
              + "' after the values of " + obis());
        }
      }
    }

    /** The first byte from {@code p} on that ends a bracketed value, or '!'. */
    private int valueEnd(int p) {
      // a local cursor, not the field: the JIT keeps it in a register and checks bounds once
      while (p < bang && !STOPS_VALUE[b[p] & 0xFF]) {
        p++;
      }
      return p;
    }

    private void skipLineBreaks() {
      while (pos < bang) {
        byte c = b[pos];
        if (c == '\n') {
          line++;
        } else if (c != '\r') {
          return;
        }
        pos++;
      }
    }

    private void addGroup(int s, int e) {
      if (groups == starts.length) {
        starts = java.util.Arrays.copyOf(starts, groups * 2);
        ends = java.util.Arrays.copyOf(ends, groups * 2);
      }
      starts[groups] = s;
      ends[groups] = e;
      groups++;
    }

    private void dispatch() throws TelegramException {
      int entry = obisEntry;
      if (entry < 0) {
        keepUnknown();
        return;
      }
      int slot = ObisTable.SLOTS[entry];
      if (slot >= 0) {
        if (ObisTable.UNITS[entry] == COUNT) {
          countSlot(slot);
        } else {
          quantitySlot(slot, ObisTable.UNITS[entry]);
        }
        return;
      }
      int key = ObisTable.KEYS[entry];
      switch (key) {
        case VERSION -> {
          one(S_VERSION);
          slots[S_VERSION] = digits(0);
        }
        case TIMESTAMP -> {
          one(S_TIMESTAMP);
          slots[S_TIMESTAMP] = timestamp(0);
        }
        case EQUIPMENT_ID -> {
          one(S_EQUIPMENT);
          slots[S_EQUIPMENT] = hexText(0, true);
        }
        case TARIFF -> {
          one(S_TARIFF);
          slots[S_TARIFF] = (int) integer(0, 9);
        }
        case THRESHOLD -> {
          one(S_THRESHOLD);
          int star = indexOf('*', starts[0], ends[0]);
          Unit unit = star < 0 ? null : unitIs(star + 1, ends[0], Unit.KW) ? Unit.KW
              : unitIs(star + 1, ends[0], Unit.A) ? Unit.A : null;
          if (unit == null) {
            throw bad(Reason.BAD_UNIT, "unit of " + obis() + " is not kW or A");
          }
          slots[S_THRESHOLD] = new Quantity(number(starts[0], star), unit);
        }
        case SWITCH -> {
          one(S_SWITCH);
          slots[S_SWITCH] = (int) integer(0, 9);
        }
        case FAILURE_LOG -> failureLog();
        case MESSAGE_CODE -> {
          one(S_CODE);
          slots[S_CODE] = text(0);
        }
        case MESSAGE -> {
          one(S_MESSAGE);
          slots[S_MESSAGE] = hexText(0, false);
        }
        default -> {
          int channel = key >>> 24 & 0xF;
          if (key >>> 28 == 0 && channel >= 1 && channel <= 4) {
            mbusObject(channel, key & 0xFFFFFF);
          } else {
            keepUnknown();
          }
        }
      }
    }

    /**
     * Moves past the OBIS reference and sets {@link #obisEntry} to the entry of a known object, or -1.
     * It runs for every line. The reference's text is packed into two longs (its bytes 0-7 and 8-15,
     * each big-end first and padded with zeros) and looked up in {@link ObisTable}.
     *
     * <p>Usually eight bytes at a time: a reference is made of digits, '-', ':' and '.', all at or
     * above '-' (0x2D), while the bytes that end it -- '(' and, in a malformed line, CR, LF, '!' --
     * are all below it. So the first byte below 0x2D (or above 0x7F) in the 16 bytes read as two
     * longs is where the reference ends; when that byte is the usual '(' the two longs, masked to
     * the reference's length, are its packed text. Anything else (a reference longer than 15
     * bytes, other bytes, the end of the input near) takes the byte loop, which stops exactly where
     * it always did.
     */
    private void scanObis() {
      int p = pos;
      if (p + 16 <= end) {
        long high = (long) BIG_ENDIAN.get(b, p);
        long low = (long) BIG_ENDIAN.get(b, p + 8);
        long stopsHigh = belowDashOrNotAscii(high);
        int length = stopsHigh != 0 ? Long.numberOfLeadingZeros(stopsHigh) >>> 3
            : 8 + (Long.numberOfLeadingZeros(belowDashOrNotAscii(low)) >>> 3);
        if (length < 16 && b[p + length] == '(') {
          pos = p + length;
          obisEntry = length > 8 ? ObisTable.get(high, low & -1L << (128 - 8 * length), length)
              : length > 0 ? ObisTable.get(high & -1L << (64 - 8 * length), 0, length) : -1;
          return;
        }
      }
      long first = 0;
      long last = 0;
      while (p < bang && !STOPS_OBIS[b[p] & 0xFF]) {
        int i = p - pos;
        if (i < 8) {
          first |= (b[p] & 0xFFL) << (56 - 8 * i);
        } else if (i < 16) {
          last |= (b[p] & 0xFFL) << (120 - 8 * i);
        }
        p++;
      }
      int length = p - pos;
      pos = p;
      obisEntry = length <= 16 && length > 0 ? ObisTable.get(first, last, length) : -1;
    }

    private void mbusObject(int channel, int key) throws TelegramException {
      if (key != MBUS_TYPE && key != MBUS_ID && key != MBUS_VALUE && key != MBUS_VALUE_UNCORRECTED
          && key != MBUS_OLD_VALUE && key != MBUS_VALVE) {
        keepUnknown();
        return;
      }
      if (mbus == null) {
        mbus = new Object[MBUS_SLOTS][];
      }
      if (mbus[channel] == null) {
        mbus[channel] = new Object[6];
      }
      Object[] device = mbus[channel];
      switch (key) {
        case MBUS_TYPE -> {
          oneMbus(device, 0);
          device[0] = (int) integer(0, 3);
        }
        case MBUS_ID -> {
          oneMbus(device, 1);
          device[1] = hexText(0, true);
        }
        case MBUS_VALUE, MBUS_VALUE_UNCORRECTED -> {
          oneMbus(device, 2);
          expectGroups(2);
          device[2] = timestamp(0);
          int star = indexOf('*', starts[1], ends[1]);
          if (star < 0) {
            throw bad(Reason.BAD_UNIT, "missing unit in " + obis() + ", expected m3, GJ or kWh");
          }
          device[3] = number(starts[1], star);
          device[4] = mbusUnit(star + 1, ends[1]);
        }
        case MBUS_OLD_VALUE -> {
          // DSMR 2.2/3: (time)(status)(period)(count)(obis)(unit) and (value) on the next line
          oneMbus(device, 2);
          if (groups < 3) {
            throw bad(Reason.MALFORMED_LINE, obis() + " needs a time, a unit and a value");
          }
          device[2] = timestamp(0);
          device[4] = mbusUnit(starts[groups - 2], ends[groups - 2]);
          device[3] = number(starts[groups - 1], ends[groups - 1]);
        }
        case MBUS_VALVE -> {
          oneMbus(device, 5);
          device[5] = (int) integer(0, 3);
        }
        default -> throw new IllegalStateException("not an M-Bus key: " + key);
      }
    }

    private Unit mbusUnit(int s, int e) throws TelegramException {
      if (unitIs(s, e, Unit.M3)) {
        return Unit.M3;
      }
      if (unitIs(s, e, Unit.GJ)) {
        return Unit.GJ;
      }
      if (unitIs(s, e, Unit.KWH)) {
        return Unit.KWH;
      }
      throw bad(Reason.BAD_UNIT, "unit '" + excerpt(s, e) + "' in " + obis() + ", expected m3, GJ or kWh");
    }

    private void oneMbus(Object[] device, int index) throws TelegramException {
      if (device[index] != null) {
        throw bad(Reason.DUPLICATE_OBJECT, obis() + " occurs twice");
      }
    }

    private void failureLog() throws TelegramException {
      once(S_LOG);
      if (groups == 1 && starts[0] == ends[0]) {
        return; // "()": an empty log
      }
      long count = integer(0, 10);
      if (count == 0 && groups == 1) {
        return; // "(0)" without the buffer's OBIS reference
      }
      if (groups != 2 + 2 * count) {
        throw bad(Reason.BAD_VALUE, obis() + " announces " + count + " failures but has " + groups + " values");
      }
      PowerFailure[] failures = new PowerFailure[(int) count];
      for (int i = 0; i < count; i++) {
        Instant end = timestamp(2 + 2 * i);
        failures[i] = new PowerFailure(end, Duration.ofSeconds(wholeSeconds(3 + 2 * i)));
      }
      // List.of with one or two arguments keeps them in fields, no array (most logs hold one or two)
      log = switch (failures.length) {
        case 1 -> List.of(failures[0]);
        case 2 -> List.of(failures[0], failures[1]);
        default -> List.of(failures);
      };
    }

    private void keepUnknown() {
      List<String> values = new ArrayList<>(groups);
      for (int i = 0; i < groups; i++) {
        values.add(new String(b, starts[i], ends[i] - starts[i], ISO_8859_1));
      }
      if (unknown == null) {
        unknown = new ArrayList<>();
      }
      unknown.add(new CosemObject(obis(), values));
    }

    private void one(int slot) throws TelegramException {
      once(slot);
      expectGroups(1);
    }

    private void once(int slot) throws TelegramException {
      long bit = 1L << slot;
      if ((seen & bit) != 0) {
        throw bad(Reason.DUPLICATE_OBJECT, obis() + " occurs twice");
      }
      seen |= bit;
    }

    private void expectGroups(int n) throws TelegramException {
      if (groups != n) {
        throw bad(Reason.MALFORMED_LINE, obis() + " has " + groups + " values, expected " + n);
      }
    }

    private void quantitySlot(int slot, Unit unit) throws TelegramException {
      one(slot);
      slots[slot] = quantity(0, unit);
    }

    private void countSlot(int slot) throws TelegramException {
      one(slot);
      slots[slot] = integer(0, 18);
    }

    private BigDecimal quantity(int group, Unit unit) throws TelegramException {
      long unscaled = unscaled(starts[group], unitStar(group, unit));
      return BigDecimal.valueOf(unscaled, scale);
    }

    /** A duration in the failure log: seconds, whole (trailing zero decimals allowed: 240.000*s). */
    private long wholeSeconds(int group) throws TelegramException {
      long unscaled = unscaled(starts[group], unitStar(group, Unit.S));
      long divisor = 1;
      for (int i = 0; i < scale; i++) {
        divisor *= 10;
      }
      if (unscaled % divisor != 0) {
        throw bad(Reason.BAD_VALUE, "a power failure lasts whole seconds in " + obis());
      }
      return unscaled / divisor;
    }

    /** The '*' before the unit in the value {@code group}, which must be {@code unit}. */
    private int unitStar(int group, Unit unit) throws TelegramException {
      int e = ends[group];
      int star = indexOf('*', starts[group], e);
      if (star < 0) {
        throw bad(Reason.BAD_UNIT, "missing unit in " + obis() + ", expected " + unit.symbol());
      }
      if (!unitIs(star + 1, e, unit)) {
        throw bad(Reason.BAD_UNIT, "unit '" + excerpt(star + 1, e) + "' in " + obis() + ", expected "
            + unit.symbol());
      }
      return star;
    }

    /** The unit symbol in {@code b[s, e)} is {@code unit}'s, letters compared ignoring case. */
    private boolean unitIs(int s, int e, Unit unit) {
      if (e - s != unit.symbol().length()) {
        return false;
      }
      int folded = 0;
      for (int i = s; i < e; i++) {
        folded = folded << 8 | lowerCase(b[i]);
      }
      return folded == FOLDED_UNITS[unit.ordinal()];
    }

    /** A decimal number [digits][.digits] of at most 18 digits. */
    private BigDecimal number(int s, int e) throws TelegramException {
      long unscaled = unscaled(s, e);
      return BigDecimal.valueOf(unscaled, scale);
    }

    /** The digits of a decimal number [digits][.digits] of at most 18 digits; its scale in {@link #scale}. */
    private long unscaled(int s, int e) throws TelegramException {
      long unscaled = 0;
      int digits = 0;
      int scale = -1;
      for (int i = s; i < e; i++) {
        int c = b[i];
        if (c >= '0' && c <= '9') {
          if (++digits > 18) {
            throw bad(Reason.BAD_VALUE, "too many digits in " + obis());
          }
          unscaled = unscaled * 10 + (c - '0');
          if (scale >= 0) {
            scale++;
          }
        } else if (c == '.' && scale < 0 && digits > 0) {
          scale = 0;
        } else {
          throw bad(Reason.BAD_VALUE, "'" + excerpt(s, e) + "' in " + obis() + " is not a number");
        }
      }
      if (digits == 0 || scale == 0) {
        throw bad(Reason.BAD_VALUE, "'" + excerpt(s, e) + "' in " + obis() + " is not a number");
      }
      this.scale = Math.max(scale, 0);
      return unscaled;
    }

    private long integer(int group, int maxDigits) throws TelegramException {
      int s = starts[group];
      int e = ends[group];
      if (e == s || e - s > maxDigits) {
        throw bad(Reason.BAD_VALUE, "'" + excerpt(s, e) + "' in " + obis() + " is not an integer of at most "
            + maxDigits + " digits");
      }
      long value = 0;
      for (int i = s; i < e; i++) {
        int c = b[i];
        if (c < '0' || c > '9') {
          throw bad(Reason.BAD_VALUE, "'" + excerpt(s, e) + "' in " + obis() + " is not an integer");
        }
        value = value * 10 + (c - '0');
      }
      return value;
    }

    private String digits(int group) throws TelegramException {
      integer(group, 3);
      if (ends[group] - starts[group] == 2) {
        return TWO_DIGITS[(b[starts[group]] - '0') * 10 + b[starts[group] + 1] - '0'];
      }
      return text(group);
    }

    private Instant timestamp(int group) throws TelegramException {
      long seconds = DsmrTime.epochSecond(b, starts[group], ends[group]);
      if (seconds == Long.MIN_VALUE) {
        throw bad(Reason.BAD_VALUE, "'" + excerpt(starts[group], ends[group]) + "' in " + obis()
            + " is not a time YYMMDDhhmmss[S|W]");
      }
      return Instant.ofEpochSecond(seconds);
    }

    private String text(int group) {
      return new String(b, starts[group], ends[group] - starts[group], ISO_8859_1);
    }

    /**
     * Text sent as hex (two digits a byte, ISO-8859-1). Some older meters send the text itself;
     * what is not valid hex (or, for ids, does not decode to printable text) is kept as sent.
     */
    private String hexText(int group, boolean printable) {
      int s = starts[group];
      int e = ends[group];
      if (e == s) {
        return ""; // "()": the usual empty text message
      }
      if (((e - s) & 1) != 0) {
        return text(group);
      }
      byte[] decoded = new byte[(e - s) / 2];
      for (int i = 0; i < decoded.length; i++) {
        int hi = hex(b[s + 2 * i]);
        int lo = hex(b[s + 2 * i + 1]);
        if (hi < 0 || lo < 0) {
          return text(group);
        }
        int c = hi << 4 | lo;
        if (printable && (c < 0x20 || c > 0x7E)) {
          return text(group);
        }
        decoded[i] = (byte) c;
      }
      return new String(decoded, ISO_8859_1);
    }

    private Telegram build(String header) {
      return new Telegram(header, (String) slots[S_VERSION], (Instant) slots[S_TIMESTAMP],
          (String) slots[S_EQUIPMENT], (BigDecimal) slots[S_D1], (BigDecimal) slots[S_D2],
          (BigDecimal) slots[S_R1], (BigDecimal) slots[S_R2], (Integer) slots[S_TARIFF],
          (BigDecimal) slots[S_PD], (BigDecimal) slots[S_PR], (Quantity) slots[S_THRESHOLD],
          (Integer) slots[S_SWITCH], (Long) slots[S_SHORT], (Long) slots[S_LONG],
          log,
          phase(0), phase(1), phase(2),
          (String) slots[S_CODE], (String) slots[S_MESSAGE],
          devices(),
          unknown == null ? List.of() : unknown);
    }

    private PhaseReadings phase(int i) {
      if (slots[S_VOLTAGE + i] == null && slots[S_CURRENT + i] == null && slots[S_PLUS + i] == null
          && slots[S_MINUS + i] == null && slots[S_SAGS + i] == null && slots[S_SWELLS + i] == null) {
        return PhaseReadings.NONE;
      }
      return new PhaseReadings((BigDecimal) slots[S_VOLTAGE + i], (BigDecimal) slots[S_CURRENT + i],
          (BigDecimal) slots[S_PLUS + i], (BigDecimal) slots[S_MINUS + i], (Long) slots[S_SAGS + i],
          (Long) slots[S_SWELLS + i]);
    }

    private List<MbusReading> devices() {
      if (mbus == null) {
        return List.of();
      }
      MbusReading first = null;
      MbusReading[] devices = null;
      int n = 0;
      for (int channel = 1; channel < MBUS_SLOTS; channel++) {
        Object[] d = mbus[channel];
        if (d != null) {
          MbusReading device = new MbusReading(channel, (Integer) d[0], (String) d[1], (Instant) d[2],
              (BigDecimal) d[3], (Unit) d[4], (Integer) d[5]);
          if (n == 0) {
            first = device;
          } else {
            if (devices == null) {
              devices = new MbusReading[MBUS_SLOTS - 1];
              devices[0] = first;
            }
            devices[n] = device;
          }
          n++;
        }
      }
      // most meters have one M-Bus device: List.of(one) holds it without an array
      return n == 1 ? List.of(first) : List.of(java.util.Arrays.copyOf(devices, n));
    }

    private TelegramException bad(Reason reason, String detail) {
      return new TelegramException(reason, objectLine, detail);
    }

    private String obis() {
      return excerpt(obisStart, obisEnd);
    }

    /** At most 40 characters of the input, non-printable bytes shown as '?'. */
    private String excerpt(int s, int e) {
      StringBuilder out = new StringBuilder();
      for (int i = s; i < Math.min(e, s + 40); i++) {
        int c = b[i] & 0xFF;
        out.append(c >= 0x20 && c < 0x7F ? (char) c : '?');
      }
      return e - s > 40 ? out.append("...").toString() : out.toString();
    }

    private int lastIndexOf(char c, int start) {
      for (int i = end - 1; i >= start; i--) {
        if (b[i] == c) {
          return i;
        }
      }
      return -1;
    }

    private int indexOf(char c, int s, int e) {
      for (int i = s; i < e; i++) {
        if (b[i] == c) {
          return i;
        }
      }
      return -1;
    }
  }

  /* The known OBIS references, by their text, to their keys (and, for the simple ones, slots). */
  static {
    // One value with a unit, or a count, in a slot of its own: read by simpleObject() on the fast path.
    ObisTable.put(DELIVERED_1, S_D1, Unit.KWH);
    ObisTable.put(DELIVERED_2, S_D2, Unit.KWH);
    ObisTable.put(RETURNED_1, S_R1, Unit.KWH);
    ObisTable.put(RETURNED_2, S_R2, Unit.KWH);
    ObisTable.put(POWER_DELIVERED, S_PD, Unit.KW);
    ObisTable.put(POWER_RETURNED, S_PR, Unit.KW);
    ObisTable.put(SHORT_FAILURES, S_SHORT, COUNT);
    ObisTable.put(LONG_FAILURES, S_LONG, COUNT);
    int[][] phases = {
        {VOLTAGE_L1, CURRENT_L1, PLUS_P_L1, MINUS_P_L1, SAGS_L1, SWELLS_L1},
        {VOLTAGE_L2, CURRENT_L2, PLUS_P_L2, MINUS_P_L2, SAGS_L2, SWELLS_L2},
        {VOLTAGE_L3, CURRENT_L3, PLUS_P_L3, MINUS_P_L3, SAGS_L3, SWELLS_L3}};
    for (int i = 0; i < 3; i++) {
      ObisTable.put(phases[i][0], S_VOLTAGE + i, Unit.V);
      ObisTable.put(phases[i][1], S_CURRENT + i, Unit.A);
      ObisTable.put(phases[i][2], S_PLUS + i, Unit.KW);
      ObisTable.put(phases[i][3], S_MINUS + i, Unit.KW);
      ObisTable.put(phases[i][4], S_SAGS + i, COUNT);
      ObisTable.put(phases[i][5], S_SWELLS + i, COUNT);
    }
    // The rest are read by dispatch()'s switch.
    int[] other = {VERSION, TIMESTAMP, EQUIPMENT_ID, TARIFF, THRESHOLD, SWITCH, FAILURE_LOG, MESSAGE_CODE, MESSAGE};
    for (int key : other) {
      ObisTable.put(key, -1, null);
    }
    for (int channel = 1; channel <= 4; channel++) {
      for (int key : new int[] {MBUS_TYPE, MBUS_ID, MBUS_VALUE, MBUS_VALUE_UNCORRECTED, MBUS_OLD_VALUE, MBUS_VALVE}) {
        ObisTable.put(key | channel << 24, -1, null);
      }
    }
  }

  /** Reads eight bytes of a byte[] as one long, the first byte in the highest bits. */
  private static final java.lang.invoke.VarHandle BIG_ENDIAN =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.BIG_ENDIAN);

  /**
   * The high bit of each byte of {@code x} whose value is below '-' (0x2D) or above 0x7F, the
   * others clear. Exact: the add cannot carry from one byte into the next (0x7F + 0x53 < 0x100).
   */
  private static long belowDashOrNotAscii(long x) {
    long atLeastDash = (x & 0x7F7F7F7F7F7F7F7FL) + 0x5353535353535353L;
    return (~atLeastDash | x) & 0x8080808080808080L;
  }

  /** The bytes that end an OBIS reference. */
  private static final boolean[] STOPS_OBIS = new boolean[256];

  static {
    for (char c : new char[] {'(', '\r', '\n', '!'}) {
      STOPS_OBIS[c] = true;
    }
  }

  /**
   * Open addressing from an OBIS reference's text (up to 16 bytes, packed big-end first into two
   * longs: bytes 0-7 and bytes 8-15, each padded with zeros) to its entry: the key, and for a simple object its slot and unit ({@link #COUNT} for a
   * count). Filled once; read-only afterwards, so safe to share between threads.
   */
  private static final class ObisTable {
    private static final int SIZE = 512; // a power of two, well above the 59 known references
    // Static final arrays, not fields of an instance: their lengths are then constants to the JIT,
    // and an index masked with SIZE - 1 is used without a bounds check.
    private static final long[] FIRSTS = new long[SIZE];
    private static final long[] LASTS = new long[SIZE];
    private static final int[] LENGTHS = new int[SIZE];
    static final int[] KEYS = new int[SIZE];
    static final int[] SLOTS = new int[SIZE];
    static final Unit[] UNITS = new Unit[SIZE];

    private ObisTable() {
    }

    static void put(int key, int slot, Unit unit) {
      String text = (key >>> 28) + "-" + (key >>> 24 & 0xF) + ":" + (key >>> 16 & 0xFF) + "." + (key >>> 8 & 0xFF)
          + "." + (key & 0xFF);
      long first = 0;
      long last = 0;
      for (int i = 0; i < text.length(); i++) {
        if (i < 8) {
          first |= (long) text.charAt(i) << (56 - 8 * i);
        } else {
          last |= (long) text.charAt(i) << (120 - 8 * i);
        }
      }
      int entry = hash(first, last, text.length());
      while (LENGTHS[entry] != 0) {
        entry = (entry + 1) & (SIZE - 1);
      }
      FIRSTS[entry] = first;
      LASTS[entry] = last;
      LENGTHS[entry] = text.length();
      KEYS[entry] = key;
      SLOTS[entry] = slot;
      UNITS[entry] = unit;
    }

    /** The entry of the reference with this packed text, or -1 if it is not a known one. */
    static int get(long first, long last, int length) {
      int entry = hash(first, last, length);
      while (LENGTHS[entry] != 0) {
        if (LENGTHS[entry] == length && FIRSTS[entry] == first && LASTS[entry] == last) {
          return entry;
        }
        entry = (entry + 1) & (SIZE - 1);
      }
      return -1;
    }

    private static int hash(long first, long last, int length) {
      long h = (first * 0x9E3779B97F4A7C15L) ^ (last * 0xC2B2AE3D27D4EB4FL) ^ length;
      return (int) (h ^ (h >>> 29) ^ (h >>> 41)) & (SIZE - 1);
    }
  }

  /** The bytes that end a bracketed value: its ')', or a '(', line end or '!' that makes it malformed. */
  private static final boolean[] STOPS_VALUE = new boolean[256];

  static {
    for (char c : new char[] {')', '(', '\r', '\n', '!'}) {
      STOPS_VALUE[c] = true;
    }
  }

  /**
   * Each unit's symbol with its letters in lower case, packed big-end first into an int (symbols
   * have at most three characters), so that unitIs() compares a unit in one step.
   */
  private static final int[] FOLDED_UNITS = new int[Unit.values().length];

  static {
    for (Unit unit : Unit.values()) {
      int folded = 0;
      for (int i = 0; i < unit.symbol().length(); i++) {
        folded = folded << 8 | lowerCase((byte) unit.symbol().charAt(i));
      }
      FOLDED_UNITS[unit.ordinal()] = folded;
    }
  }

  /** The byte as an unsigned value, A-Z turned into a-z. */
  private static int lowerCase(byte c) {
    return c >= 'A' && c <= 'Z' ? c | 0x20 : c & 0xFF;
  }

  private static boolean isSpace(byte c) {
    return c == ' ' || c == '\r' || c == '\n' || c == '\t' || c == 0;
  }

  /** The value of each hex digit byte (either case), -1 for other bytes: one load instead of three range tests. */
  private static final byte[] HEX_VALUES = new byte[256];

  static {
    java.util.Arrays.fill(HEX_VALUES, (byte) -1);
    for (int i = 0; i < 16; i++) {
      HEX_VALUES["0123456789ABCDEF".charAt(i)] = (byte) i;
      HEX_VALUES["0123456789abcdef".charAt(i)] = (byte) i;
    }
  }

  private static int hex(byte c) {
    return HEX_VALUES[c & 0xFF];
  }
}

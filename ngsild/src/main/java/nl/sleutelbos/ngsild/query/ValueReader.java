package nl.sleutelbos.ngsild.query;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import nl.sleutelbos.ngsild.query.Value.BooleanValue;
import nl.sleutelbos.ngsild.query.Value.DateTimeValue;
import nl.sleutelbos.ngsild.query.Value.DateValue;
import nl.sleutelbos.ngsild.query.Value.NumberValue;
import nl.sleutelbos.ngsild.query.Value.Range;
import nl.sleutelbos.ngsild.query.Value.StringValue;
import nl.sleutelbos.ngsild.query.Value.TimeValue;
import nl.sleutelbos.ngsild.query.Value.UriValue;
import nl.sleutelbos.ngsild.query.Value.ValueList;

/**
 * Reads the value after an operator (clause 4.9 {@code ComparableValue}, {@code
 * CompEqualityValue}).
 *
 * <p>A quoted string is a JSON string (RFC 8259 section 7). Anything else is a run of value
 * characters, read as {@code true}/{@code false}, a JSON number, a dateTime, date or time (clause
 * 4.6.3), or else a URI or bare word when it starts with a letter. A {@code ..} inside such a run
 * is the range operator when the text before it is a number, dateTime, date or time; otherwise it
 * belongs to the URI ({@code http://x/../y}).
 */
final class ValueReader {
  private ValueReader() {}

  /** The value after {@code ==} or {@code !=}: any single value, a list or a range. */
  static Value equality(Cursor in, String op) {
    int start = in.pos();
    Value first = single(in, "after '" + op + "'");
    if (in.skip("..")) {
      Value to = single(in, "after '..'");
      if (!first.comparable() || first.getClass() != to.getClass()) {
        throw in.errorAt(
            start,
            "expected range bounds that are both numbers, strings, dateTimes, dates or times");
      }
      return new Range(first, to);
    }
    if (in.peek() != ',') {
      return first;
    }
    List<Value> values = new ArrayList<>();
    values.add(first);
    while (in.skip(',')) {
      values.add(single(in, "after ','"));
    }
    if (in.startsWith("..")) {
      throw in.error("expected ',' or the end of the value list (a list holds no ranges)");
    }
    return new ValueList(values);
  }

  /** The value after an ordering operator: one number, string, dateTime, date or time. */
  static Value comparable(Cursor in, String op) {
    int start = in.pos();
    Value value = single(in, "after '" + op + "'");
    if (!value.comparable()) {
      throw in.errorAt(
          start, "expected a number, string, dateTime, date or time after '" + op + "'");
    }
    if (in.peek() == ',' || in.startsWith("..")) {
      throw in.error("expected a single value after '" + op + "' (lists and ranges need == or !=)");
    }
    return value;
  }

  private static Value single(Cursor in, String where) {
    if (in.peek() == '"') {
      return new StringValue(quoted(in));
    }
    int start = in.pos();
    String token = in.readWhile(Lexical::isValueChar);
    if (token.isEmpty()) {
      throw in.error("expected a value " + where);
    }
    int dots = token.indexOf("..");
    if (dots > 0) {
      Value left = literal(in, start, token.substring(0, dots));
      if (left != null && left.comparable()) {
        in.reset(start + dots);
        return left;
      }
    }
    Value value = literal(in, start, token);
    if (value == null) {
      throw in.errorAt(start, "expected a value " + where + " but found '" + token + "'");
    }
    return value;
  }

  /** The unquoted literal {@code token} found at {@code start}, or null if it is none. */
  private static Value literal(Cursor in, int start, String token) {
    if (token.equals("true") || token.equals("false")) {
      return new BooleanValue(token.equals("true"));
    }
    if (Lexical.NUMBER.matcher(token).matches()) {
      try {
        return new NumberValue(new BigDecimal(token));
      } catch (NumberFormatException e) {
        throw in.errorAt(start, "expected a number within range but found '" + token + "'");
      }
    }
    if (Lexical.DATE_TIME.matcher(token).matches()) {
      return TemporalText.dateTime(token).isPresent()
          ? new DateTimeValue(token)
          : invalid(in, start, "dateTime", token);
    }
    if (Lexical.DATE.matcher(token).matches()) {
      return TemporalText.date(token).isPresent()
          ? new DateValue(token)
          : invalid(in, start, "date", token);
    }
    if (Lexical.TIME.matcher(token).matches()) {
      return TemporalText.time(token).isPresent()
          ? new TimeValue(token)
          : invalid(in, start, "time", token);
    }
    return Lexical.isUriLiteral(token) ? new UriValue(token) : null;
  }

  private static Value invalid(Cursor in, int start, String kind, String token) {
    throw in.errorAt(start, "expected a valid " + kind + " but found '" + token + "'");
  }

  /** A JSON string (RFC 8259 section 7) at the cursor, returned without quotes and escapes. */
  static String quoted(Cursor in) {
    int open = in.pos();
    in.next();
    StringBuilder out = new StringBuilder();
    while (true) {
      if (in.atEnd()) {
        throw in.errorAt(open, "expected a closing '\"' for the string opened");
      }
      int cp = in.next();
      if (cp == '"') {
        return out.toString();
      }
      if (cp != '\\') {
        out.appendCodePoint(cp);
        continue;
      }
      int escape = in.pos() - 1;
      int e = in.atEnd() ? -1 : in.next();
      switch (e) {
        case '"', '\\', '/' -> out.append((char) e);
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> out.append(hex4(in, escape));
        default ->
            throw in.errorAt(
                escape, "expected a JSON escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
      }
    }
  }

  private static char hex4(Cursor in, int escape) {
    int value = 0;
    for (int i = 0; i < 4; i++) {
      int digit = in.atEnd() ? -1 : Character.digit(in.peek(), 16);
      if (digit < 0 || in.peek() > 0x7f) {
        throw in.errorAt(escape, "expected four hex digits after \\u");
      }
      in.next();
      value = value * 16 + digit;
    }
    return (char) value;
  }
}

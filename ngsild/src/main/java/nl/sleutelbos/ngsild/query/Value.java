package nl.sleutelbos.ngsild.query;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.util.List;

/**
 * The value side of a Query Term (clause 4.9, productions {@code Value}, {@code Range}, {@code
 * ValueList} and {@code URI}). Every value prints, through {@link #toString()}, as text that {@link
 * QueryParser} reads back to an equal value; the constructors refuse what could not.
 */
public sealed interface Value {

  /**
   * Whether this value is a clause 4.9 {@code ComparableValue}: a number, string, dateTime, date or
   * time. Only those may follow an ordering operator or bound a range.
   */
  default boolean comparable() {
    return this instanceof NumberValue
        || this instanceof StringValue
        || this instanceof DateTimeValue
        || this instanceof DateValue
        || this instanceof TimeValue;
  }

  /** A JSON number (RFC 8259 section 6), kept exactly, scale included. */
  record NumberValue(BigDecimal number) implements Value {
    public NumberValue {
      requireNonNull(number, "number is null");
    }

    @Override
    public String toString() {
      return QueryPrinter.print(this);
    }
  }

  /** A quoted string ({@code quotedStr}); {@code text} is the content, escapes resolved. */
  record StringValue(String text) implements Value {
    public StringValue {
      requireNonNull(text, "text is null");
    }

    @Override
    public String toString() {
      return QueryPrinter.print(this);
    }
  }

  /** {@code true} or {@code false}. */
  record BooleanValue(boolean value) implements Value {
    @Override
    public String toString() {
      return QueryPrinter.print(this);
    }
  }

  /** A DateTime (clause 4.6.3) as written; compared as an instant. */
  record DateTimeValue(String text) implements Value {
    public DateTimeValue {
      if (TemporalText.dateTime(requireNonNull(text, "text is null")).isEmpty()) {
        throw new IllegalArgumentException("not a dateTime: " + text);
      }
    }

    @Override
    public String toString() {
      return QueryPrinter.print(this);
    }
  }

  /** A Date (clause 4.6.3) as written. */
  record DateValue(String text) implements Value {
    public DateValue {
      if (TemporalText.date(requireNonNull(text, "text is null")).isEmpty()) {
        throw new IllegalArgumentException("not a date: " + text);
      }
    }

    @Override
    public String toString() {
      return QueryPrinter.print(this);
    }
  }

  /** A Time (clause 4.6.3) as written. */
  record TimeValue(String text) implements Value {
    public TimeValue {
      if (TemporalText.time(requireNonNull(text, "text is null")).isEmpty()) {
        throw new IllegalArgumentException("not a time: " + text);
      }
    }

    @Override
    public String toString() {
      return QueryPrinter.print(this);
    }
  }

  /**
   * An unquoted URI such as {@code urn:ngsi-ld:Meter:1}, or a bare word such as {@code Male} (a
   * vocabulary term, clause 4.9 example 12). It equals a string target with the same text.
   */
  record UriValue(String text) implements Value {
    public UriValue {
      if (!Lexical.isUriLiteral(requireNonNull(text, "text is null"))) {
        throw new IllegalArgumentException("not an unquoted URI: " + text);
      }
    }

    @Override
    public String toString() {
      return QueryPrinter.print(this);
    }
  }

  /** Two or more single values separated by ',' ({@code ValueList}); only after == or !=. */
  record ValueList(List<Value> values) implements Value {
    public ValueList {
      values = List.copyOf(values);
      if (values.size() < 2) {
        throw new IllegalArgumentException("a value list needs two values: " + values);
      }
      for (Value value : values) {
        if (value instanceof ValueList || value instanceof Range) {
          throw new IllegalArgumentException("a value list holds single values: " + value);
        }
      }
    }

    @Override
    public String toString() {
      return QueryPrinter.print(this);
    }
  }

  /** {@code from..to}, both included ({@code Range}); bounds of one comparable kind. */
  record Range(Value from, Value to) implements Value {
    public Range {
      requireNonNull(from, "from is null");
      requireNonNull(to, "to is null");
      if (!from.comparable() || from.getClass() != to.getClass()) {
        throw new IllegalArgumentException(
            "range bounds of one comparable kind: " + from + ".." + to);
      }
    }

    @Override
    public String toString() {
      return QueryPrinter.print(this);
    }
  }
}

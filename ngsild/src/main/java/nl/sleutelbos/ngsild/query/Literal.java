package nl.sleutelbos.ngsild.query;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * A query {@link Value} made ready to compare with one JSON element of a target value: temporal
 * texts parsed once, lists and ranges reduced to their parts. Clause 4.9: "If the data type of the
 * target value and the data type of the Query Term value are different, then they shall be
 * considered unequal"; they are not ordered either, so {@link #compare} is then empty.
 */
sealed interface Literal {

  /** Whether {@code element} (a single JSON element, not an array) equals this value. */
  boolean equalTo(JsonNode element);

  /** The order of {@code element} relative to this value, if they are of one type. */
  OptionalInt compare(JsonNode element);

  static Literal of(Value value) {
    return switch (value) {
      case Value.NumberValue n -> new NumberLiteral(n.number());
      case Value.StringValue s -> new TextLiteral(s.text());
      // A URI equals a string target with the same text (clause 4.9 example 3 quotes it).
      case Value.UriValue u -> new TextLiteral(u.text());
      case Value.BooleanValue b -> new BooleanLiteral(b.value());
      case Value.DateTimeValue d ->
          new TemporalLiteral<>(
              TemporalText.dateTime(d.text()).orElseThrow(), TemporalText::dateTime);
      case Value.DateValue d ->
          new TemporalLiteral<>(TemporalText.date(d.text()).orElseThrow(), TemporalText::date);
      case Value.TimeValue t ->
          new TemporalLiteral<>(TemporalText.time(t.text()).orElseThrow(), TemporalText::time);
      case Value.ValueList list -> new AnyOf(list.values().stream().map(Literal::of).toList());
      case Value.Range r -> new Between(of(r.from()), of(r.to()));
    };
  }

  record NumberLiteral(BigDecimal number) implements Literal {
    @Override
    public boolean equalTo(JsonNode element) {
      return compare(element).orElse(1) == 0;
    }

    @Override
    public OptionalInt compare(JsonNode element) {
      return element.isNumber()
          ? OptionalInt.of(element.decimalValue().compareTo(number))
          : OptionalInt.empty();
    }
  }

  /** Strings compare by UTF-16 code units (RFC 8259 section 8.3). */
  record TextLiteral(String text) implements Literal {
    @Override
    public boolean equalTo(JsonNode element) {
      return element.isTextual() && element.textValue().equals(text);
    }

    @Override
    public OptionalInt compare(JsonNode element) {
      return element.isTextual()
          ? OptionalInt.of(element.textValue().compareTo(text))
          : OptionalInt.empty();
    }
  }

  /** Booleans are equal or not; they have no order. */
  record BooleanLiteral(boolean value) implements Literal {
    @Override
    public boolean equalTo(JsonNode element) {
      return element.isBoolean() && element.booleanValue() == value;
    }

    @Override
    public OptionalInt compare(JsonNode element) {
      return OptionalInt.empty();
    }
  }

  /** A dateTime, date or time; a string target is compared only if it reads as the same kind. */
  record TemporalLiteral<T extends Comparable<? super T>>(
      T value, Function<String, Optional<T>> reader) implements Literal {
    @Override
    public boolean equalTo(JsonNode element) {
      return compare(element).orElse(1) == 0;
    }

    @Override
    public OptionalInt compare(JsonNode element) {
      if (!element.isTextual()) {
        return OptionalInt.empty();
      }
      return reader
          .apply(element.textValue())
          .map(t -> OptionalInt.of(t.compareTo(value)))
          .orElse(OptionalInt.empty());
    }
  }

  /** A value list: equal to any member. */
  record AnyOf(List<Literal> members) implements Literal {
    @Override
    public boolean equalTo(JsonNode element) {
      for (Literal member : members) {
        if (member.equalTo(element)) {
          return true;
        }
      }
      return false;
    }

    @Override
    public OptionalInt compare(JsonNode element) {
      return OptionalInt.empty();
    }
  }

  /** A range: "equal" means within it, both bounds included. */
  record Between(Literal from, Literal to) implements Literal {
    @Override
    public boolean equalTo(JsonNode element) {
      return from.compare(element).orElse(-1) >= 0 && to.compare(element).orElse(1) <= 0;
    }

    @Override
    public OptionalInt compare(JsonNode element) {
      return OptionalInt.empty();
    }
  }
}

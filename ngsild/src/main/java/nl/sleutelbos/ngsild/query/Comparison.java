package nl.sleutelbos.ngsild.query;

import static java.util.Objects.requireNonNull;

import java.util.function.UnaryOperator;

/**
 * {@code path operator value}, for example {@code speed>50} or {@code color=="red","blue"}. An
 * ordering operator takes a single comparable value (clause 4.9 {@code Attribute Operator
 * ComparableValue}); {@code ==} and {@code !=} also take booleans, URIs, lists and ranges ({@code
 * CompEqualityValue}).
 */
public record Comparison(AttributePath path, Operator operator, Value value) implements Query {
  public Comparison {
    requireNonNull(path, "path is null");
    requireNonNull(operator, "operator is null");
    requireNonNull(value, "value is null");
    if (!operator.isEquality() && !value.comparable()) {
      throw new IllegalArgumentException(operator.symbol() + " needs a comparable value: " + value);
    }
  }

  @Override
  public Query mapAttributes(UnaryOperator<String> expander) {
    return new Comparison(path.mapAttributes(expander), operator, value);
  }

  @Override
  public String toString() {
    return QueryPrinter.print(this);
  }
}

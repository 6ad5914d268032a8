package nl.sleutelbos.ngsild.query;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Terms joined by {@code |} (clause 4.9 {@code orOp}): at least one must hold. AND binds tighter,
 * so {@code a;b|c} is an Or of an And and {@code c}.
 */
public record Or(List<Query> terms) implements Query {
  public Or {
    terms = List.copyOf(terms);
    if (terms.size() < 2) {
      throw new IllegalArgumentException("an Or needs two terms: " + terms);
    }
  }

  @Override
  public Query mapAttributes(UnaryOperator<String> expander) {
    return new Or(terms.stream().map(t -> t.mapAttributes(expander)).toList());
  }

  @Override
  public String toString() {
    return QueryPrinter.print(this);
  }
}

package nl.sleutelbos.ngsild.query;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Terms joined by {@code ;} (clause 4.9 {@code andOp}): all must hold. The tree keeps the grouping
 * as written: {@code (a;b);c} is an And holding an And, {@code a;b;c} one And of three.
 */
public record And(List<Query> terms) implements Query {
  public And {
    terms = List.copyOf(terms);
    if (terms.size() < 2) {
      throw new IllegalArgumentException("an And needs two terms: " + terms);
    }
  }

  @Override
  public Query mapAttributes(UnaryOperator<String> expander) {
    return new And(terms.stream().map(t -> t.mapAttributes(expander)).toList());
  }

  @Override
  public String toString() {
    return QueryPrinter.print(this);
  }
}

package nl.sleutelbos.ngsild.query;

import static java.util.Objects.requireNonNull;

import java.util.function.UnaryOperator;

/** A path on its own, {@code temperature} (clause 4.9 example 0): the target element exists. */
public record Exists(AttributePath path) implements Query {
  public Exists {
    requireNonNull(path, "path is null");
  }

  @Override
  public Query mapAttributes(UnaryOperator<String> expander) {
    return new Exists(path.mapAttributes(expander));
  }

  @Override
  public String toString() {
    return QueryPrinter.print(this);
  }
}

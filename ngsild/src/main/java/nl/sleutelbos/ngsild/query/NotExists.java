package nl.sleutelbos.ngsild.query;

import static java.util.Objects.requireNonNull;

import java.util.function.UnaryOperator;

/** {@code !temperature}: the target element does not exist. */
public record NotExists(AttributePath path) implements Query {
  public NotExists {
    requireNonNull(path, "path is null");
  }

  @Override
  public Query mapAttributes(UnaryOperator<String> expander) {
    return new NotExists(path.mapAttributes(expander));
  }

  @Override
  public String toString() {
    return QueryPrinter.print(this);
  }
}

package nl.sleutelbos.ngsild.query;

/** The comparison operators of clause 4.9 (production {@code Operator}). */
public enum Operator {
  EQUAL("=="),
  UNEQUAL("!="),
  GREATER(">"),
  GREATER_EQ(">="),
  LESS("<"),
  LESS_EQ("<=");

  private final String symbol;

  Operator(String symbol) {
    this.symbol = symbol;
  }

  /** The operator as written in a query, for example {@code >=}. */
  public String symbol() {
    return symbol;
  }

  /**
   * Whether this is {@code ==} or {@code !=}, the only operators that take lists, ranges, URIs and
   * booleans.
   */
  public boolean isEquality() {
    return this == EQUAL || this == UNEQUAL;
  }
}

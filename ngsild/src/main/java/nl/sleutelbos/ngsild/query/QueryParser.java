package nl.sleutelbos.ngsild.query;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import nl.sleutelbos.ngsild.ErrorType;
import nl.sleutelbos.ngsild.NgsiLdException;

/**
 * Parses the {@code q} parameter: the NGSI-LD Query Language of clause 4.9.
 *
 * <pre>
 * query    = or
 * or       = and *("|" and)                  ; orOp; AND binds tighter than OR
 * and      = primary *(";" primary)          ; andOp
 * primary  = "(" or ")" / term               ; QueryTermAssoc, nesting allowed (example 6)
 * term     = "!" path                        ; not in the ABNF: the attribute does not exist
 *          / path [ op value ]               ; QueryTerm
 * op       = "==" / "!=" / ">=" / ">" / "<=" / "<"
 *          / "~=" / "!~=" / "=~" / "!~"      ; the last two: aliases of patternOp, notPatternOp
 * </pre>
 *
 * Paths are read by {@code PathReader}, values by {@code ValueReader}, regular expressions by
 * {@code RegexText}. The text arrives URL-decoded; whitespace is only allowed inside quoted strings
 * and regular expressions.
 *
 * <p>Every failure is an {@link NgsiLdException}: a {@link QuerySyntaxException} for text that is
 * not a query, {@link ErrorType#TOO_COMPLEX_QUERY} for text over {@value #MAX_LENGTH} characters or
 * parentheses nested deeper than {@value #MAX_DEPTH}.
 */
public final class QueryParser {
  /** The longest query read, in UTF-16 units. */
  public static final int MAX_LENGTH = 4096;

  /** The deepest nesting of parentheses read. */
  public static final int MAX_DEPTH = 32;

  /** Operators in the order they are tried, so that ">=" is not read as ">" and "=". */
  private static final List<Operator> READ_ORDER =
      List.of(
          Operator.EQUAL,
          Operator.UNEQUAL,
          Operator.GREATER_EQ,
          Operator.GREATER,
          Operator.LESS_EQ,
          Operator.LESS);

  private final Cursor in;

  private QueryParser(Cursor in) {
    this.in = in;
  }

  /**
   * Parses {@code q}.
   *
   * @throws NullPointerException if {@code q} is null
   * @throws QuerySyntaxException if {@code q} is not a query, with the position and what was
   *     expected there
   * @throws NgsiLdException of type {@link ErrorType#TOO_COMPLEX_QUERY} if {@code q} is too long or
   *     too deeply nested
   */
  public static Query parse(String q) {
    requireNonNull(q, "q is null");
    if (q.length() > MAX_LENGTH) {
      throw new NgsiLdException(
          ErrorType.TOO_COMPLEX_QUERY,
          "q: " + q.length() + " characters, more than the " + MAX_LENGTH + " allowed");
    }
    QueryParser parser = new QueryParser(new Cursor(q));
    Query query = parser.or(0);
    if (!parser.in.atEnd()) {
      // term() accepts only ';', '|', ')' or the end after a term, so this is a stray ')'.
      throw parser.in.error("unexpected ')' without a matching '('");
    }
    return query;
  }

  private Query or(int depth) {
    List<Query> terms = new ArrayList<>();
    terms.add(and(depth));
    // Clause 4.9: "the logical AND operator shall take precedence over the logical OR operator",
    // so an Or is made of Ands.
    while (in.skip('|')) {
      terms.add(and(depth));
    }
    return terms.size() == 1 ? terms.getFirst() : new Or(terms);
  }

  private Query and(int depth) {
    List<Query> terms = new ArrayList<>();
    terms.add(primary(depth));
    while (in.skip(';')) {
      terms.add(primary(depth));
    }
    return terms.size() == 1 ? terms.getFirst() : new And(terms);
  }

  private Query primary(int depth) {
    int open = in.pos();
    if (!in.skip('(')) {
      return term();
    }
    if (depth >= MAX_DEPTH) {
      throw new NgsiLdException(
          ErrorType.TOO_COMPLEX_QUERY,
          "q: parentheses nested deeper than " + MAX_DEPTH + " at position " + in.position(open));
    }
    Query inner = or(depth + 1);
    if (!in.skip(')')) {
      throw in.error("expected ')' to close the '(' from position " + in.position(open));
    }
    return inner;
  }

  private Query term() {
    if (in.skip('!')) {
      AttributePath path = PathReader.read(in, " after '!'");
      expectEndOfTerm("expected ';', '|' or ')' after the attribute path");
      return new NotExists(path);
    }
    AttributePath path = PathReader.read(in, "");
    Query term = operatorAndValue(path);
    expectEndOfTerm(
        term instanceof Exists
            ? "expected an operator, ';', '|' or ')' after the attribute path"
            : "expected ';', '|' or ')' after the value");
    return term;
  }

  private Query operatorAndValue(AttributePath path) {
    // Longer operators first: "!~=" before "!~" and "!=", ">=" before ">".
    if (in.skip("!~=")) {
      return new PatternMatch(path, true, RegexText.read(in, "!~="));
    }
    if (in.skip("!~")) {
      return new PatternMatch(path, true, RegexText.read(in, "!~"));
    }
    if (in.skip("~=")) {
      return new PatternMatch(path, false, RegexText.read(in, "~="));
    }
    if (in.skip("=~")) {
      return new PatternMatch(path, false, RegexText.read(in, "=~"));
    }
    for (Operator op : READ_ORDER) {
      if (in.skip(op.symbol())) {
        Value value =
            op.isEquality()
                ? ValueReader.equality(in, op.symbol())
                : ValueReader.comparable(in, op.symbol());
        return new Comparison(path, op, value);
      }
    }
    int cp = in.peek();
    if (cp == '=' || cp == '!' || cp == '~') {
      throw in.error("expected one of == != > >= < <= ~= !~=");
    }
    return new Exists(path);
  }

  private void expectEndOfTerm(String expected) {
    int cp = in.peek();
    if (cp != -1 && cp != ';' && cp != '|' && cp != ')') {
      throw in.error(expected);
    }
  }
}

package nl.sleutelbos.ngsild.query;

import static java.util.Objects.requireNonNull;

import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code path~=regex} or, negated, {@code path!~=regex} (clause 4.9 {@code patternOp}, {@code
 * notPatternOp}). The regex is a {@link java.util.regex.Pattern}, matched with {@code find()}.
 *
 * @param regex a valid {@code java.util.regex} pattern
 */
public record PatternMatch(AttributePath path, boolean negated, String regex) implements Query {
  public PatternMatch {
    requireNonNull(path, "path is null");
    requireNonNull(regex, "regex is null");
    try {
      Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("not a regular expression: " + regex, e);
    }
  }

  @Override
  public Query mapAttributes(UnaryOperator<String> expander) {
    return new PatternMatch(path.mapAttributes(expander), negated, regex);
  }

  @Override
  public String toString() {
    return QueryPrinter.print(this);
  }
}

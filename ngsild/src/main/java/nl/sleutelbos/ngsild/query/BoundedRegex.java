package nl.sleutelbos.ngsild.query;

import java.util.regex.Pattern;
import nl.sleutelbos.ngsild.ErrorType;
import nl.sleutelbos.ngsild.NgsiLdException;

/**
 * {@code Pattern.matcher(text).find()} with a step budget. The regex comes from the client and
 * {@code java.util.regex} backtracks: {@code (a+)+$} takes exponential time on a long run of {@code
 * a}. The matcher reads the text only through {@code charAt}, so counting those reads bounds the
 * work; past the budget, or on a matcher stack overflow, the query is refused.
 */
final class BoundedRegex {
  /**
   * Character reads allowed per match, some tens of milliseconds: ample for the short strings of
   * attribute values even with quadratic regexes ({@code .*x} without an x), fatal for exponential
   * ones.
   */
  private static final long MIN_BUDGET = 10_000_000;

  private static final long BUDGET_PER_CHAR = 1_000;

  private BoundedRegex() {}

  /**
   * Whether {@code pattern} is found in {@code text}.
   *
   * @throws NgsiLdException of type TOO_COMPLEX_QUERY if the match takes too many steps
   */
  static boolean find(Pattern pattern, String text) {
    long budget = Math.max(MIN_BUDGET, BUDGET_PER_CHAR * text.length());
    try {
      return pattern.matcher(new CountingText(text, 0, text.length(), new long[] {budget})).find();
    } catch (OutOfBudget | StackOverflowError e) {
      throw new NgsiLdException(
          ErrorType.TOO_COMPLEX_QUERY,
          "q: the regular expression \""
              + pattern.pattern()
              + "\" takes too many steps to evaluate");
    }
  }

  private static final class OutOfBudget extends RuntimeException {
    OutOfBudget() {
      super(null, null, false, false);
    }
  }

  /** A view of a string that spends one unit of a shared budget per character read. */
  private record CountingText(String text, int from, int to, long[] budget)
      implements CharSequence {
    @Override
    public int length() {
      return to - from;
    }

    @Override
    public char charAt(int index) {
      if (--budget[0] < 0) {
        throw new OutOfBudget();
      }
      return text.charAt(from + index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return new CountingText(text, from + start, from + end, budget);
    }

    @Override
    public String toString() {
      return text.substring(from, to);
    }
  }
}

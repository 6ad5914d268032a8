package nl.sleutelbos.ngsild.query;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import nl.sleutelbos.ngsild.ErrorType;
import nl.sleutelbos.ngsild.NgsiLdException;

/**
 * The regular expression after {@code ~=} or {@code !~=} (clause 4.9 {@code RegExp}), in its two
 * written forms.
 *
 * <p>Unquoted, as the grammar has it: the regex runs to the first {@code ;}, {@code |} or {@code )}
 * that is outside its own groups and character classes and not escaped, so {@code
 * name~=(?i)^(ab|cd);x} ends before {@code ;x}. A top-level {@code |} ends the regex, so an
 * alternation must be grouped or quoted.
 *
 * <p>Quoted, for anything else: {@code "..."}, where {@code \"} is a quote and {@code \\} a
 * backslash, and every other backslash is kept for the regex ({@code "\d+"} is {@code \d+}).
 */
final class RegexText {
  /** Deeper groups or character classes are refused: {@code Pattern.compile} recurses on them. */
  static final int MAX_NESTING = 32;

  private RegexText() {}

  /** Reads, checks and returns the regex at the cursor; {@code op} is for error messages. */
  static String read(Cursor in, String op) {
    int start = in.pos();
    String regex;
    if (in.peek() == '"') {
      regex = quoted(in);
    } else {
      Scan scan = scan(in.text(), start, true);
      regex = in.text().substring(start, scan.end());
      in.reset(scan.end());
    }
    if (regex.isEmpty()) {
      throw in.errorAt(start, "expected a regular expression after '" + op + "'");
    }
    if (scan(regex, 0, false).depth() > MAX_NESTING) {
      throw new NgsiLdException(
          ErrorType.TOO_COMPLEX_QUERY,
          "q: the regular expression at position "
              + in.position(start)
              + " nests groups or classes deeper than "
              + MAX_NESTING);
    }
    try {
      Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw in.errorAt(start, "expected a valid regular expression (" + e.getDescription() + ")");
    }
    return regex;
  }

  /** Whether {@code regex} reads back unchanged when written without quotes. */
  static boolean writableUnquoted(String regex) {
    if (regex.isEmpty() || regex.charAt(0) == '"') {
      return false;
    }
    // Whatever follows the regex in printed text ends it at the same place.
    for (String follower : new String[] {"", ";", "|", ")"}) {
      if (scan(regex + follower, 0, true).end() != regex.length()) {
        return false;
      }
    }
    return true;
  }

  /** The quoted form of {@code regex}, as {@link #read} reads it. */
  static String quote(String regex) {
    StringBuilder out = new StringBuilder(regex.length() + 2).append('"');
    for (int i = 0; i < regex.length(); i++) {
      char c = regex.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\');
      }
      out.append(c);
    }
    return out.append('"').toString();
  }

  private static String quoted(Cursor in) {
    int open = in.pos();
    in.next();
    StringBuilder out = new StringBuilder();
    while (true) {
      if (in.atEnd()) {
        throw in.errorAt(open, "expected a closing '\"' for the regular expression opened");
      }
      int cp = in.next();
      if (cp == '"') {
        return out.toString();
      }
      if (cp == '\\' && (in.peek() == '"' || in.peek() == '\\')) {
        out.appendCodePoint(in.next());
      } else {
        out.appendCodePoint(cp);
      }
    }
  }

  /** Where an unquoted regex from {@code from} ends, and how deep it nests. */
  record Scan(int end, int depth) {}

  static Scan scan(String s, int from, boolean stopAtDelimiter) {
    int groups = 0;
    int classes = 0;
    int deepest = 0;
    int i = from;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '\\') {
        if (i + 1 < s.length() && s.charAt(i + 1) == 'Q') {
          // \Q...\E quotes everything up to \E (or the end).
          int e = s.indexOf("\\E", i + 2);
          i = e < 0 ? s.length() : e + 2;
        } else {
          i = Math.min(i + 2, s.length());
        }
        continue;
      }
      if (c == '[') {
        classes++;
      } else if (c == ']' && classes > 0) {
        classes--;
      } else if (classes == 0) {
        if (c == '(') {
          groups++;
        } else if (c == ')' && groups > 0) {
          groups--;
        } else if (stopAtDelimiter && (c == ')' || c == ';' || c == '|') && groups == 0) {
          return new Scan(i, deepest);
        }
      }
      deepest = Math.max(deepest, groups + classes);
      i++;
    }
    return new Scan(s.length(), deepest);
  }
}

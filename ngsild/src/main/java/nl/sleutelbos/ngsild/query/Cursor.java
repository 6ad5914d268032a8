package nl.sleutelbos.ngsild.query;

import java.util.function.IntPredicate;

/**
 * A position in the query text, read by code point, and the one place syntax errors are made so
 * that they all look alike: {@code q: <what was expected> at position N in "<query>"}.
 */
final class Cursor {
  /** Queries longer than this are quoted in messages as an excerpt around the position. */
  private static final int QUOTE_WHOLE = 100;

  private static final int EXCERPT = 40;

  private final String text;
  private int pos;

  Cursor(String text) {
    this.text = text;
  }

  String text() {
    return text;
  }

  int pos() {
    return pos;
  }

  void reset(int pos) {
    this.pos = pos;
  }

  boolean atEnd() {
    return pos >= text.length();
  }

  /** The code point at the position, or -1 at the end. */
  int peek() {
    return atEnd() ? -1 : text.codePointAt(pos);
  }

  /** The code point at UTF-16 index {@code index}, or -1 past the end. */
  int peekAt(int index) {
    return index < text.length() ? text.codePointAt(index) : -1;
  }

  boolean startsWith(String s) {
    return text.startsWith(s, pos);
  }

  /** Skips {@code s} if the text continues with it. */
  boolean skip(String s) {
    if (startsWith(s)) {
      pos += s.length();
      return true;
    }
    return false;
  }

  boolean skip(int cp) {
    if (peek() == cp) {
      pos += Character.charCount(cp);
      return true;
    }
    return false;
  }

  /** Reads and returns the code point at the position; the caller checked {@link #atEnd()}. */
  int next() {
    int cp = text.codePointAt(pos);
    pos += Character.charCount(cp);
    return cp;
  }

  /** Reads the longest run of code points that {@code accept} takes, possibly empty. */
  String readWhile(IntPredicate accept) {
    int start = pos;
    while (!atEnd() && accept.test(peek())) {
      pos += Character.charCount(peek());
    }
    return text.substring(start, pos);
  }

  /** A syntax error at the current position. */
  QuerySyntaxException error(String expected) {
    return errorAt(pos, expected);
  }

  /** A syntax error at {@code index} (a UTF-16 index into the text). */
  QuerySyntaxException errorAt(int index, String expected) {
    int at = Math.min(index, text.length());
    int position = position(at);
    return new QuerySyntaxException(
        "q: " + expected + " at position " + position + " in \"" + excerpt(at) + "\"", position);
  }

  /** How {@code index} is shown to a person: 1-based, counting code points. */
  int position(int index) {
    return text.codePointCount(0, Math.min(index, text.length())) + 1;
  }

  private String excerpt(int at) {
    if (text.length() <= QUOTE_WHOLE) {
      return text;
    }
    int from = Math.max(0, at - EXCERPT);
    int to = Math.min(text.length(), at + EXCERPT);
    // Do not cut a surrogate pair in half.
    if (from > 0 && Character.isLowSurrogate(text.charAt(from))) {
      from--;
    }
    if (to < text.length() && Character.isLowSurrogate(text.charAt(to))) {
      to++;
    }
    return (from > 0 ? "…" : "") + text.substring(from, to) + (to < text.length() ? "…" : "");
  }
}

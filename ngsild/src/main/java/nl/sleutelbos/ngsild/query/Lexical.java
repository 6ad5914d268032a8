package nl.sleutelbos.ngsild.query;

import java.util.regex.Pattern;

/**
 * The character classes and literal shapes of the query language, shared by the parser and the
 * printer so that what one writes the other reads back.
 *
 * <p>Clause 4.9 defines {@code AttrName = unicodeLetter *TermChar} with {@code TermChar =
 * unicodeNumber / unicodeLetter / "_"}. Names may also be compact or absolute IRIs (clause 5.5.7
 * allows expanded names), which need a wider set. Unquoted values are numbers (RFC 8259 section 6),
 * {@code true}/{@code false}, dateTime/date/time (clause 4.6.3) or URIs (RFC 3986/3987); the query
 * delimiters {@code ; | ( ) ,} and brackets and quotes never occur in them.
 */
final class Lexical {
  /** RFC 8259 section 6, production {@code number}. */
  static final Pattern NUMBER =
      Pattern.compile("-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?");

  /** Clause 4.6.3 DateTime; seconds, fraction and zone optional (no zone means UTC). */
  static final Pattern DATE_TIME =
      Pattern.compile(
          "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\\.[0-9]{1,9})?)?"
              + "(?:Z|[+-][0-9]{2}:[0-9]{2})?");

  /** Clause 4.6.3 Date. */
  static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");

  /** Clause 4.6.3 Time; seconds and fraction optional, an optional trailing Z. */
  static final Pattern TIME =
      Pattern.compile("[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\\.[0-9]{1,9})?)?Z?");

  private static final String IRI_EXTRA = "-:/#%@+$&?*'";
  private static final String VALUE_EXTRA = "-._~:/?#@!$&'*+=%";
  private static final String TERMINATORS = "[=!<>~;|)";

  private Lexical() {}

  /** Clause 4.9 {@code unicodeLetter}: the first character of an AttrName. */
  static boolean isTermStart(int cp) {
    return Character.isLetter(cp);
  }

  /** Clause 4.9 {@code TermChar}. */
  static boolean isTermChar(int cp) {
    return Character.isLetter(cp) || isUnicodeNumber(cp) || cp == '_';
  }

  /** A character of an IRI attribute name after its first ':'; the dot is decided apart. */
  static boolean isIriChar(int cp) {
    return isTermChar(cp) || IRI_EXTRA.indexOf(cp) >= 0;
  }

  /** A character of a compound-value member name between {@code [ ]}. */
  static boolean isKeyChar(int cp) {
    return cp != '.'
        && cp != '['
        && cp != ']'
        && cp != '"'
        && !Character.isWhitespace(cp)
        && !Character.isSpaceChar(cp)
        && !Character.isISOControl(cp);
  }

  /** A character of an unquoted value: a number, boolean, date/time or URI. */
  static boolean isValueChar(int cp) {
    return Character.isLetter(cp) || isUnicodeNumber(cp) || VALUE_EXTRA.indexOf(cp) >= 0;
  }

  /** A character that may follow an attribute path: an operator, a bracket or a delimiter. */
  static boolean isPathTerminator(int cp) {
    return TERMINATORS.indexOf(cp) >= 0;
  }

  /** Whether {@code text} is read back as a URI: it starts with a letter and is not a boolean. */
  static boolean isUriLiteral(String text) {
    if (text.isEmpty() || !Character.isLetter(text.codePointAt(0))) {
      return false;
    }
    if (text.equals("true") || text.equals("false")) {
      return false;
    }
    return text.codePoints().allMatch(Lexical::isValueChar);
  }

  private static boolean isUnicodeNumber(int cp) {
    int type = Character.getType(cp);
    return type == Character.DECIMAL_DIGIT_NUMBER
        || type == Character.LETTER_NUMBER
        || type == Character.OTHER_NUMBER;
  }
}

package nl.sleutelbos.ngsild.context;

import java.util.Set;

/** Lexical tests on IRIs and JSON-LD keywords (JSON-LD 1.1 syntax, clauses 1.7 and 9.2). */
final class Iris {
  private Iris() {}

  static final Set<String> KEYWORDS =
      Set.of(
          "@base",
          "@container",
          "@context",
          "@direction",
          "@graph",
          "@id",
          "@import",
          "@included",
          "@index",
          "@json",
          "@language",
          "@list",
          "@nest",
          "@none",
          "@prefix",
          "@propagate",
          "@protected",
          "@reverse",
          "@set",
          "@type",
          "@value",
          "@version",
          "@vocab");

  static boolean isKeyword(String s) {
    return KEYWORDS.contains(s);
  }

  /**
   * True for strings of the form {@code @} followed by letters only: JSON-LD reserves them for
   * future keywords and ignores them where a term or IRI is expected.
   */
  static boolean looksLikeKeyword(String s) {
    if (s.length() < 2 || s.charAt(0) != '@') return false;
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return false;
    }
    return true;
  }

  /**
   * True if {@code s} starts with an RFC 3986 scheme ({@code ALPHA *( ALPHA / DIGIT / "+" / "-" /
   * "." ) ":"}) and has no whitespace: enough to tell {@code urn:ngsi-ld:x} and {@code https://x}
   * from a term or a relative reference.
   */
  static boolean isAbsoluteIri(String s) {
    int colon = s.indexOf(':');
    if (colon < 1) return false;
    if (!isAsciiLetter(s.charAt(0))) return false;
    for (int i = 1; i < colon; i++) {
      char c = s.charAt(i);
      if (!(isAsciiLetter(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')) {
        return false;
      }
    }
    for (int i = colon + 1; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) return false;
    }
    return true;
  }

  /** True for IRIs and blank node identifiers ({@code _:b0}): what a term may map to. */
  static boolean isIriOrBlankNode(String s) {
    return s.startsWith("_:") || isAbsoluteIri(s);
  }

  /**
   * True if the IRI ends with one of RFC 3986's gen-delims ({@code :/?#[]@}): JSON-LD 1.1 makes
   * such simple terms usable as prefixes of compact IRIs (Create Term Definition, step 14.2.5).
   */
  static boolean endsWithGenDelim(String iri) {
    if (iri.isEmpty()) return false;
    return ":/?#[]@".indexOf(iri.charAt(iri.length() - 1)) >= 0;
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
}

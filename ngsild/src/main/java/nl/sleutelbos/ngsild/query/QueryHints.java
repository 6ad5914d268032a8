package nl.sleutelbos.ngsild.query;

import java.util.HashSet;
import java.util.Set;

/**
 * Text that the stored JSON of every entity a query matches must contain, so that the store can
 * skip the others without parsing them (it does so with a substring test in SQL).
 *
 * <p>A term that must hold (a conjunct at the top, not under {@code |} or {@code !}) needs its
 * attribute, so the attribute's quoted IRI, the key of the attribute, is in the document. An
 * equality with a string or URI value needs that string, quoted as JSON writes it. Texts that
 * a JSON writer might escape (quotes, backslashes, control and non-ASCII characters) are left
 * out: the hints must never exclude a match, and fewer hints only cost speed.
 *
 * <p>The query's attribute names must already be expanded ({@link Query#mapAttributes}).
 */
public final class QueryHints {
  private QueryHints() {}

  public static Set<String> requiredFragments(Query query) {
    Set<String> out = new HashSet<>();
    collect(query, out);
    return out;
  }

  private static void collect(Query query, Set<String> out) {
    switch (query) {
      case And and -> and.terms().forEach(t -> collect(t, out));
      case Or or -> { } // a branch may match without the others' texts
      case NotExists notExists -> { }
      case Exists exists -> quoted(exists.path().name(), out);
      case PatternMatch pattern -> quoted(pattern.path().name(), out);
      case Comparison comparison -> {
        quoted(comparison.path().name(), out);
        if (comparison.operator() == Operator.EQUAL) {
          switch (comparison.value()) {
            case Value.StringValue s -> quoted(s.text(), out);
            case Value.UriValue u -> quoted(u.text(), out);
            default -> { }
          }
        }
      }
    }
  }

  private static void quoted(String text, Set<String> out) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        return;
      }
    }
    out.add('"' + text + '"');
  }
}

package nl.sleutelbos.ngsild.query;

import java.util.HashSet;
import java.util.Set;

/**
 * What the stored document of every entity a query matches must have, so that the store can skip
 * the others without parsing them.
 *
 * <p>A term that must hold (a conjunct at the top, not under {@code |} or {@code !}) needs its
 * attribute: the attribute's IRI is a top-level key of the document. An equality with a string or
 * URI value needs that string somewhere in the document, quoted as JSON writes it. Texts that a
 * JSON writer might escape (quotes, backslashes, control and non-ASCII characters) are left out:
 * hints must never exclude a match, and fewer hints only cost speed.
 *
 * <p>The query's attribute names must already be expanded ({@link Query#mapAttributes}).
 *
 * @param keys attribute IRIs every match has
 * @param texts quoted JSON strings every match's document contains
 */
public record QueryHints(Set<String> keys, Set<String> texts) {
  public static final QueryHints NONE = new QueryHints(Set.of(), Set.of());

  public QueryHints {
    keys = Set.copyOf(keys);
    texts = Set.copyOf(texts);
  }

  public static QueryHints of(Query query) {
    Set<String> keys = new HashSet<>();
    Set<String> texts = new HashSet<>();
    collect(query, keys, texts);
    return new QueryHints(keys, texts);
  }

  private static void collect(Query query, Set<String> keys, Set<String> texts) {
    switch (query) {
      case And and -> and.terms().forEach(t -> collect(t, keys, texts));
      case Or or -> { } // a branch may match without the others' attributes
      case NotExists notExists -> { }
      case Exists exists -> keys.add(exists.path().name());
      case PatternMatch pattern -> keys.add(pattern.path().name());
      case Comparison comparison -> {
        keys.add(comparison.path().name());
        if (comparison.operator() == Operator.EQUAL) {
          switch (comparison.value()) {
            case Value.StringValue s -> quoted(s.text(), texts);
            case Value.UriValue u -> quoted(u.text(), texts);
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

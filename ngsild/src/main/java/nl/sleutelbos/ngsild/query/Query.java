package nl.sleutelbos.ngsild.query;

import java.util.function.UnaryOperator;

/**
 * A parsed NGSI-LD query ({@code q}, clause 4.9): an immutable tree of Query Terms joined by AND
 * ({@code ;}) and OR ({@code |}).
 *
 * <p>{@link #toString()} is the canonical text: {@link QueryParser#parse} reads it back to an equal
 * tree (for trees whose attribute names follow the grammar), and printing that again gives the same
 * text.
 */
public sealed interface Query permits And, Or, Exists, NotExists, Comparison, PatternMatch {

  /** Parses {@code q}; see {@link QueryParser#parse}. */
  static Query parse(String q) {
    return QueryParser.parse(q);
  }

  /**
   * A copy with every attribute name and sub-attribute (dot) segment passed through {@code
   * expander}, for example a JSON-LD term expander. NGSI-LD member segments ({@code observedAt},
   * {@code unitCode}, {@code datasetId}, {@code createdAt}, {@code modifiedAt}, {@code object},
   * {@code value}, {@code languageMap}, {@code type}) and compound ({@code [ ]}) segments stay.
   */
  Query mapAttributes(UnaryOperator<String> expander);

  /**
   * This query as a test on entities in the internal form ({@link nl.sleutelbos.ngsild}), with its
   * regular expressions compiled once. The matching rules are in the package documentation and
   * {@code QueryEvaluator}.
   */
  default EntityPredicate predicate() {
    return QueryEvaluator.compile(this);
  }
}

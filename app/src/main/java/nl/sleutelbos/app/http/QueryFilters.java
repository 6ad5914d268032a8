package nl.sleutelbos.app.http;

import java.util.Optional;
import nl.sleutelbos.ngsild.context.LdContext;
import nl.sleutelbos.ngsild.query.EntityPredicate;
import nl.sleutelbos.ngsild.query.Query;
import nl.sleutelbos.ngsild.query.QueryHints;

/** Compiles the {@code q} parameter into a predicate over the internal entity form. */
final class QueryFilters {
  /** The predicate, and what every matching stored document has. */
  record Compiled(EntityPredicate predicate, QueryHints hints) {
    static final Compiled ALL = new Compiled(EntityPredicate.all(), QueryHints.NONE);
  }

  private QueryFilters() {}

  /** Parses q, expands its attribute names with the request's context, and compiles it. */
  static Compiled compile(Optional<String> q, LdContext context) {
    if (q.isEmpty()) {
      return Compiled.ALL;
    }
    Query query = Query.parse(q.get()).mapAttributes(context::expandTerm);
    return new Compiled(query.predicate(), QueryHints.of(query));
  }
}

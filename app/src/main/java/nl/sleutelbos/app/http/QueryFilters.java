package nl.sleutelbos.app.http;

import nl.sleutelbos.ngsild.context.LdContext;
import nl.sleutelbos.ngsild.query.EntityPredicate;
import nl.sleutelbos.ngsild.query.Query;

/** Compiles the {@code q} parameter into a predicate over the internal entity form. */
final class QueryFilters {
  private QueryFilters() {}

  /** Parses q, expands its attribute names with the request's context, and compiles it. */
  static EntityPredicate compile(String q, LdContext context) {
    return Query.parse(q).mapAttributes(context::expandTerm).predicate();
  }
}

package nl.sleutelbos.app.http;

import nl.sleutelbos.ngsild.ErrorType;
import nl.sleutelbos.ngsild.NgsiLdException;
import nl.sleutelbos.ngsild.context.LdContext;
import nl.sleutelbos.ngsild.query.EntityPredicate;

/** Compiles the {@code q} parameter into a predicate over the internal entity form. */
final class QueryFilters {
  private QueryFilters() {}

  static EntityPredicate compile(String q, LdContext context) {
    throw new NgsiLdException(ErrorType.OPERATION_NOT_SUPPORTED, "q is not wired yet: " + q);
  }
}

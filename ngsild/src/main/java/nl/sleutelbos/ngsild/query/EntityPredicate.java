package nl.sleutelbos.ngsild.query;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** TEMPORARY stand-in until the query branch lands. */
public interface EntityPredicate {
  boolean test(ObjectNode entity);

  static EntityPredicate all() {
    return e -> true;
  }
}

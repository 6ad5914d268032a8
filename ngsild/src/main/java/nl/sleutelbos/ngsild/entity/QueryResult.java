package nl.sleutelbos.ngsild.entity;

import java.util.List;

/** A page of matching entities; {@code count} is the total number of matches, or -1 if not asked. */
public record QueryResult(List<Entity> entities, long count) {
  public QueryResult {
    entities = List.copyOf(entities);
  }
}

package nl.sleutelbos.ngsild.entity;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import nl.sleutelbos.ngsild.geo.GeoQuery;
import nl.sleutelbos.ngsild.query.EntityPredicate;
import nl.sleutelbos.ngsild.query.QueryHints;

/**
 * A query over entities (clause 5.7.2) with every name already expanded.
 *
 * @param selectors an entity matches if any selector admits it; never empty
 * @param attrs entities must have at least one of these attributes (empty: no condition)
 * @param filter the q (and later geoQ) condition
 * @param hints what the stored document of every match has; lets the store skip entities
 *     without reading them
 * @param limit at most this many entities (0 with count asks for the count only)
 * @param offset skip this many matches first
 * @param count whether to count all matches
 * @param geo the geo-query (clause 4.10), if any; besides filtering it lets the store use its
 *     spatial index
 */
public record EntityQuery(List<EntitySelector> selectors, Set<String> attrs, EntityPredicate filter,
    QueryHints hints, int limit, int offset, boolean count, Optional<GeoQuery> geo) {
  public static final int DEFAULT_LIMIT = 20;
  public static final int MAX_LIMIT = 1000;

  public EntityQuery {
    selectors = List.copyOf(selectors);
    if (selectors.isEmpty()) {
      throw new IllegalArgumentException("selectors is empty");
    }
    attrs = Set.copyOf(attrs);
    java.util.Objects.requireNonNull(hints, "hints is null");
    if (limit < 0 || offset < 0) {
      throw new IllegalArgumentException("limit/offset < 0: " + limit + "/" + offset);
    }
    java.util.Objects.requireNonNull(geo, "geo is null");
  }

  /** A query without a geo-query. */
  public EntityQuery(List<EntitySelector> selectors, Set<String> attrs, EntityPredicate filter,
      QueryHints hints, int limit, int offset, boolean count) {
    this(selectors, attrs, filter, hints, limit, offset, count, Optional.empty());
  }

  /** This query, also restricted by the geo-query. */
  public EntityQuery withGeo(Optional<GeoQuery> geo) {
    return new EntityQuery(selectors, attrs, filter, hints, limit, offset, count, geo);
  }

  public boolean selects(String id, List<String> types) {
    for (EntitySelector s : selectors) {
      if (s.matches(id, types)) {
        return true;
      }
    }
    return false;
  }
}

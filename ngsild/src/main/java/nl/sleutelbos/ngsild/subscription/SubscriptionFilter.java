package nl.sleutelbos.ngsild.subscription;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import nl.sleutelbos.ngsild.context.LdContext;
import nl.sleutelbos.ngsild.entity.Entity;
import nl.sleutelbos.ngsild.geo.GeoQuery;
import nl.sleutelbos.ngsild.query.EntityPredicate;
import nl.sleutelbos.ngsild.query.Query;
import nl.sleutelbos.store.ChangeEvent;
import nl.sleutelbos.store.ChangeFeed;

/**
 * A subscription's conditions compiled once: which changes on the feed it is notified of
 * (clause 5.2.12: entities, watchedAttributes, q, geoQ, all of which must hold).
 */
final class SubscriptionFilter {
  private final Subscription subscription;
  private final List<Optional<Pattern>> patterns = new ArrayList<>();
  private final EntityPredicate q;
  private final Optional<GeoQuery> geo;

  SubscriptionFilter(Subscription subscription, LdContext context) {
    this.subscription = subscription;
    subscription.entities().forEach(p -> patterns.add(p.compiledPattern()));
    this.q = subscription.q().map(text -> Query.parse(text).mapAttributes(context::expandTerm).predicate())
        .orElse(EntityPredicate.all());
    this.geo = subscription.geoQ().map(g -> GeoQuery.fromJson(g, context::expandTerm));
  }

  /** Whether the entity's id and types are among the subscription's entities. */
  boolean selects(String id, List<String> types) {
    if (subscription.entities().isEmpty()) {
      return true;
    }
    for (int i = 0; i < patterns.size(); i++) {
      if (subscription.entities().get(i).matches(id, types, patterns.get(i))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the change is notified. A deletion is notified whenever the entity was selected and
   * matched; watchedAttributes only narrows creations and updates.
   */
  boolean matches(ChangeFeed.Change change, Entity entity) {
    if (!selects(change.entityId(), change.types())) {
      return false;
    }
    if (change.kind() != ChangeEvent.Kind.DELETED && !subscription.watchedAttributes().isEmpty()
        && Collections.disjoint(subscription.watchedAttributes(), change.attributes())) {
      return false;
    }
    return state(entity);
  }

  /** Whether the entity's state meets q and geoQ. */
  boolean state(Entity entity) {
    return q.test(entity.document()) && geo.map(g -> g.matches(entity)).orElse(true);
  }
}

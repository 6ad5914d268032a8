package nl.sleutelbos.ngsild.subscription;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A subscription (clause 5.2.12) in the internal form: names are expanded IRIs, and the client's
 * {@code @context} is kept so that notifications are compacted the way the subscriber speaks.
 *
 * @param tenant the tenant whose entities it watches
 * @param id its URI
 * @param entities which entities it is about; empty means any (then watchedAttributes is set)
 * @param watchedAttributes the expanded attributes whose change triggers a notification; empty means any
 * @param q the query as the client wrote it (compact names, expanded with {@code context})
 * @param geoQ the geo-query as the client wrote it
 * @param throttling the least time between two notifications
 * @param timeInterval notify the matching entities this often instead of on change
 * @param expiresAt when it stops notifying for good
 * @param active false while paused by the client
 * @param context the client's {@code @context} value (a URL text node, object or array)
 */
public record Subscription(String tenant, String id, Optional<String> name, Optional<String> description,
    List<EntityPattern> entities, Set<String> watchedAttributes, Optional<String> q, Optional<ObjectNode> geoQ,
    NotificationParams notification, Optional<Duration> throttling, Optional<Duration> timeInterval,
    Optional<Instant> expiresAt, boolean active, JsonNode context, Instant createdAt, Instant modifiedAt) {

  /** The three states of clause 5.2.12's {@code status} member. */
  public enum Status {
    ACTIVE("active"), PAUSED("paused"), EXPIRED("expired");

    private final String text;

    Status(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }
  }

  public Subscription {
    requireNonNull(tenant, "tenant is null");
    requireNonNull(id, "id is null");
    requireNonNull(name, "name is null");
    requireNonNull(description, "description is null");
    entities = List.copyOf(entities);
    watchedAttributes = Set.copyOf(watchedAttributes);
    requireNonNull(q, "q is null");
    requireNonNull(geoQ, "geoQ is null");
    requireNonNull(notification, "notification is null");
    requireNonNull(throttling, "throttling is null");
    requireNonNull(timeInterval, "timeInterval is null");
    requireNonNull(expiresAt, "expiresAt is null");
    requireNonNull(context, "context is null");
    requireNonNull(createdAt, "createdAt is null");
    requireNonNull(modifiedAt, "modifiedAt is null");
  }

  public Status status(Instant now) {
    if (expiresAt.isPresent() && !now.isBefore(expiresAt.get())) {
      return Status.EXPIRED;
    }
    return active ? Status.ACTIVE : Status.PAUSED;
  }

  /** Whether it notifies now: active and not expired. */
  public boolean notifying(Instant now) {
    return status(now) == Status.ACTIVE;
  }

  public Subscription withModifiedAt(Instant at) {
    return new Subscription(tenant, id, name, description, entities, watchedAttributes, q, geoQ, notification,
        throttling, timeInterval, expiresAt, active, context, createdAt, at);
  }
}

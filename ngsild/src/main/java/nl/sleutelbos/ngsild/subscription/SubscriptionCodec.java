package nl.sleutelbos.ngsild.subscription;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Optional;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.ngsild.context.LdContext;

/**
 * The stored form of subscriptions and their delivery state: JSON documents in the store's
 * document collections. A subscription is kept in its client form with names fully expanded, so
 * it is read back through the same {@link SubscriptionReader} checks that admitted it.
 */
final class SubscriptionCodec {
  /** Names are kept expanded: this context leaves them as they are both ways. */
  private static final LdContext IDENTITY = new LdContext() {
    @Override
    public String expandTerm(String term) {
      return term;
    }

    @Override
    public String compactIri(String iri) {
      return iri;
    }
  };

  private SubscriptionCodec() {}

  static String write(Subscription s) {
    ObjectNode doc = new SubscriptionWriter(IDENTITY).write(s, Optional.empty(), Instant.EPOCH);
    ObjectNode stored = Json.object();
    stored.put("tenant", s.tenant());
    stored.set("context", s.context());
    stored.put("createdAt", s.createdAt().toString());
    stored.put("modifiedAt", s.modifiedAt().toString());
    stored.set("subscription", doc);
    return Json.write(stored);
  }

  static Subscription read(String text) {
    ObjectNode stored = Json.parseStored(text);
    // Instant.MIN as "now": a stored subscription whose expiresAt has passed is expired, not invalid.
    Subscription s = new SubscriptionReader(IDENTITY).read(stored.get("tenant").asText(),
        (ObjectNode) stored.get("subscription"), stored.get("context"),
        Instant.parse(stored.get("createdAt").asText()), Instant.MIN);
    return s.withModifiedAt(Instant.parse(stored.get("modifiedAt").asText()));
  }

  static String write(DeliveryState d) {
    ObjectNode out = Json.object();
    out.put("cursor", d.cursor());
    out.put("timesSent", d.timesSent());
    out.put("timesFailed", d.timesFailed());
    d.lastNotification().ifPresent(t -> out.put("lastNotification", t.toString()));
    d.lastSuccess().ifPresent(t -> out.put("lastSuccess", t.toString()));
    d.lastFailure().ifPresent(t -> out.put("lastFailure", t.toString()));
    out.put("failing", d.failing());
    return Json.write(out);
  }

  static DeliveryState readState(String text) {
    ObjectNode in = Json.parseStored(text);
    return new DeliveryState(in.get("cursor").asLong(), in.get("timesSent").asLong(), in.get("timesFailed").asLong(),
        time(in, "lastNotification"), time(in, "lastSuccess"), time(in, "lastFailure"), in.get("failing").asBoolean());
  }

  private static Optional<Instant> time(ObjectNode in, String member) {
    return in.hasNonNull(member) ? Optional.of(Instant.parse(in.get(member).asText())) : Optional.empty();
  }
}

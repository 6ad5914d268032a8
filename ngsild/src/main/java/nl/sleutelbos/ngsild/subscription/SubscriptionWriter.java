package nl.sleutelbos.ngsild.subscription;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.ngsild.context.LdContext;
import nl.sleutelbos.ngsild.entity.Format;

/**
 * Writes a subscription the way a client reads it (clause 5.2.12), with names compacted by the
 * client's context and, when a delivery state is given, the status members of clause 5.2.14.
 */
public final class SubscriptionWriter {
  private final LdContext context;

  public SubscriptionWriter(LdContext context) {
    this.context = context;
  }

  public ObjectNode write(Subscription s, Optional<DeliveryState> state, Instant now) {
    ObjectNode out = Json.object();
    out.put("id", s.id());
    out.put("type", "Subscription");
    s.name().ifPresent(n -> out.put("subscriptionName", n));
    s.description().ifPresent(d -> out.put("description", d));
    if (!s.entities().isEmpty()) {
      ArrayNode entities = out.putArray("entities");
      for (EntityPattern p : s.entities()) {
        ObjectNode e = entities.addObject();
        p.id().ifPresent(id -> e.put("id", id));
        p.idPattern().ifPresent(pattern -> e.put("idPattern", pattern));
        e.put("type", context.compactIri(p.type()));
      }
    }
    names(out, "watchedAttributes", s.watchedAttributes());
    s.q().ifPresent(q -> out.put("q", q));
    s.geoQ().ifPresent(g -> out.set("geoQ", g.deepCopy()));
    ObjectNode n = out.putObject("notification");
    names(n, "attributes", s.notification().attributes());
    n.put("format", format(s.notification().format()));
    Endpoint endpoint = s.notification().endpoint();
    ObjectNode e = n.putObject("endpoint");
    e.put("uri", endpoint.uri().toString());
    e.put("accept", endpoint.accept());
    keyValues(e, "notifierInfo", endpoint.notifierInfo());
    keyValues(e, "receiverInfo", endpoint.receiverInfo());
    state.ifPresent(d -> {
      n.put("status", d.failing() ? "failed" : "ok");
      n.put("timesSent", d.timesSent());
      n.put("timesFailed", d.timesFailed());
      d.lastNotification().ifPresent(t -> n.put("lastNotification", t.toString()));
      d.lastSuccess().ifPresent(t -> n.put("lastSuccess", t.toString()));
      d.lastFailure().ifPresent(t -> n.put("lastFailure", t.toString()));
    });
    s.throttling().ifPresent(t -> out.put("throttling", t.toMillis() / 1000.0));
    s.timeInterval().ifPresent(t -> out.put("timeInterval", t.toMillis() / 1000.0));
    s.expiresAt().ifPresent(t -> out.put("expiresAt", t.toString()));
    out.put("isActive", s.active());
    if (state.isPresent()) {
      out.put("status", s.status(now).text());
    }
    return out;
  }

  static String format(Format format) {
    return switch (format) {
      case NORMALIZED -> "normalized";
      case KEY_VALUES -> "keyValues";
      case CONCISE -> "concise";
    };
  }

  private void names(ObjectNode out, String member, Set<String> names) {
    if (!names.isEmpty()) {
      ArrayNode array = out.putArray(member);
      names.stream().map(context::compactIri).sorted().forEach(array::add);
    }
  }

  private static void keyValues(ObjectNode out, String member, Map<String, String> map) {
    if (!map.isEmpty()) {
      ArrayNode array = out.putArray(member);
      map.entrySet().stream().sorted(Map.Entry.comparingByKey())
          .forEach(kv -> array.addObject().put("key", kv.getKey()).put("value", kv.getValue()));
    }
  }
}

package nl.sleutelbos.ngsild.subscription;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import nl.sleutelbos.ngsild.NgsiLdException;
import nl.sleutelbos.ngsild.context.LdContext;
import nl.sleutelbos.ngsild.entity.EntityReader;
import nl.sleutelbos.ngsild.entity.Format;
import nl.sleutelbos.ngsild.geo.GeoQuery;
import nl.sleutelbos.ngsild.query.Query;

/**
 * Reads a subscription as a client sends it (clause 5.2.12) into the internal form, checking every
 * member: anything it does not understand or that breaks a rule of the spec is refused with
 * BadRequestData naming the member, so a subscription is never stored half-understood.
 */
public final class SubscriptionReader {
  private static final Set<String> MEMBERS = Set.of("id", "type", "subscriptionName", "description", "entities",
      "watchedAttributes", "q", "geoQ", "notification", "throttling", "timeInterval", "expiresAt", "isActive",
      "status", "jsonldContext", "createdAt", "modifiedAt");
  private static final Set<String> NOTIFICATION_MEMBERS = Set.of("attributes", "format", "endpoint", "status",
      "timesSent", "timesFailed", "lastNotification", "lastSuccess", "lastFailure");
  private static final Set<String> ENDPOINT_MEMBERS = Set.of("uri", "accept", "notifierInfo", "receiverInfo");
  private static final Set<String> SCHEMES = Set.of("http", "https", "mqtt", "mqtts");
  private static final Map<String, Format> FORMATS =
      Map.of("normalized", Format.NORMALIZED, "keyValues", Format.KEY_VALUES, "concise", Format.CONCISE);

  private final LdContext context;

  public SubscriptionReader(LdContext context) {
    this.context = context;
  }

  /**
   * Reads a new subscription. An absent id is generated.
   *
   * @param contextValue the client's @context, kept to compact notifications
   */
  public Subscription read(String tenant, JsonNode body, JsonNode contextValue, Instant now) {
    if (!(body instanceof ObjectNode object)) {
      throw NgsiLdException.badRequest("a subscription must be a JSON object");
    }
    return read(tenant, object, contextValue, now, now);
  }

  Subscription read(String tenant, ObjectNode body, JsonNode contextValue, Instant createdAt, Instant now) {
    body.fieldNames().forEachRemaining(name -> {
      if (!MEMBERS.contains(name)) {
        throw NgsiLdException.badRequest("unknown member '" + name + "' in Subscription");
      }
    });
    if (!"Subscription".equals(body.path("type").asText(null))) {
      throw NgsiLdException.badRequest("a subscription needs \"type\": \"Subscription\", got " + body.get("type"));
    }
    String id = body.has("id") ? EntityReader.requireUri(body.get("id"), "subscription id")
        : "urn:ngsi-ld:Subscription:" + UUID.randomUUID();
    List<EntityPattern> entities = entities(body.get("entities"));
    Set<String> watched = names(body.get("watchedAttributes"), "watchedAttributes");
    Optional<Duration> timeInterval = seconds(body.get("timeInterval"), "timeInterval");
    Optional<Duration> throttling = seconds(body.get("throttling"), "throttling");
    if (entities.isEmpty() && watched.isEmpty()) {
      throw NgsiLdException.badRequest("a subscription needs entities or watchedAttributes (clause 5.2.12)");
    }
    if (timeInterval.isPresent() && !watched.isEmpty()) {
      throw NgsiLdException.badRequest("timeInterval and watchedAttributes cannot both be given (clause 5.2.12)");
    }
    if (timeInterval.isPresent() && throttling.isPresent()) {
      throw NgsiLdException.badRequest("timeInterval and throttling cannot both be given (clause 5.2.12)");
    }
    Optional<String> q = text(body.get("q"), "q");
    q.ifPresent(text -> Query.parse(text).mapAttributes(context::expandTerm));
    Optional<ObjectNode> geoQ = Optional.empty();
    if (body.has("geoQ")) {
      if (!(body.get("geoQ") instanceof ObjectNode g)) {
        throw NgsiLdException.badRequest("geoQ must be a GeoQuery object, got " + body.get("geoQ"));
      }
      GeoQuery.fromJson(g, context::expandTerm); // refuses an invalid geoQ with BadRequestData
      geoQ = Optional.of(g.deepCopy());
    }
    Optional<Instant> expiresAt = text(body.get("expiresAt"), "expiresAt").map(SubscriptionReader::instant);
    if (expiresAt.isPresent() && !expiresAt.get().isAfter(now)) {
      throw NgsiLdException.badRequest("expiresAt " + expiresAt.get() + " is not in the future");
    }
    boolean active = true;
    if (body.has("isActive")) {
      if (!body.get("isActive").isBoolean()) {
        throw NgsiLdException.badRequest("isActive must be true or false, got " + body.get("isActive"));
      }
      active = body.get("isActive").booleanValue();
    }
    return new Subscription(tenant, id, text(body.get("subscriptionName"), "subscriptionName"),
        text(body.get("description"), "description"), entities, watched, q, geoQ, notification(body.get("notification")),
        throttling, timeInterval, expiresAt, active, contextValue, createdAt, now);
  }

  private List<EntityPattern> entities(JsonNode node) {
    if (node == null) {
      return List.of();
    }
    if (!node.isArray() || node.isEmpty()) {
      throw NgsiLdException.badRequest("entities must be a non-empty array of EntitySelector objects, got " + node);
    }
    List<EntityPattern> entities = new ArrayList<>();
    for (JsonNode s : node) {
      if (!s.isObject()) {
        throw NgsiLdException.badRequest("an EntitySelector must be an object, got " + s);
      }
      s.fieldNames().forEachRemaining(name -> {
        if (!Set.of("id", "idPattern", "type").contains(name)) {
          throw NgsiLdException.badRequest("unknown member '" + name + "' in EntitySelector");
        }
      });
      if (!s.path("type").isTextual() || s.get("type").asText().isBlank()) {
        throw NgsiLdException.badRequest("an EntitySelector needs a type (a name), got " + s.get("type"));
      }
      if (s.has("id") && s.has("idPattern")) {
        throw NgsiLdException.badRequest("an EntitySelector has id or idPattern, not both: " + s);
      }
      Optional<String> id = s.has("id") ? Optional.of(EntityReader.requireUri(s.get("id"), "EntitySelector id"))
          : Optional.empty();
      Optional<String> pattern = text(s.get("idPattern"), "idPattern");
      pattern.ifPresent(SubscriptionReader::requirePattern);
      entities.add(new EntityPattern(id, pattern, context.expandTerm(s.get("type").asText())));
    }
    return entities;
  }

  private NotificationParams notification(JsonNode node) {
    if (!(node instanceof ObjectNode n)) {
      throw NgsiLdException.badRequest("a subscription needs a notification object, got " + node);
    }
    n.fieldNames().forEachRemaining(name -> {
      if (!NOTIFICATION_MEMBERS.contains(name)) {
        throw NgsiLdException.badRequest("unknown member '" + name + "' in notification");
      }
    });
    Set<String> attributes = names(n.get("attributes"), "notification.attributes");
    Format format = Format.NORMALIZED;
    if (n.has("format")) {
      format = FORMATS.get(n.get("format").asText());
      if (format == null || !n.get("format").isTextual()) {
        throw NgsiLdException.badRequest("notification.format must be one of " + FORMATS.keySet() + ", got "
            + n.get("format"));
      }
    }
    return new NotificationParams(attributes, format, endpoint(n.get("endpoint")));
  }

  private static Endpoint endpoint(JsonNode node) {
    if (!(node instanceof ObjectNode e)) {
      throw NgsiLdException.badRequest("notification.endpoint must be an object with a uri, got " + node);
    }
    e.fieldNames().forEachRemaining(name -> {
      if (!ENDPOINT_MEMBERS.contains(name)) {
        throw NgsiLdException.badRequest("unknown member '" + name + "' in endpoint");
      }
    });
    String text = text(e.get("uri"), "endpoint.uri")
        .orElseThrow(() -> NgsiLdException.badRequest("notification.endpoint needs a uri"));
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException x) {
      throw NgsiLdException.badRequest("endpoint.uri is not a URI: " + text);
    }
    if (uri.getScheme() == null || !SCHEMES.contains(uri.getScheme()) || uri.getHost() == null) {
      throw NgsiLdException.badRequest("endpoint.uri must be an http, https, mqtt or mqtts URI with a host, got " + text);
    }
    Map<String, String> notifierInfo = keyValues(e.get("notifierInfo"), "notifierInfo");
    if (uri.getScheme().startsWith("mqtt")) {
      if (uri.getPath() == null || uri.getPath().length() < 2) {
        throw NgsiLdException.badRequest("an MQTT endpoint names its topic in the path: mqtt://host:port/topic, got "
            + text);
      }
      String qos = notifierInfo.getOrDefault("MQTT-QoS", "0");
      if (!Set.of("0", "1", "2").contains(qos)) {
        throw NgsiLdException.badRequest("notifierInfo MQTT-QoS must be 0, 1 or 2, got " + qos);
      }
      String version = notifierInfo.getOrDefault("MQTT-Version", "mqtt3.1.1");
      if (!Set.of("mqtt3.1.1", "mqtt5.0").contains(version)) {
        throw NgsiLdException.badRequest("notifierInfo MQTT-Version must be mqtt3.1.1 or mqtt5.0, got " + version);
      }
    }
    String accept = text(e.get("accept"), "endpoint.accept").orElse(Endpoint.JSON);
    if (!accept.equals(Endpoint.JSON) && !accept.equals(Endpoint.LD_JSON)) {
      throw NgsiLdException.badRequest("endpoint.accept must be application/json or application/ld+json, got " + accept);
    }
    return new Endpoint(uri, accept, notifierInfo, keyValues(e.get("receiverInfo"), "receiverInfo"));
  }

  private static Map<String, String> keyValues(JsonNode node, String what) {
    if (node == null) {
      return Map.of();
    }
    if (!node.isArray()) {
      throw NgsiLdException.badRequest(what + " must be an array of {key, value} objects, got " + node);
    }
    Map<String, String> map = new HashMap<>();
    for (JsonNode kv : node) {
      if (!kv.path("key").isTextual() || !kv.path("value").isTextual() || kv.size() != 2) {
        throw NgsiLdException.badRequest(what + " entries are {\"key\": text, \"value\": text}, got " + kv);
      }
      map.put(kv.get("key").asText(), kv.get("value").asText());
    }
    return map;
  }

  private Set<String> names(JsonNode node, String what) {
    if (node == null) {
      return Set.of();
    }
    if (!node.isArray() || node.isEmpty()) {
      throw NgsiLdException.badRequest(what + " must be a non-empty array of attribute names, got " + node);
    }
    Set<String> names = new LinkedHashSet<>();
    for (JsonNode a : node) {
      if (!a.isTextual() || a.asText().isBlank()) {
        throw NgsiLdException.badRequest(what + " holds a name that is not text: " + a);
      }
      names.add(context.expandTerm(a.asText()));
    }
    return names;
  }

  private static Optional<Duration> seconds(JsonNode node, String what) {
    if (node == null) {
      return Optional.empty();
    }
    if (!node.isNumber() || node.asDouble() <= 0 || node.asDouble() > 1e9) {
      throw NgsiLdException.badRequest(what + " must be a positive number of seconds, got " + node);
    }
    return Optional.of(Duration.ofMillis(Math.max(1, Math.round(node.asDouble() * 1000))));
  }

  private static Optional<String> text(JsonNode node, String what) {
    if (node == null) {
      return Optional.empty();
    }
    if (!node.isTextual()) {
      throw NgsiLdException.badRequest(what + " must be text, got " + node);
    }
    return Optional.of(node.asText());
  }

  private static Instant instant(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw NgsiLdException.badRequest("expiresAt is not a DateTime (like 2026-12-31T23:59:59Z): " + text);
    }
  }

  private static void requirePattern(String pattern) {
    try {
      Pattern.compile(pattern);
    } catch (PatternSyntaxException e) {
      throw NgsiLdException.badRequest("idPattern is not a regular expression: " + pattern);
    }
  }
}

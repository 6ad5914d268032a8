package nl.sleutelbos.app.http;

import static nl.sleutelbos.app.http.LdRequest.JSON;
import static nl.sleutelbos.app.http.LdRequest.LD_JSON;
import static nl.sleutelbos.app.http.LdRequest.MERGE_PATCH;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import nl.sleutelbos.app.notify.WithheldAttributes;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.ngsild.context.LdContext;
import nl.sleutelbos.ngsild.entity.EntityReader;
import nl.sleutelbos.ngsild.subscription.Subscription;
import nl.sleutelbos.ngsild.subscription.SubscriptionContexts;
import nl.sleutelbos.ngsild.subscription.SubscriptionService;
import nl.sleutelbos.ngsild.subscription.SubscriptionWriter;

/**
 * The subscription routes of the NGSI-LD API (clause 6.10 and 6.11 of ETSI GS CIM 009 v1.8):
 * {@code /subscriptions} and {@code /subscriptions/{id}}.
 */
public final class SubscriptionRoutes {
  private static final List<String> BODY_TYPES = List.of(JSON, LD_JSON);
  private static final List<String> PATCH_TYPES = List.of(JSON, LD_JSON, MERGE_PATCH);
  private static final List<String> ANSWERS = List.of(JSON, LD_JSON);
  private static final int DEFAULT_LIMIT = 20;
  private static final int MAX_LIMIT = 1000;

  private final SubscriptionService subscriptions;
  private final WithheldAttributes withheld;
  private final ContextSource contexts;
  private final Clock clock;

  public SubscriptionRoutes(SubscriptionService subscriptions, WithheldAttributes withheld, ContextSource contexts,
      Clock clock) {
    this.subscriptions = subscriptions;
    this.withheld = withheld;
    this.contexts = contexts;
    this.clock = clock;
  }

  /** The JSON-LD contexts of subscriptions, from the same source as the API's. */
  public static SubscriptionContexts contexts(ContextSource contexts) {
    return new SubscriptionContexts() {
      @Override
      public LdContext resolve(JsonNode contextValue) {
        return contexts.resolve(contextValue);
      }

      @Override
      public String linkFor(JsonNode contextValue) {
        return contexts.linkFor(contextValue);
      }
    };
  }

  public List<Route> routes() {
    return List.of(
        route("POST", "/subscriptions", Set.of(), this::create),
        route("GET", "/subscriptions", Set.of("limit", "offset", "count"), this::list),
        route("GET", "/subscriptions/{id}", Set.of(), this::retrieve),
        route("PATCH", "/subscriptions/{id}", Set.of(), this::update),
        route("DELETE", "/subscriptions/{id}", Set.of(), this::delete));
  }

  private static Route route(String method, String template, Set<String> params, Route.Handler handler) {
    return new Route(method, template, params, NgsiLdRoutes.FAMILY, handler);
  }

  /** Clause 6.10.3.1: 201 with the new subscription's location. */
  private void create(Exchange ex) {
    LdRequest ld = LdRequest.withBody(ex, contexts, BODY_TYPES);
    JsonNode body = ld.body();
    if (!(body instanceof ObjectNode object)) {
      subscriptions.create(ex.tenant(), body, ld.context(), ld.contextValue()); // answers the 400
      return;
    }
    // Named here, so that what it withholds is on record before its first notification can leave.
    ObjectNode named = object.deepCopy();
    if (!named.path("id").isTextual()) {
      named.put("id", "urn:ngsi-ld:Subscription:" + UUID.randomUUID());
    }
    String id = named.path("id").asText();
    Set<String> hidden = hidden(ex);
    boolean recorded = withheld.recordNew(ex.tenant(), id, hidden);
    if (!recorded) {
      withheld.add(ex.tenant(), id, hidden);
    }
    Subscription s;
    try {
      s = subscriptions.create(ex.tenant(), named, ld.context(), ld.contextValue());
    } catch (RuntimeException e) {
      if (recorded) {
        withheld.forget(ex.tenant(), id);
      }
      throw e;
    }
    ex.header("Location", "/ngsi-ld/v1/subscriptions/" + URLEncoder.encode(s.id(), StandardCharsets.UTF_8));
    ex.sendEmpty(201);
  }

  /** Clause 6.10.3.2: the tenant's subscriptions, a page at a time. */
  private void list(Exchange ex) {
    String media = ex.negotiate(ANSWERS);
    LdRequest ld = LdRequest.of(ex, contexts);
    int limit = ex.intParam("limit", DEFAULT_LIMIT, 0, MAX_LIMIT);
    int offset = ex.intParam("offset", 0, 0, Integer.MAX_VALUE);
    boolean count = ex.booleanParam("count");
    if (limit == 0 && !count) {
      throw nl.sleutelbos.ngsild.NgsiLdException.badRequest("limit=0 is only allowed together with count=true");
    }
    List<Subscription> all = subscriptions.list(ex.tenant());
    if (count) {
      ex.header(Exchange.RESULTS_COUNT.defaultCase(), Integer.toString(all.size()));
    }
    SubscriptionWriter writer = new SubscriptionWriter(ld.context());
    ArrayNode out = Json.array();
    all.stream().skip(offset).limit(limit).forEach(s ->
        out.add(writer.write(s, Optional.of(subscriptions.state(s.tenant(), s.id())), clock.instant())));
    ld.send(ex, 200, media, out);
  }

  /** Clause 6.11.3.1. */
  private void retrieve(Exchange ex) {
    String media = ex.negotiate(ANSWERS);
    String id = requireId(ex);
    LdRequest ld = LdRequest.of(ex, contexts);
    Subscription s = subscriptions.get(ex.tenant(), id);
    ld.send(ex, 200, media, new SubscriptionWriter(ld.context())
        .write(s, Optional.of(subscriptions.state(ex.tenant(), id)), clock.instant()));
  }

  /** Clause 6.11.3.2: 204 once the changed subscription is in force. */
  private void update(Exchange ex) {
    String id = requireId(ex);
    LdRequest ld = LdRequest.withBody(ex, contexts, PATCH_TYPES);
    subscriptions.get(ex.tenant(), id); // 404 before anything is recorded
    withheld.add(ex.tenant(), id, hidden(ex));
    subscriptions.update(ex.tenant(), id, ld.body(), ld.context());
    ex.sendEmpty(204);
  }

  /** Clause 6.11.3.3. */
  private void delete(Exchange ex) {
    String id = requireId(ex);
    subscriptions.delete(ex.tenant(), id);
    withheld.forget(ex.tenant(), id);
    ex.sendEmpty(204);
  }

  /** What the PEP's permit hid from this subject: its notifications must not carry it either. */
  private static Set<String> hidden(Exchange ex) {
    return ex.permit().map(nl.sleutelbos.auth.Verdict.Permit::removedAttributes).orElse(Set.of());
  }

  private static String requireId(Exchange ex) {
    return EntityReader.requireUri(ex.pathParam("id"), "subscription id");
  }
}

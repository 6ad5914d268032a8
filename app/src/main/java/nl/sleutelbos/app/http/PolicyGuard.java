package nl.sleutelbos.app.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import nl.sleutelbos.auth.Action;
import nl.sleutelbos.auth.EnforcementPoint;
import nl.sleutelbos.auth.Environment;
import nl.sleutelbos.auth.Obligation;
import nl.sleutelbos.auth.PersonalData;
import nl.sleutelbos.auth.ResourceRequest;
import nl.sleutelbos.auth.SubjectAttributes;
import nl.sleutelbos.auth.Verdict;
import nl.sleutelbos.identity.Subject;
import nl.sleutelbos.ngsild.ErrorType;
import nl.sleutelbos.ngsild.NgsiLdException;
import nl.sleutelbos.ngsild.context.CoreContext;
import nl.sleutelbos.ngsild.entity.Entity;
import nl.sleutelbos.ngsild.query.Query;
import nl.sleutelbos.store.EntityStore;
import nl.sleutelbos.store.StoredEntity;

/**
 * The policy enforcement point on HTTP: wraps every route's handler so that the handler runs only
 * after a permit, right after the bearer gate established the subject. It builds the resource
 * from the route and the request (the entity's stored types and owning connection for routes
 * that name an entity, the {@code type} and {@code attrs} parameters for queries), asks the
 * {@link EnforcementPoint}, answers 403 on a deny, and fulfils the obligations it can on these
 * routes: attributes to remove are removed from every JSON answer. Granularity caps and
 * aggregation minimums can only be fulfilled by routes that aggregate (the temporal reads, see
 * {@link TemporalRoutes#fulfils}), which read the permit from the exchange; on any other route a
 * permit that carries one is a 403 (deny unless the obligation is fulfilled).
 */
public final class PolicyGuard {
  /** The attribute that names the grid connection an entity's data belongs to. */
  static final String CONNECTION = CoreContext.DEFAULT_VOCAB + "connection";

  private final EnforcementPoint pep;
  private final EntityStore store;
  private final nl.sleutelbos.store.History history;
  private final Clock clock;

  public PolicyGuard(EnforcementPoint pep, EntityStore store, Clock clock) {
    this(pep, store, store.history(), clock);
  }

  /** A guard that decides on temporal requests by {@code history} (the store's, with the meter readings). */
  public PolicyGuard(EnforcementPoint pep, EntityStore store, nl.sleutelbos.store.History history, Clock clock) {
    this.pep = requireNonNull(pep, "pep is null");
    this.store = requireNonNull(store, "store is null");
    this.history = requireNonNull(history, "history is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /** The routes, each behind the policy; public routes (no subject) unchanged. */
  public List<Route> guard(List<Route> routes) {
    List<Route> guarded = new ArrayList<>(routes.size());
    for (Route route : routes) {
      if (RouteActions.isPublic(route)) {
        guarded.add(route);
        continue;
      }
      Route.Handler handler = route.handler();
      guarded.add(new Route(route.method(), route.template(), route.parameters(), route.family(), ex -> {
        check(ex);
        handler.handle(ex);
      }));
    }
    return guarded;
  }

  void check(Exchange ex) {
    Route route = ex.route();
    Action action = RouteActions.of(route).orElseThrow(() -> new NgsiLdException(ErrorType.FORBIDDEN,
        "no policy covers " + route.method() + " " + route.template()));
    Subject subject = ex.subject().orElseThrow(() -> new NgsiLdException(ErrorType.FORBIDDEN,
        "no authenticated subject"));
    Optional<SubscriptionTerms> subscription = SubscriptionTerms.writes(route) ? SubscriptionTerms.of(ex) : Optional.empty();
    SubjectAttributes who = attributes(subject);
    ResourceRequest resource = resource(ex, subscription);
    Environment environment = new Environment(clock.instant(), false,
        ex.header(io.helidon.http.HeaderNames.create(Environment.PURPOSE_HEADER)));
    Verdict verdict = decide(who, resource, action, environment, ex);
    if (verdict instanceof Verdict.Permit && route.method().equals("POST")
        && subscription.filter(SubscriptionTerms::untyped).isPresent()) {
      // An untyped subscription is told of every type, personal ones too, and its notifications
      // leave without the PEP: so it must be allowed on personal data as well, or name its types.
      ResourceRequest personal = new ResourceRequest(resource.tenant(), resource.family(), PersonalData.TYPES,
          Optional.empty(), resource.attributes(), Optional.empty(), Optional.empty());
      if (!(pep.check(who, personal, action, environment) instanceof Verdict.Permit)) {
        throw new NgsiLdException(ErrorType.FORBIDDEN, "a subscription without entity types would notify of "
            + "personal data, which this subject may not receive; name the entity types in 'entities'");
      }
    }
    switch (verdict) {
      case Verdict.Deny deny -> throw new NgsiLdException(ErrorType.FORBIDDEN, "not permitted: " + deny.reason());
      case Verdict.Permit permit -> {
        for (Obligation o : permit.obligations()) {
          if (!(o instanceof Obligation.RemoveAttributes) && !TemporalRoutes.fulfils(route, o)) {
            throw new NgsiLdException(ErrorType.FORBIDDEN, "permitted only under an obligation this route cannot "
                + "fulfil (" + o + "); ask an aggregating route");
          }
        }
        ex.permit(permit);
        subscription.ifPresent(terms -> terms.fulfil(permit));
        if (!permit.removedAttributes().isEmpty()) {
          refuseFiltersOn(permit.removedAttributes(), ex, route);
          ex.filterAnswers(answer -> redact(permit, answer));
        }
      }
    }
  }

  /** The verdict; for a batch write, the first refusal among its entities' requests, else the last permit. */
  private Verdict decide(SubjectAttributes who, ResourceRequest resource, Action action, Environment environment,
      Exchange ex) {
    Set<ResourceRequest> each = BatchTerms.writes(ex.route()) ? BatchTerms.of(ex, store) : Set.of();
    if (each.isEmpty()) {
      return pep.check(who, resource, action, environment);
    }
    Verdict verdict = null;
    for (ResourceRequest r : each) {
      verdict = pep.check(who, r, action, environment);
      if (!(verdict instanceof Verdict.Permit)) {
        return verdict;
      }
    }
    return verdict;
  }

  /**
   * Removing an attribute from the answers is not enough when the request filters on it: which
   * entities match {@code q=activePower>2} tells the values anyway. So a q that names an attribute
   * the subject may not see is refused. A q that does not parse is left to the route's 400.
   */
  private static void refuseFiltersOn(Set<String> hidden, Exchange ex, Route route) {
    List<String> filters = new ArrayList<>();
    ex.param("q").ifPresent(filters::add);
    if (route.method().equals("POST") && route.template().endsWith("/entityOperations/query")) {
      try {
        JsonNode q = nl.sleutelbos.ngsild.Json.parseClient(ex.body()).path("q");
        if (q.isTextual()) {
          filters.add(q.asText());
        }
      } catch (NgsiLdException e) {
        // the route answers the malformed body
      }
    }
    for (String q : filters) {
      Set<String> named = new LinkedHashSet<>();
      try {
        Query.parse(q).mapAttributes(name -> {
          named.add(name);
          return name;
        });
      } catch (RuntimeException e) {
        continue;
      }
      for (String name : named) {
        String term = name.startsWith(CoreContext.DEFAULT_VOCAB) ? name.substring(CoreContext.DEFAULT_VOCAB.length()) : name;
        if (hidden.contains(term) || hidden.contains(name)) {
          throw new NgsiLdException(ErrorType.FORBIDDEN, "q filters on '" + term
              + "', which this subject may not see; filter on attributes it may read");
        }
      }
    }
  }

  private static JsonNode redact(Verdict.Permit permit, JsonNode answer) {
    if (answer.isArray()) {
      return permit.redactAll(answer);
    }
    if (answer.isObject()) {
      // GeoJSON carries the attributes in each feature's properties.
      JsonNode features = answer.get("features");
      if (features != null && features.isArray()) {
        for (JsonNode f : features) {
          if (f.get("properties") instanceof com.fasterxml.jackson.databind.node.ObjectNode p) {
            permit.redact(p);
          }
        }
      } else if (answer.get("properties") instanceof com.fasterxml.jackson.databind.node.ObjectNode p) {
        permit.redact(p);
      }
      permit.redact((com.fasterxml.jackson.databind.node.ObjectNode) answer);
    }
    return answer;
  }

  static SubjectAttributes attributes(Subject subject) {
    return subject.organisation()
        .map(org -> SubjectAttributes.of(subject.id(), subject.roles(), org.toString(), subject.country()))
        .orElseGet(() -> new SubjectAttributes(subject.id(), subject.roles(), Optional.empty(), Optional.empty(),
            subject.country()));
  }

  private ResourceRequest resource(Exchange ex, Optional<SubscriptionTerms> subscription) {
    Route route = ex.route();
    if (!route.family().equals(NgsiLdRoutes.FAMILY)) {
      return ResourceRequest.controlPlane(route.family());
    }
    String tenant = ex.tenant();
    Set<String> types = new LinkedHashSet<>();
    Optional<String> id = Optional.empty();
    Optional<String> owner = Optional.empty();
    if (route.template().contains("entities/{id}")) {
      id = Optional.of(ex.pathParam("id"));
      Optional<StoredEntity> stored = store.get(tenant, id.get());
      if (stored.isPresent() && route.method().equals("GET") && route.template().equals("/entities/{id}")) {
        // The handler answers with this very entity: parse it once and hand it over.
        Entity entity = Entity.of(stored.get());
        ex.decidedOn(entity);
        types.addAll(entity.types());
        owner = connection(entity.document());
      } else if (stored.isPresent()) {
        types.addAll(stored.get().types());
        owner = connection(stored.get());
      } else if (route.template().startsWith("/temporal/")) {
        // History outlives the entity (and readings may have history only): decide on what history knows.
        String entity = id.get();
        history.subject(tenant, entity).ifPresent(s -> types.addAll(s.types()));
        owner = history.read(tenant, entity, Set.of(CONNECTION), nl.sleutelbos.store.History.Span.ALL, 1, true)
            .stream().findFirst().flatMap(i -> Optional.ofNullable(
                nl.sleutelbos.ngsild.temporal.Instances.internal(i).get("value")))
            .filter(JsonNode::isTextual).map(JsonNode::asText);
      }
    } else if (route.method().equals("POST") && route.template().endsWith("/entityOperations/query")) {
      // A batch query names its types in the body's entity selectors.
      JsonNode body;
      try {
        body = nl.sleutelbos.ngsild.Json.parseClient(ex.body());
      } catch (NgsiLdException e) {
        body = nl.sleutelbos.ngsild.Json.object();
      }
      for (JsonNode selector : body.path("entities")) {
        if (selector.path("type").isTextual()) {
          types.addAll(List.of(selector.path("type").asText().split("[,;|()]")));
        }
      }
    } else if (subscription.isPresent()) {
      types.addAll(subscription.get().types());
    } else if (route.method().equals("POST") && route.template().equals("/entities")) {
      // A create is decided on what it creates: its type and the connection it names.
      JsonNode body;
      try {
        body = nl.sleutelbos.ngsild.Json.parseClient(ex.body());
      } catch (NgsiLdException e) {
        // Decided without type and owner; the handler then answers with the precise error.
        body = nl.sleutelbos.ngsild.Json.object();
      }
      JsonNode type = body.path("type");
      if (type.isArray()) {
        type.forEach(t -> types.add(t.asText()));
      } else if (type.isTextual()) {
        types.add(type.asText());
      }
      id = body.path("id").isTextual() ? Optional.of(body.path("id").asText()) : Optional.empty();
      JsonNode connection = body.path("connection");
      JsonNode value = connection.isObject() ? connection.path("value") : connection;
      owner = value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
    } else {
      ex.param("type").ifPresent(t -> types.addAll(List.of(t.split("[,;|()]"))));
    }
    Set<String> attributes = new LinkedHashSet<>();
    ex.param("attrs").ifPresent(a -> attributes.addAll(List.of(a.split(","))));
    types.removeIf(String::isBlank);
    attributes.removeIf(String::isBlank);
    if (types.isEmpty() && id.isEmpty()) {
      // Decided as a query over no personal type, so it answers none: an untyped query must not
      // become a way around the rules for personal data.
      ex.filterAnswers(PolicyGuard::withoutPersonalEntities);
    }
    return new ResourceRequest(tenant, route.family(), types, id, attributes, owner, Optional.empty());
  }

  private static JsonNode withoutPersonalEntities(JsonNode answer) {
    if (answer.isArray()) {
      for (java.util.Iterator<JsonNode> it = answer.iterator(); it.hasNext(); ) {
        if (isPersonal(it.next().path("type"))) {
          it.remove();
        }
      }
    }
    return answer;
  }

  private static boolean isPersonal(JsonNode type) {
    for (JsonNode t : type.isArray() ? type : List.of(type)) {
      String name = t.asText();
      String term = name.startsWith(CoreContext.DEFAULT_VOCAB) ? name.substring(CoreContext.DEFAULT_VOCAB.length()) : name;
      if (PersonalData.TYPES.contains(term)) {
        return true;
      }
    }
    return false;
  }

  static Optional<String> connection(StoredEntity entity) {
    // Cheap check first: most entities have no connection and need no parsing.
    if (!entity.document().contains(CONNECTION)) {
      return Optional.empty();
    }
    return connection(nl.sleutelbos.ngsild.Json.parseStored(entity.document()));
  }

  private static Optional<String> connection(JsonNode document) {
    JsonNode attr = document.get(CONNECTION);
    if (attr == null || !attr.isArray() || attr.isEmpty()) {
      return Optional.empty();
    }
    JsonNode value = attr.get(0).get("value");
    return value != null && value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
  }
}

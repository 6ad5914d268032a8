package nl.sleutelbos.app.http;

import static nl.sleutelbos.app.http.LdRequest.JSON;
import static nl.sleutelbos.app.http.LdRequest.LD_JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import nl.sleutelbos.auth.AccessDeniedException;
import nl.sleutelbos.auth.Obligation;
import nl.sleutelbos.auth.Verdict;
import nl.sleutelbos.ngsild.ErrorType;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.ngsild.NgsiLdException;
import nl.sleutelbos.ngsild.entity.EntityReader;
import nl.sleutelbos.ngsild.geo.GeoQuery;
import nl.sleutelbos.ngsild.query.EntityPredicate;
import nl.sleutelbos.ngsild.entity.EntitySelector;
import nl.sleutelbos.ngsild.entity.TypeSelection;
import nl.sleutelbos.ngsild.temporal.AggregationMethod;
import nl.sleutelbos.ngsild.temporal.AggregationPeriod;
import nl.sleutelbos.ngsild.temporal.GranularityCap;
import nl.sleutelbos.ngsild.temporal.GroupAggregate;
import nl.sleutelbos.ngsild.temporal.Representation;
import nl.sleutelbos.ngsild.temporal.TemporalEntity;
import nl.sleutelbos.ngsild.temporal.TemporalQuery;
import nl.sleutelbos.ngsild.temporal.TemporalRequest;
import nl.sleutelbos.ngsild.temporal.TemporalResult;
import nl.sleutelbos.ngsild.temporal.TemporalService;
import nl.sleutelbos.ngsild.temporal.TemporalWriter;

/**
 * The temporal routes of the NGSI-LD API (clause 6.18 to 6.22 and 6.24 of ETSI GS CIM 009 v1.8):
 * entity histories read in the normalized, temporalValues and aggregatedValues representations,
 * and written, patched and deleted instance by instance. Answers that the server cut short are
 * 206 with a {@code Content-Range} (clause 6.3.10).
 */
public final class TemporalRoutes {
  private static final List<String> BODY_TYPES = List.of(JSON, LD_JSON);
  private static final List<String> ANSWERS = List.of(JSON, LD_JSON);
  private static final Set<String> OPTIONS = Set.of("temporalValues", "aggregatedValues", "sysAttrs", "normalized");
  private static final Set<String> TEMPORAL = Set.of(
      "timerel", "timeAt", "endTimeAt", "timeproperty", "lastN", "attrs", "options", "format", "aggrMethods",
      "aggrPeriodDuration");
  private static final Set<String> FORMATS = Set.of("normalized", "temporalValues", "aggregatedValues");
  /** The geo slot: accepted so that the parameters are known, refused until geo queries are wired in. */
  private static final Set<String> GEO = Set.of("georel", "geometry", "coordinates", "geoproperty");
  private static final int DEFAULT_LIMIT = 20;
  private static final int MAX_LIMIT = 1_000;

  /** The reads that fulfil a granularity cap themselves (they answer aggregates on the cap's grid). */
  private static final Set<String> CAPPED_READS = Set.of("GET /temporal/entities/{id}", "GET /temporal/entities",
      "POST /temporal/entityOperations/query");

  /** The queries that fulfil an aggregation minimum themselves (one aggregate across all matched entities). */
  private static final Set<String> GROUP_READS = Set.of("GET /temporal/entities", "POST /temporal/entityOperations/query");

  private final TemporalService temporal;
  private final ContextSource contexts;
  private final Clock clock;

  public TemporalRoutes(TemporalService temporal, ContextSource contexts, Clock clock) {
    this.temporal = temporal;
    this.contexts = contexts;
    this.clock = clock;
  }

  /** Whether the route fulfils the obligation itself, so the PEP may let it through. */
  static boolean fulfils(Route route, Obligation obligation) {
    String name = route.method() + " " + route.template();
    return switch (obligation) {
      case Obligation.CapGranularity cap -> CAPPED_READS.contains(name);
      case Obligation.RequireAggregation min -> GROUP_READS.contains(name);
      case Obligation.RemoveAttributes remove -> false;
    };
  }

  /**
   * Answers a query whose permit allows only aggregates (grid operation) with one aggregate
   * across every matched entity, or 403 when it covers fewer connections than the minimum: never
   * a smaller group.
   *
   * @return false when the permit has no aggregation obligation, so the query runs as usual
   */
  private boolean answeredAsGroup(Exchange ex, LdRequest ld, String media, List<EntitySelector> selectors,
      EntityPredicate q, TemporalRequest request) {
    Optional<Verdict.Permit> permit = ex.permit().filter(Verdict.Permit::aggregatesOnly);
    if (permit.isEmpty()) {
      return false;
    }
    if (request.representation() != Representation.AGGREGATED) {
      throw new NgsiLdException(ErrorType.FORBIDDEN, "only an aggregate across connections is permitted; ask "
          + "options=aggregatedValues with aggrMethods and timerel=between");
    }
    GroupAggregate group = temporal.aggregateAcross(ex.tenant(), selectors, q, request, PolicyGuard.CONNECTION);
    try {
      permit.get().checkAggregate(group.connections());
    } catch (AccessDeniedException e) {
      throw new NgsiLdException(ErrorType.FORBIDDEN, e.getMessage());
    }
    ObjectNode out = new TemporalWriter(ld.context()).write(group.aggregate(), request);
    out.putObject("connectionCount").put("type", "Property").put("value", group.connections());
    out.putObject("entityCount").put("type", "Property").put("value", group.entities());
    ld.send(ex, 200, media, Json.array().add(out));
    return true;
  }

  /** The request as the permit's obligations let it run: under a granularity cap, see {@link GranularityCap}. */
  private TemporalRequest permitted(Exchange ex, TemporalRequest request) {
    Optional<Duration> cap = ex.permit().flatMap(p -> p.granularity(Optional.empty()));
    return cap.map(c -> new GranularityCap(c).enforce(request, clock.instant())).orElse(request);
  }

  public List<Route> routes() {
    Set<String> query = new HashSet<>(TEMPORAL);
    query.addAll(GEO);
    query.addAll(Set.of("id", "idPattern", "type", "q", "limit", "offset", "count"));
    return List.of(
        route("POST", "/temporal/entities", Set.of(), this::createOrAdd),
        route("GET", "/temporal/entities", query, this::query),
        route("GET", "/temporal/entities/{id}", TEMPORAL, this::retrieve),
        route("DELETE", "/temporal/entities/{id}", Set.of(), this::delete),
        route("POST", "/temporal/entities/{id}/attrs", Set.of(), this::addAttributes),
        route("DELETE", "/temporal/entities/{id}/attrs/{attr}", Set.of("datasetId", "deleteAll"), this::deleteAttribute),
        route("PATCH", "/temporal/entities/{id}/attrs/{attr}/{instanceId}", Set.of(), this::patchInstance),
        route("DELETE", "/temporal/entities/{id}/attrs/{attr}/{instanceId}", Set.of(), this::deleteInstance),
        route("POST", "/temporal/entityOperations/query",
            Set.of("limit", "offset", "count", "options", "format", "aggrMethods", "aggrPeriodDuration", "lastN"),
            this::batchQuery));
  }

  private static Route route(String method, String template, Set<String> params, Route.Handler handler) {
    return new Route(method, template, params, NgsiLdRoutes.FAMILY, handler);
  }

  // --- reads ----------------------------------------------------------------------------------

  private void retrieve(Exchange ex) {
    String tenant = ex.tenant();
    String id = requireId(ex);
    String media = ex.negotiate(ANSWERS);
    LdRequest ld = LdRequest.of(ex, contexts);
    TemporalRequest request = permitted(ex, request(ex, ld, whenFromParams(ex)));
    answer(ex, ld, media, temporal.retrieve(tenant, id, request), request, false);
  }

  private void query(Exchange ex) {
    String tenant = ex.tenant();
    String media = ex.negotiate(ANSWERS);
    LdRequest ld = LdRequest.of(ex, contexts);
    EntityReader reader = ld.reader();
    Optional<GeoQuery> geo = GeoQuery.fromParameters(ex.param("georel"), ex.param("geometry"),
        ex.param("coordinates"), ex.param("geoproperty").map(reader::expandName));
    Set<String> ids = new HashSet<>();
    ex.param("id").ifPresent(text -> {
      for (String id : text.split(",")) {
        ids.add(EntityReader.requireUri(id.strip(), "id"));
      }
    });
    Pattern idPattern = ex.param("idPattern").map(QueryBody::idPattern).orElse(null);
    TypeSelection types = ex.param("type").map(t -> TypeSelection.parse(t, reader::expandType)).orElse(null);
    QueryFilters.Compiled q = QueryFilters.compile(ex.param("q"), ld.context());
    TemporalRequest request = permitted(ex, request(ex, ld, whenFromParams(ex)));
    List<EntitySelector> selectors = List.of(new EntitySelector(ids, idPattern, types));
    if (answeredAsGroup(ex, ld, media, selectors, withGeo(q.predicate(), geo), request)) {
      return;
    }
    TemporalResult result = temporal.query(tenant, selectors,
        withGeo(q.predicate(), geo), request, limit(ex), ex.intParam("offset", 0, 0, Integer.MAX_VALUE), ex.booleanParam("count"));
    answer(ex, ld, media, result, request, true);
  }

  /** Clause 6.24: the query in the body, its temporal part in temporalQ. */
  private void batchQuery(Exchange ex) {
    String tenant = ex.tenant();
    String media = ex.negotiate(ANSWERS);
    LdRequest ld = LdRequest.withBody(ex, contexts, BODY_TYPES);
    EntityReader reader = ld.reader();
    JsonNode body = ld.body();
    if (!body.isObject() || !"Query".equals(body.path("type").asText())) {
      throw NgsiLdException.badRequest("the body must be a Query object with \"type\": \"Query\"");
    }
    body.fieldNames().forEachRemaining(member -> {
      if (!Set.of("type", "entities", "attrs", "q", "geoQ", "csf", "temporalQ", "scopeQ", "lang").contains(member)) {
        throw NgsiLdException.badRequest("unknown member '" + member + "' in Query");
      }
    });
    Optional<GeoQuery> geo = body.has("geoQ")
        ? Optional.of(GeoQuery.fromJson(body.get("geoQ"), reader::expandName)) : Optional.empty();
    if (body.has("csf") || body.has("scopeQ")) {
      throw new NgsiLdException(ErrorType.OPERATION_NOT_SUPPORTED, "csf and scopeQ in a Query are not supported yet");
    }
    List<EntitySelector> selectors = QueryBody.selectors(body, reader);
    Set<String> attrs = QueryBody.attrs(body, reader);
    JsonNode tq = body.path("temporalQ");
    if (!tq.isMissingNode() && !tq.isObject()) {
      throw NgsiLdException.badRequest("Query.temporalQ must be a TemporalQuery object");
    }
    tq.fieldNames().forEachRemaining(member -> {
      if (!Set.of("timerel", "timeAt", "endTimeAt", "timeproperty", "lastN").contains(member)) {
        throw NgsiLdException.badRequest("unknown member '" + member + "' in temporalQ");
      }
    });
    Optional<String> lastN = text(tq, "lastN").or(() -> ex.param("lastN"));
    TemporalQuery when = TemporalQuery.parse(text(tq, "timerel"), text(tq, "timeAt"), text(tq, "endTimeAt"),
        text(tq, "timeproperty"), lastN);
    QueryFilters.Compiled q = QueryFilters.compile(
        body.has("q") ? Optional.of(body.get("q").asText()) : Optional.empty(), ld.context());
    TemporalRequest request = permitted(ex, request(ex, attrs, when));
    if (answeredAsGroup(ex, ld, media, selectors, withGeo(q.predicate(), geo), request)) {
      return;
    }
    TemporalResult result = temporal.query(tenant, selectors, withGeo(q.predicate(), geo), request, limit(ex),
        ex.intParam("offset", 0, 0, Integer.MAX_VALUE), ex.booleanParam("count"));
    answer(ex, ld, media, result, request, true);
  }

  private static Optional<String> text(JsonNode object, String member) {
    JsonNode v = object.get(member);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
  }

  /**
   * Like q, a geo-query on temporal entities is evaluated on each entity's latest instances: it
   * selects the meters that are (now) in the area, and answers their whole history.
   */
  private static EntityPredicate withGeo(EntityPredicate q, Optional<GeoQuery> geo) {
    return geo.<EntityPredicate>map(g -> EntityPredicate.and(q, g)).orElse(q);
  }

  private static TemporalQuery whenFromParams(Exchange ex) {
    return TemporalQuery.parse(ex.param("timerel"), ex.param("timeAt"), ex.param("endTimeAt"),
        ex.param("timeproperty"), ex.param("lastN"));
  }

  private static TemporalRequest request(Exchange ex, LdRequest ld, TemporalQuery when) {
    Set<String> attrs = new HashSet<>();
    ex.param("attrs").ifPresent(text -> {
      for (String a : text.split(",")) {
        attrs.add(ld.reader().expandName(a.strip()));
      }
    });
    return request(ex, attrs, when);
  }

  private static TemporalRequest request(Exchange ex, Set<String> attrs, TemporalQuery when) {
    Set<String> options = new HashSet<>(ex.listParam("options", OPTIONS));
    // format names the representation as options does; the two must not disagree.
    Optional<String> format = ex.param("format");
    format.ifPresent(f -> {
      if (!FORMATS.contains(f)) {
        throw NgsiLdException.badRequest("unknown format '" + f + "'; allowed: " + new java.util.TreeSet<>(FORMATS));
      }
    });
    format.ifPresent(options::add);
    Set<String> chosen = new HashSet<>(options);
    chosen.retainAll(FORMATS);
    if (chosen.size() > 1) {
      throw NgsiLdException.badRequest("choose one representation, not both of " + new java.util.TreeSet<>(chosen));
    }
    Representation representation = options.contains("aggregatedValues") ? Representation.AGGREGATED
        : options.contains("temporalValues") ? Representation.TEMPORAL_VALUES : Representation.NORMALIZED;
    Set<AggregationMethod> methods = ex.param("aggrMethods").map(AggregationMethod::parseList).orElse(Set.of());
    Optional<AggregationPeriod> period = ex.param("aggrPeriodDuration")
        .map(text -> AggregationPeriod.parse("aggrPeriodDuration", text));
    return new TemporalRequest(when, attrs, representation, methods, period, options.contains("sysAttrs"));
  }

  private static int limit(Exchange ex) {
    int limit = ex.intParam("limit", DEFAULT_LIMIT, 0, MAX_LIMIT);
    if (limit == 0 && !ex.booleanParam("count")) {
      throw NgsiLdException.badRequest("limit=0 is only allowed together with count=true");
    }
    return limit;
  }

  private static void answer(Exchange ex, LdRequest ld, String media, TemporalResult result, TemporalRequest request,
      boolean list) {
    if (result.count() >= 0) {
      ex.header(Exchange.RESULTS_COUNT.defaultCase(), Long.toString(result.count()));
    }
    result.partial().ifPresent(range -> ex.header("Content-Range", range.contentRange()));
    int status = result.partial().isPresent() ? 206 : 200;
    TemporalWriter writer = new TemporalWriter(ld.context());
    if (!list) {
      ld.send(ex, status, media, writer.write(result.entities().get(0), request));
      return;
    }
    ArrayNode out = Json.array();
    for (TemporalEntity e : result.entities()) {
      out.add(writer.write(e, request));
    }
    ld.send(ex, status, media, out);
  }

  // --- writes ---------------------------------------------------------------------------------

  private void createOrAdd(Exchange ex) {
    String tenant = ex.tenant();
    LdRequest ld = LdRequest.withBody(ex, contexts, BODY_TYPES);
    ObjectNode entity = EntityReader.temporal(ld.context()).entity(ld.body());
    if (temporal.createOrAdd(tenant, entity)) {
      ex.header("Location", "/ngsi-ld/v1/temporal/entities/" + NgsiLdRoutes.encode(entity.get("id").asText()));
      ex.sendEmpty(201);
      return;
    }
    ex.sendEmpty(204);
  }

  private void addAttributes(Exchange ex) {
    String tenant = ex.tenant();
    String id = requireId(ex);
    LdRequest ld = LdRequest.withBody(ex, contexts, BODY_TYPES);
    temporal.addAttributes(tenant, id, EntityReader.temporal(ld.context()).fragment(ld.body(), id));
    ex.sendEmpty(204);
  }

  private void delete(Exchange ex) {
    temporal.delete(ex.tenant(), requireId(ex));
    ex.sendEmpty(204);
  }

  private void deleteAttribute(Exchange ex) {
    String tenant = ex.tenant();
    String id = requireId(ex);
    LdRequest ld = LdRequest.of(ex, contexts);
    String attribute = ld.reader().expandName(ex.pathParam("attr"));
    Optional<String> datasetId = ex.param("datasetId").map(d -> EntityReader.requireUri(d, "datasetId"));
    boolean all = ex.booleanParam("deleteAll");
    if (all && datasetId.isPresent()) {
      throw NgsiLdException.badRequest("give datasetId or deleteAll=true, not both");
    }
    temporal.deleteAttribute(tenant, id, attribute, datasetId, all);
    ex.sendEmpty(204);
  }

  /** Clause 6.22.3.1: the body is the attribute's new instance, in the fragment form {"attr": {...}}. */
  private void patchInstance(Exchange ex) {
    String tenant = ex.tenant();
    String id = requireId(ex);
    String instanceId = EntityReader.requireUri(ex.pathParam("instanceId"), "instanceId");
    LdRequest ld = LdRequest.withBody(ex, contexts, BODY_TYPES);
    String name = ex.pathParam("attr");
    String attribute = ld.reader().expandName(name);
    ObjectNode fragment = EntityReader.temporal(ld.context()).fragment(ld.body(), id);
    JsonNode instances = fragment.get(attribute);
    if (instances == null || instances.size() != 1 || fragment.size() != 1) {
      throw NgsiLdException.badRequest("the body must hold exactly one instance of '" + name + "' and nothing else");
    }
    temporal.replaceInstance(tenant, id, attribute, instanceId, (ObjectNode) instances.get(0));
    ex.sendEmpty(204);
  }

  private void deleteInstance(Exchange ex) {
    String tenant = ex.tenant();
    String id = requireId(ex);
    String instanceId = EntityReader.requireUri(ex.pathParam("instanceId"), "instanceId");
    LdRequest ld = LdRequest.of(ex, contexts);
    temporal.deleteInstance(tenant, id, ld.reader().expandName(ex.pathParam("attr")), instanceId);
    ex.sendEmpty(204);
  }

  private static String requireId(Exchange ex) {
    return EntityReader.requireUri(ex.pathParam("id"), "entity id");
  }

}

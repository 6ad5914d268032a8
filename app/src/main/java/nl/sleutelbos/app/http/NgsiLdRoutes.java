package nl.sleutelbos.app.http;

import static nl.sleutelbos.app.http.LdRequest.GEO_JSON;
import static nl.sleutelbos.app.http.LdRequest.JSON;
import static nl.sleutelbos.app.http.LdRequest.LD_JSON;
import static nl.sleutelbos.app.http.LdRequest.MERGE_PATCH;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.ngsild.NgsiLdException;
import nl.sleutelbos.ngsild.entity.BatchItem;
import nl.sleutelbos.ngsild.entity.BatchResult;
import nl.sleutelbos.ngsild.entity.Entity;
import nl.sleutelbos.ngsild.entity.EntityQuery;
import nl.sleutelbos.ngsild.entity.EntityReader;
import nl.sleutelbos.ngsild.entity.EntitySelector;
import nl.sleutelbos.ngsild.entity.EntityService;
import nl.sleutelbos.ngsild.entity.EntityWriter;
import nl.sleutelbos.ngsild.entity.Format;
import nl.sleutelbos.ngsild.entity.QueryResult;
import nl.sleutelbos.ngsild.entity.TypeSelection;
import nl.sleutelbos.ngsild.entity.UpdateResult;
import nl.sleutelbos.ngsild.entity.View;
import nl.sleutelbos.ngsild.geo.GeoQuery;

/**
 * The entity routes of the NGSI-LD API (clause 6.4 to 6.6 and 6.14 to 6.23 of ETSI GS CIM 009
 * v1.8): each handler reads and checks the request, calls {@link EntityService}, and writes the
 * answer in the negotiated representation.
 */
public final class NgsiLdRoutes {
  static final String FAMILY = "ngsi-ld";
  private static final List<String> BODY_TYPES = List.of(JSON, LD_JSON);
  private static final List<String> MERGE_TYPES = List.of(JSON, LD_JSON, MERGE_PATCH);
  private static final List<String> ENTITY_ANSWERS = List.of(JSON, LD_JSON, GEO_JSON);
  private static final List<String> ANSWERS = List.of(JSON, LD_JSON);
  private static final Set<String> VIEW_OPTIONS = Set.of("keyValues", "concise", "normalized", "sysAttrs");
  private static final Set<String> FORMATS = Set.of("keyValues", "concise", "normalized");
  private static final Set<String> QUERY_PARAMS = Set.of(
      "id", "type", "idPattern", "attrs", "q", "limit", "offset", "count", "options", "format", "lang",
      "geometryProperty", "georel", "geometry", "coordinates", "geoproperty");
  private static final int MAX_BATCH = 10_000;

  private final EntityService entities;
  private final ContextSource contexts;
  /** What an entity read by id is answered as (a meter's with its newest reading); identity if nothing. */
  private final BiFunction<String, Entity, Entity> asRead;

  public NgsiLdRoutes(EntityService entities, ContextSource contexts) {
    this(entities, contexts, (tenant, entity) -> entity);
  }

  /** @param asRead the entity as a read by id answers it, given the tenant and the stored entity */
  public NgsiLdRoutes(EntityService entities, ContextSource contexts,
      BiFunction<String, Entity, Entity> asRead) {
    this.entities = entities;
    this.contexts = contexts;
    this.asRead = asRead;
  }

  public List<Route> routes() {
    return List.of(
        route("POST", "/entities", Set.of(), this::create),
        route("GET", "/entities", QUERY_PARAMS, this::query),
        route("GET", "/entities/{id}", Set.of("attrs", "options", "format", "lang", "geometryProperty"), this::retrieve),
        route("DELETE", "/entities/{id}", Set.of(), this::delete),
        route("PUT", "/entities/{id}", Set.of(), this::replace),
        route("PATCH", "/entities/{id}", Set.of(), this::merge),
        route("POST", "/entities/{id}/attrs", Set.of("options"), this::append),
        route("PATCH", "/entities/{id}/attrs", Set.of(), this::update),
        route("PATCH", "/entities/{id}/attrs/{attr}", Set.of(), this::patchAttribute),
        route("DELETE", "/entities/{id}/attrs/{attr}", Set.of("datasetId", "deleteAll"), this::deleteAttribute),
        route("POST", "/entityOperations/create", Set.of(), this::batchCreate),
        route("POST", "/entityOperations/upsert", Set.of("options"), this::batchUpsert),
        route("POST", "/entityOperations/update", Set.of("options"), this::batchUpdate),
        route("POST", "/entityOperations/delete", Set.of(), this::batchDelete),
        route("POST", "/entityOperations/query",
            Set.of("limit", "offset", "count", "options", "format", "lang"), this::batchQuery));
  }

  private static Route route(String method, String template, Set<String> params, Route.Handler handler) {
    return new Route(method, template, params, FAMILY, handler);
  }

  // --- entities ------------------------------------------------------------------------------

  private void create(Exchange ex) {
    String tenant = ex.tenant();
    LdRequest ld = LdRequest.withBody(ex, contexts, BODY_TYPES);
    ObjectNode entity = ld.reader().entity(ld.body());
    entities.create(tenant, entity);
    String id = entity.get("id").asText();
    ex.header("Location", "/ngsi-ld/v1/entities/" + encode(id));
    ex.sendEmpty(201);
  }

  private void retrieve(Exchange ex) {
    String tenant = ex.tenant();
    String id = requireId(ex);
    String media = ex.negotiate(ENTITY_ANSWERS);
    LdRequest ld = LdRequest.of(ex, contexts);
    View view = view(ex, ld);
    Entity entity = asRead.apply(tenant, ex.decidedOn(id).orElseGet(() -> entities.retrieve(tenant, id)));
    EntityWriter writer = ld.writer();
    if (media.equals(GEO_JSON)) {
      ld.send(ex, 200, GEO_JSON, GeoJsonAnswers.feature(writer.write(entity, view), geometryProperty(ex)));
      return;
    }
    ld.send(ex, 200, media, writer.write(entity, view));
  }

  private void delete(Exchange ex) {
    entities.delete(ex.tenant(), requireId(ex));
    ex.sendEmpty(204);
  }

  private void replace(Exchange ex) {
    String tenant = ex.tenant();
    String id = requireId(ex);
    LdRequest ld = LdRequest.withBody(ex, contexts, BODY_TYPES);
    ObjectNode body = ld.body().isObject() ? ((ObjectNode) ld.body()).deepCopy() : null;
    if (body != null && !body.has("id")) {
      body.put("id", id);
    }
    ObjectNode entity = ld.reader().entity(body);
    if (!entity.get("id").asText().equals(id)) {
      throw NgsiLdException.badRequest("the body's id '" + entity.get("id").asText()
          + "' differs from the entity id in the path '" + id + "'");
    }
    entities.replace(tenant, id, entity);
    ex.sendEmpty(204);
  }

  private void merge(Exchange ex) {
    String tenant = ex.tenant();
    String id = requireId(ex);
    LdRequest ld = LdRequest.withBody(ex, contexts, MERGE_TYPES);
    entities.merge(tenant, id, ld.reader().fragment(ld.body(), id));
    ex.sendEmpty(204);
  }

  private void append(Exchange ex) {
    String tenant = ex.tenant();
    String id = requireId(ex);
    boolean noOverwrite = ex.listParam("options", Set.of("noOverwrite")).contains("noOverwrite");
    LdRequest ld = LdRequest.withBody(ex, contexts, BODY_TYPES);
    UpdateResult result = entities.append(tenant, id, ld.reader().fragment(ld.body(), id), noOverwrite);
    answerUpdate(ex, ld, result);
  }

  private void update(Exchange ex) {
    String tenant = ex.tenant();
    String id = requireId(ex);
    LdRequest ld = LdRequest.withBody(ex, contexts, BODY_TYPES);
    UpdateResult result = entities.update(tenant, id, ld.reader().fragment(ld.body(), id));
    answerUpdate(ex, ld, result);
  }

  /** Clause 6.6.3.1 / 6.7.3.1: 204 when everything was written, else 207 with an UpdateResult. */
  private static void answerUpdate(Exchange ex, LdRequest ld, UpdateResult result) {
    if (result.complete()) {
      ex.sendEmpty(204);
      return;
    }
    ObjectNode body = Json.object();
    ArrayNode updated = body.putArray("updated");
    result.updated().forEach(a -> updated.add(ld.context().compactIri(a)));
    ArrayNode notUpdated = body.putArray("notUpdated");
    for (UpdateResult.NotUpdated n : result.notUpdated()) {
      notUpdated.addObject().put("attributeName", ld.context().compactIri(n.attributeName())).put("reason", n.reason());
    }
    ex.sendJson(207, JSON, body);
  }

  private void patchAttribute(Exchange ex) {
    String tenant = ex.tenant();
    String id = requireId(ex);
    LdRequest ld = LdRequest.withBody(ex, contexts, BODY_TYPES);
    EntityReader reader = ld.reader();
    String attr = ex.pathParam("attr");
    entities.patchAttribute(tenant, id, reader.expandName(attr), reader.attributePatch(attr, ld.body()));
    ex.sendEmpty(204);
  }

  private void deleteAttribute(Exchange ex) {
    String tenant = ex.tenant();
    String id = requireId(ex);
    LdRequest ld = LdRequest.of(ex, contexts);
    String datasetId = ex.param("datasetId").map(d -> EntityReader.requireUri(d, "datasetId")).orElse(null);
    boolean deleteAll = ex.booleanParam("deleteAll");
    if (deleteAll && datasetId != null) {
      throw NgsiLdException.badRequest("give either datasetId or deleteAll=true, not both");
    }
    entities.deleteAttribute(tenant, id, ld.reader().expandName(ex.pathParam("attr")), datasetId, deleteAll);
    ex.sendEmpty(204);
  }

  // --- query ---------------------------------------------------------------------------------

  private void query(Exchange ex) {
    String tenant = ex.tenant();
    String media = ex.negotiate(ENTITY_ANSWERS);
    LdRequest ld = LdRequest.of(ex, contexts);
    EntityReader reader = ld.reader();
    Set<String> ids = new HashSet<>();
    ex.param("id").ifPresent(text -> {
      for (String id : text.split(",")) {
        ids.add(EntityReader.requireUri(id.strip(), "id"));
      }
    });
    Pattern idPattern = ex.param("idPattern").map(QueryBody::idPattern).orElse(null);
    TypeSelection types = ex.param("type").map(t -> TypeSelection.parse(t, reader::expandType)).orElse(null);
    EntitySelector selector = new EntitySelector(ids, idPattern, types);
    QueryFilters.Compiled q = QueryFilters.compile(ex.param("q"), ld.context());
    Optional<GeoQuery> geo = GeoQuery.fromParameters(ex.param("georel"), ex.param("geometry"),
        ex.param("coordinates"), ex.param("geoproperty").map(reader::expandName));
    EntityQuery query = new EntityQuery(List.of(selector), attrs(ex, reader), q.predicate(), q.hints(),
        ex.intParam("limit", EntityQuery.DEFAULT_LIMIT, 0, EntityQuery.MAX_LIMIT),
        ex.intParam("offset", 0, 0, Integer.MAX_VALUE), ex.booleanParam("count")).withGeo(geo);
    answerQuery(ex, ld, media, query, tenant);
  }

  /** Clause 6.23: the query is in the body, as a Query data type (clause 5.2.23). */
  private void batchQuery(Exchange ex) {
    String tenant = ex.tenant();
    String media = ex.negotiate(ANSWERS);
    LdRequest ld = LdRequest.withBody(ex, contexts, BODY_TYPES);
    EntityReader reader = ld.reader();
    JsonNode body = ld.body();
    if (!body.isObject() || !"Query".equals(body.path("type").asText())) {
      throw NgsiLdException.badRequest("the body must be a Query object with \"type\": \"Query\"");
    }
    for (String member : iterable(body.fieldNames())) {
      if (!Set.of("type", "entities", "attrs", "q", "geoQ", "csf", "temporalQ", "scopeQ", "lang").contains(member)) {
        throw NgsiLdException.badRequest("unknown member '" + member + "' in Query");
      }
    }
    if (body.has("csf") || body.has("temporalQ") || body.has("scopeQ")) {
      throw new NgsiLdException(nl.sleutelbos.ngsild.ErrorType.OPERATION_NOT_SUPPORTED,
          "csf, temporalQ and scopeQ in a Query are not supported yet");
    }
    List<EntitySelector> selectors = QueryBody.selectors(body, reader);
    Set<String> attrs = QueryBody.attrs(body, reader);
    QueryFilters.Compiled q = QueryFilters.compile(
        body.has("q") ? Optional.of(body.get("q").asText()) : Optional.empty(), ld.context());
    Optional<GeoQuery> geo = body.has("geoQ")
        ? Optional.of(GeoQuery.fromJson(body.get("geoQ"), reader::expandName)) : Optional.empty();
    EntityQuery query = new EntityQuery(selectors, attrs, q.predicate(), q.hints(),
        ex.intParam("limit", EntityQuery.DEFAULT_LIMIT, 0, EntityQuery.MAX_LIMIT),
        ex.intParam("offset", 0, 0, Integer.MAX_VALUE), ex.booleanParam("count")).withGeo(geo);
    answerQuery(ex, ld, media, query, tenant);
  }

  private void answerQuery(Exchange ex, LdRequest ld, String media, EntityQuery query, String tenant) {
    if (query.limit() == 0 && !query.count()) {
      throw NgsiLdException.badRequest("limit=0 is only allowed together with count=true");
    }
    View view = view(ex, ld);
    QueryResult result = entities.query(tenant, query);
    if (result.count() >= 0) {
      ex.header(Exchange.RESULTS_COUNT.defaultCase(), Long.toString(result.count()));
    }
    EntityWriter writer = ld.writer();
    ArrayNode out = Json.array();
    for (Entity e : result.entities()) {
      out.add(writer.write(e, view));
    }
    if (media.equals(GEO_JSON)) {
      ld.send(ex, 200, GEO_JSON, GeoJsonAnswers.featureCollection(out, geometryProperty(ex)));
      return;
    }
    ld.send(ex, 200, media, out);
  }

  private static Set<String> attrs(Exchange ex, EntityReader reader) {
    Set<String> attrs = new HashSet<>();
    ex.param("attrs").ifPresent(text -> {
      for (String a : text.split(",")) {
        attrs.add(reader.expandName(a.strip()));
      }
    });
    return attrs;
  }

  private static View view(Exchange ex, LdRequest ld) {
    Set<String> options = ex.listParam("options", VIEW_OPTIONS);
    Optional<String> format = ex.param("format");
    format.ifPresent(f -> {
      if (!FORMATS.contains(f)) {
        throw NgsiLdException.badRequest("unknown format '" + f + "'; allowed: " + FORMATS);
      }
    });
    Set<String> chosen = new HashSet<>(options);
    chosen.retainAll(FORMATS);
    format.ifPresent(chosen::add);
    if (chosen.size() > 1) {
      throw NgsiLdException.badRequest("choose one representation, not " + chosen);
    }
    Format f = chosen.contains("keyValues") ? Format.KEY_VALUES
        : chosen.contains("concise") ? Format.CONCISE : Format.NORMALIZED;
    Set<String> attrs = ex.route().parameters().contains("attrs") ? attrs(ex, ld.reader()) : Set.of();
    return new View(f, options.contains("sysAttrs"), attrs, ex.param("lang").orElse(null));
  }

  private static String geometryProperty(Exchange ex) {
    return ex.param("geometryProperty").orElse("location");
  }

  // --- batch ---------------------------------------------------------------------------------

  private void batchCreate(Exchange ex) {
    String tenant = ex.tenant();
    BatchResult result = entities.batchCreate(tenant, batchItems(ex));
    answerBatch(ex, result, 201, result.errors().isEmpty(), true);
  }

  private void batchUpsert(Exchange ex) {
    String tenant = ex.tenant();
    Set<String> options = ex.listParam("options", Set.of("update", "replace"));
    if (options.size() > 1) {
      throw NgsiLdException.badRequest("options must be update or replace, not both");
    }
    BatchResult result = entities.batchUpsert(tenant, batchItems(ex), !options.contains("update"));
    boolean clean = result.errors().isEmpty();
    // Clause 6.15.3.1: 201 with the created ids when some were created, 204 when all existed.
    if (clean && result.created().isEmpty()) {
      ex.sendEmpty(204);
      return;
    }
    answerBatch(ex, result, 201, clean, false);
  }

  private void batchUpdate(Exchange ex) {
    String tenant = ex.tenant();
    boolean noOverwrite = ex.listParam("options", Set.of("noOverwrite")).contains("noOverwrite");
    BatchResult result = entities.batchUpdate(tenant, batchItems(ex), noOverwrite);
    if (result.errors().isEmpty()) {
      ex.sendEmpty(204);
      return;
    }
    answerBatch(ex, result, 204, false, false);
  }

  private void batchDelete(Exchange ex) {
    String tenant = ex.tenant();
    JsonNode body = ex.jsonBody(BODY_TYPES);
    if (!body.isArray() || body.isEmpty()) {
      throw NgsiLdException.badRequest("the body must be a non-empty array of entity ids");
    }
    checkBatchSize(body);
    List<String> ids = new ArrayList<>();
    List<BatchResult.Failure> invalid = new ArrayList<>();
    for (JsonNode id : body) {
      try {
        ids.add(EntityReader.requireUri(id, "entity id"));
      } catch (NgsiLdException e) {
        invalid.add(new BatchResult.Failure(id.asText(), e));
      }
    }
    BatchResult deleted = entities.batchDelete(tenant, ids);
    List<BatchResult.Failure> errors = new ArrayList<>(invalid);
    errors.addAll(deleted.errors());
    BatchResult result = new BatchResult(List.of(), deleted.updated(), errors);
    if (errors.isEmpty()) {
      ex.sendEmpty(204);
      return;
    }
    answerBatch(ex, result, 204, false, false);
  }

  /** Reads each element on its own, so that one bad entity fails alone (clause 6.14.3.1). */
  private List<BatchItem> batchItems(Exchange ex) {
    JsonNode body = ex.jsonBody(BODY_TYPES);
    if (!body.isArray() || body.isEmpty()) {
      throw NgsiLdException.badRequest("the body must be a non-empty array of entities");
    }
    checkBatchSize(body);
    boolean ld = ex.contentType().equals(LD_JSON);
    LdRequest shared = LdRequest.of(ex, contexts);
    List<BatchItem> items = new ArrayList<>(body.size());
    for (JsonNode element : body) {
      String id = element.path("id").asText("");
      try {
        EntityReader reader = shared.reader();
        JsonNode entity = element;
        if (element.isObject() && element.has("@context")) {
          if (!ld) {
            throw NgsiLdException.badRequest("an application/json body must not carry @context");
          }
          reader = new EntityReader(contexts.resolve(element.get("@context")));
          entity = ((ObjectNode) element).deepCopy().without("@context");
        } else if (ld) {
          throw NgsiLdException.badRequest("each entity of an application/ld+json batch must carry its @context");
        }
        items.add(new BatchItem.Valid(reader.entity(entity)));
      } catch (NgsiLdException e) {
        items.add(new BatchItem.Invalid(id, e));
      }
    }
    return items;
  }

  private static void checkBatchSize(JsonNode body) {
    if (body.size() > MAX_BATCH) {
      throw new NgsiLdException(nl.sleutelbos.ngsild.ErrorType.TOO_MANY_RESULTS,
          "a batch holds at most " + MAX_BATCH + " entities, got " + body.size());
    }
  }

  /** 201/204 (with ids) when clean, else 207 with a BatchOperationResult (clause 5.2.16). */
  private static void answerBatch(Exchange ex, BatchResult result, int cleanStatus, boolean clean, boolean listAll) {
    if (clean) {
      ArrayNode ids = Json.array();
      (listAll ? result.succeeded() : result.created()).forEach(ids::add);
      ex.sendJson(cleanStatus, JSON, ids);
      return;
    }
    ObjectNode body = Json.object();
    ArrayNode success = body.putArray("success");
    result.succeeded().forEach(success::add);
    ArrayNode errors = body.putArray("errors");
    for (BatchResult.Failure f : result.errors()) {
      errors.addObject().put("entityId", f.entityId()).set("error", Problems.body(f.error()));
    }
    ex.sendJson(207, JSON, body);
  }

  // --- helpers -------------------------------------------------------------------------------

  private static String requireId(Exchange ex) {
    return EntityReader.requireUri(ex.pathParam("id"), "entity id");
  }


  static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20").replace("%3A", ":");
  }

  private static <T> Iterable<T> iterable(java.util.Iterator<T> it) {
    return () -> it;
  }
}

package nl.sleutelbos.ngsild.context;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;
import static nl.sleutelbos.ngsild.context.ContextErrors.notAvailable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import nl.sleutelbos.ngsild.ErrorType;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.ngsild.NgsiLdException;
import nl.sleutelbos.store.DocumentStore;

/**
 * The broker's {@code @context} storage and the operations of the JSON-LD {@code @context} API (CIM
 * 009 clause 5.13): Add, List, Serve, and Delete and Reload. It holds three kinds of context (see
 * {@link ContextKind}) plus the bundled core context:
 *
 * <ul>
 *   <li>Hosted and ImplicitlyCreated contexts live in the {@link DocumentStore} collection {@value
 *       #COLLECTION}, so they survive a restart, and are served at {@code baseUrl + localId};
 *   <li>Cached contexts are downloaded on first use and kept in memory for a limited time;
 *   <li>the core context is listed as Cached with the local id {@value #CORE_LOCAL_ID}; it never
 *       expires and cannot be deleted or reloaded. Unlike other Cached contexts it can be served in
 *       full, since the broker has its own copy.
 * </ul>
 *
 * <p>As the {@link ContextLoader} of {@link LdContexts} it resolves URLs without going in circles:
 * core context URLs and this broker's own hosted URLs are answered from storage, never over HTTP.
 *
 * <p>Usage counts ({@code numberOfHits}, {@code lastUsage}) are kept in memory only. Another broker
 * instance sharing the store sees hosted contexts added here (they are read through on a miss) but
 * keeps serving ones deleted here until it restarts. Thread-safe.
 */
public final class ContextRegistry implements ContextLoader {
  /** The {@link DocumentStore} collection of Hosted and ImplicitlyCreated contexts. */
  public static final String COLLECTION = "jsonld-context";

  /** The local identifier of the core context. */
  public static final String CORE_LOCAL_ID = "ngsi-ld-core-context-v1.8";

  /**
   * How Cached contexts are kept.
   *
   * @param cacheMaxAge how long a downloaded context is used before it is downloaded again
   * @param cacheMaxEntries how many downloaded contexts are kept; the least recently used goes
   */
  public record Settings(Duration cacheMaxAge, int cacheMaxEntries) {
    public static final Settings DEFAULT = new Settings(Duration.ofDays(1), 256);

    public Settings {
      requireNonNull(cacheMaxAge, "cacheMaxAge is null");
      if (cacheMaxAge.isNegative() || cacheMaxAge.isZero()) {
        throw new IllegalArgumentException("cacheMaxAge <= 0: " + cacheMaxAge);
      }
      if (cacheMaxEntries < 1) {
        throw new IllegalArgumentException("cacheMaxEntries < 1: " + cacheMaxEntries);
      }
    }
  }

  /** A Hosted or ImplicitlyCreated context. */
  private record Stored(
      String localId, ContextKind kind, JsonNode context, Instant createdAt, Usage usage) {}

  private final DocumentStore store;
  private final String baseUrl;
  private final Clock clock;
  private final RemoteContextCache remote;
  private final Map<String, Stored> stored = new ConcurrentHashMap<>();
  private final Instant coreCreatedAt;
  private final Usage coreUsage = new Usage();
  private final AtomicLong generation = new AtomicLong();

  /**
   * A registry that downloads with {@link HttpContextFetcher}, on the system clock, with {@link
   * Settings#DEFAULT}.
   */
  public ContextRegistry(DocumentStore store, String baseUrl) {
    this(store, new HttpContextFetcher(), baseUrl, Clock.systemUTC(), Settings.DEFAULT);
  }

  /**
   * Loads the stored contexts of {@code store}.
   *
   * @param baseUrl the URL under which this broker serves hosted contexts, for example {@code
   *     http://localhost:1026/ngsi-ld/v1/jsonldContexts/}; a missing final slash is added
   * @throws IllegalStateException if a stored context cannot be read
   */
  public ContextRegistry(
      DocumentStore store, ContextFetcher fetcher, String baseUrl, Clock clock, Settings settings) {
    this.store = requireNonNull(store, "store is null");
    requireNonNull(baseUrl, "baseUrl is null");
    if (!Iris.isAbsoluteIri(baseUrl)) {
      throw new IllegalArgumentException("baseUrl is not absolute: " + baseUrl);
    }
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl : baseUrl + "/";
    this.clock = requireNonNull(clock, "clock is null");
    this.remote =
        new RemoteContextCache(
            requireNonNull(fetcher, "fetcher is null"),
            clock,
            settings.cacheMaxAge(),
            settings.cacheMaxEntries());
    this.coreCreatedAt = clock.instant();
    for (DocumentStore.Document document : store.list(COLLECTION)) {
      Stored s = decode(document.key(), document.body());
      stored.put(s.localId(), s);
    }
  }

  /**
   * Add @context (clause 5.13.2): stores {@code body}'s {@code @context} as a Hosted context.
   * Members of {@code body} other than {@code @context} are discarded.
   *
   * @param body a JSON object whose {@code @context} member is an object, an array or a URL
   * @return the new context's details; its {@link ContextInfo#url()} is where it is served
   * @throws NgsiLdException {@code BadRequestData} if {@code body} is not such an object or the
   *     context is invalid; {@code LdContextNotAvailable} if a context it refers to cannot be
   *     downloaded
   */
  public ContextInfo add(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw NgsiLdException.badRequest(
          "an @context to add must be a JSON object with an @context member, not "
              + ContextErrors.describe(body));
    }
    JsonNode context = body.get("@context");
    if (context == null || !(context.isObject() || context.isArray() || context.isTextual())) {
      throw NgsiLdException.badRequest(
          "the @context member must be an object, an array or a URL, not "
              + ContextErrors.describe(context));
    }
    new ContextProcessor(this).process(context);
    Stored s =
        new Stored(
            UUID.randomUUID().toString(),
            ContextKind.HOSTED,
            context.deepCopy(),
            clock.instant(),
            new Usage());
    if (!store.putIfAbsent(COLLECTION, s.localId(), encode(s))) {
      throw new IllegalStateException("random local id already taken: " + s.localId());
    }
    stored.put(s.localId(), s);
    return info(s);
  }

  /**
   * Stores a context the broker needs at a URL of its own, for example the {@code @context} array
   * of a subscription that notifies in plain JSON and so must send one Link header (clause 5.13.3).
   * Storing the same context again gives the same entry.
   *
   * @throws NgsiLdException as {@link #add}
   */
  public ContextInfo addImplicit(JsonNode context) {
    requireNonNull(context, "context is null");
    String localId = UUID.nameUUIDFromBytes(("implicit " + context).getBytes(UTF_8)).toString();
    Stored existing = lookup(localId).orElse(null);
    if (existing != null) return info(existing);
    new ContextProcessor(this).process(context);
    Stored s =
        new Stored(
            localId,
            ContextKind.IMPLICITLY_CREATED,
            context.deepCopy(),
            clock.instant(),
            new Usage());
    store.put(COLLECTION, localId, encode(s));
    stored.put(localId, s);
    return info(s);
  }

  /**
   * List @contexts (clause 5.13.3): the core context, then the stored ones by age, then the Cached
   * ones by age.
   */
  public List<ContextInfo> list(Optional<ContextKind> kind) {
    List<ContextInfo> all = new ArrayList<>();
    all.add(coreInfo());
    stored.values().stream()
        .sorted(Comparator.comparing(Stored::createdAt).thenComparing(Stored::localId))
        .map(this::info)
        .forEach(all::add);
    remote.held().forEach(e -> all.add(e.info()));
    return kind.map(k -> all.stream().filter(i -> i.kind() == k).toList()).orElse(all);
  }

  /**
   * List @contexts as the API answers it: an array of URLs, or of detail objects if {@code
   * details}.
   *
   * @param kind Hosted, Cached or ImplicitlyCreated, or empty for all
   * @throws NgsiLdException {@code BadRequestData} for an unknown kind
   */
  public ArrayNode list(boolean details, Optional<String> kind) {
    ArrayNode result = Json.array();
    for (ContextInfo info : list(kind.map(ContextKind::parse))) {
      if (details) result.add(info.toJson());
      else result.add(info.url());
    }
    return result;
  }

  /**
   * Serve @context (clause 5.13.4): the document {@code {"@context": ...}} stored under {@code id},
   * or its details.
   *
   * @param id a local identifier, or for a Cached context its original URL
   * @throws NgsiLdException {@code ResourceNotFound} if there is no such context; {@code
   *     OperationNotSupported} for the full content of a Cached context other than the core one
   */
  public JsonNode serve(String id, boolean details) {
    requireId(id);
    if (isCore(id)) {
      return details ? coreInfo().toJson() : CoreContext.document();
    }
    Optional<Stored> s = lookup(id);
    if (s.isPresent()) {
      if (details) return info(s.get()).toJson();
      ObjectNode document = Json.object();
      document.set("@context", s.get().context().deepCopy());
      return document;
    }
    RemoteContextCache.Entry e = remote.find(id).orElseThrow(() -> unknown(id));
    if (details) return e.info().toJson();
    throw new NgsiLdException(
        ErrorType.OPERATION_NOT_SUPPORTED,
        "@context " + id + " is of kind Cached: only its details can be served (details=true)");
  }

  /**
   * Delete and Reload @context (clause 5.13.5). Without {@code reload}, removes the context: a
   * deleted Cached context is downloaded again when next used. With {@code reload}, downloads a
   * Cached context again and replaces the stored copy only if the new one is valid.
   *
   * @param id a local identifier, or for a Cached context its original URL
   * @throws NgsiLdException {@code BadRequestData} for the core context, or for {@code reload} of a
   *     context that is not Cached; {@code ResourceNotFound} if there is no such context; {@code
   *     LdContextNotAvailable} if a reload fails, the old copy then staying in place
   */
  public void delete(String id, boolean reload) {
    requireId(id);
    if (isCore(id)) {
      throw NgsiLdException.badRequest(
          "the core @context is built in: it cannot be deleted or reloaded");
    }
    Optional<Stored> s = lookup(id);
    if (s.isPresent()) {
      if (reload) {
        throw NgsiLdException.badRequest(
            "only Cached @contexts can be reloaded; " + id + " is " + s.get().kind().title());
      }
      store.delete(COLLECTION, id);
      stored.remove(id);
      generation.incrementAndGet();
      return;
    }
    RemoteContextCache.Entry e = remote.find(id).orElseThrow(() -> unknown(id));
    if (reload) {
      remote.reload(e.url(), this::checkReloaded);
    } else {
      remote.remove(e.url());
    }
    generation.incrementAndGet();
  }

  @Override
  public Loaded load(String url) {
    Instant now = clock.instant();
    if (CoreContext.isCoreUrl(url)) {
      coreUsage.hit(now);
      return new Loaded(CoreContext.contextValue(), null);
    }
    if (url.startsWith(baseUrl)) {
      String localId = url.substring(baseUrl.length());
      Stored s =
          lookup(localId)
              .orElseThrow(() -> notAvailable(url, "this broker hosts no @context " + localId));
      s.usage().hit(now);
      return new Loaded(s.context(), null);
    }
    RemoteContextCache.Entry e = remote.get(url);
    return new Loaded(e.context(), e.expiresAt());
  }

  @Override
  public void recordUse(String url) {
    if (CoreContext.isCoreUrl(url)) {
      coreUsage.hit(clock.instant());
    } else if (url.startsWith(baseUrl)) {
      Stored s = stored.get(url.substring(baseUrl.length()));
      if (s != null) s.usage().hit(clock.instant());
    } else {
      remote.recordUse(url);
    }
  }

  @Override
  public long generation() {
    return generation.get();
  }

  /** The URL at which this broker serves the stored context {@code localId}. */
  public String urlOf(String localId) {
    return baseUrl + localId;
  }

  /** Per clause 5.13.5.4 an invalid downloaded context is "not available", not a client error. */
  private void checkReloaded(JsonNode context) {
    try {
      new ContextProcessor(this).process(context);
    } catch (NgsiLdException e) {
      if (e.type() != ErrorType.BAD_REQUEST_DATA) throw e;
      throw new NgsiLdException(ErrorType.LD_CONTEXT_NOT_AVAILABLE, e.getMessage(), e);
    }
  }

  private Optional<Stored> lookup(String localId) {
    Stored s = stored.get(localId);
    if (s != null) return Optional.of(s);
    // Another broker instance on the same store may have added it.
    return store
        .get(COLLECTION, localId)
        .map(
            body -> {
              Stored read = decode(localId, body);
              Stored raced = stored.putIfAbsent(localId, read);
              return raced != null ? raced : read;
            });
  }

  private static boolean isCore(String id) {
    return id.equals(CORE_LOCAL_ID) || CoreContext.isCoreUrl(id);
  }

  private static void requireId(String id) {
    if (id == null || id.isBlank()) {
      throw NgsiLdException.badRequest("no @context identifier given");
    }
  }

  private static NgsiLdException unknown(String id) {
    return NgsiLdException.notFound("no stored @context has the identifier " + id);
  }

  private ContextInfo coreInfo() {
    return new ContextInfo(
        CoreContext.URL,
        CORE_LOCAL_ID,
        ContextKind.CACHED,
        coreCreatedAt,
        null,
        coreUsage.last(),
        coreUsage.hits(),
        "built into the broker; never expires; cannot be deleted");
  }

  private ContextInfo info(Stored s) {
    return new ContextInfo(
        urlOf(s.localId()),
        s.localId(),
        s.kind(),
        s.createdAt(),
        null,
        s.usage().last(),
        s.usage().hits(),
        null);
  }

  private static String encode(Stored s) {
    ObjectNode json = Json.object();
    json.put("localId", s.localId());
    json.put("kind", s.kind().title());
    json.put("createdAt", s.createdAt().toString());
    json.set("@context", s.context());
    return Json.write(json);
  }

  private static Stored decode(String key, String body) {
    try {
      JsonNode json = Json.parseStored(body);
      return new Stored(
          key,
          ContextKind.parse(json.path("kind").asText()),
          requireNonNull(json.get("@context"), "no @context"),
          Instant.parse(json.path("createdAt").asText()),
          new Usage());
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "stored @context " + key + " in " + COLLECTION + " is unreadable", e);
    }
  }
}

package nl.sleutelbos.ngsild.context;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compiles the {@code @context} of a request into an {@link LdContext} and remembers the result, so
 * that a request with a context seen before costs one hash lookup (plus serializing an inline
 * context to find it). Remote contexts are loaded through a {@link ContextLoader}, normally the
 * {@link ContextRegistry}.
 *
 * <p>A compiled context is dropped when a remote context it was built from expires, or when the
 * loader reports a change (a hosted context deleted, a cached one reloaded). At most {@code
 * maxEntries} are kept; past that, stale ones go first and then arbitrary ones. Thread-safe.
 */
public final class LdContexts {
  public static final int DEFAULT_MAX_ENTRIES = 1024;

  private record Compiled(
      LdContext context, List<String> urls, Instant expiresAt, long generation) {}

  private final ContextLoader loader;
  private final Clock clock;
  private final int maxEntries;
  private final Map<String, Compiled> compiled = new ConcurrentHashMap<>();

  public LdContexts(ContextLoader loader, Clock clock) {
    this(loader, clock, DEFAULT_MAX_ENTRIES);
  }

  public LdContexts(ContextLoader loader, Clock clock, int maxEntries) {
    this.loader = requireNonNull(loader, "loader is null");
    this.clock = requireNonNull(clock, "clock is null");
    if (maxEntries < 1) throw new IllegalArgumentException("maxEntries < 1: " + maxEntries);
    this.maxEntries = maxEntries;
  }

  /**
   * The compiled context for the {@code @context} member of a request body: a URL string, an
   * object, or an array of both. Absent ({@code null} or a missing node) or JSON null gives {@link
   * LdContext#core()}.
   *
   * @throws nl.sleutelbos.ngsild.NgsiLdException {@code BadRequestData} if the context is invalid;
   *     {@code LdContextNotAvailable} if a remote context it refers to cannot be obtained
   */
  public LdContext resolve(JsonNode contextValue) {
    if (contextValue == null || contextValue.isMissingNode() || contextValue.isNull()) {
      return LdContext.core();
    }
    String key = contextValue.toString();
    long generation = loader.generation();
    Compiled hit = compiled.get(key);
    if (hit != null && isCurrent(hit, generation, clock.instant())) {
      for (String url : hit.urls()) loader.recordUse(url);
      return hit.context();
    }
    ContextProcessor.Result result = new ContextProcessor(loader).process(contextValue);
    LdContext context = CompiledContext.build(contextValue.deepCopy(), result.active());
    if (compiled.size() >= maxEntries) evict();
    compiled.put(key, new Compiled(context, result.urls(), result.expiresAt(), generation));
    return context;
  }

  /**
   * The compiled context for the URL of a request's JSON-LD Link header ({@code
   * rel="http://www.w3.org/ns/json-ld#context"}); null gives {@link LdContext#core()}.
   *
   * @throws nl.sleutelbos.ngsild.NgsiLdException as {@link #resolve(JsonNode)}
   */
  public LdContext resolveLink(String url) {
    return url == null ? LdContext.core() : resolve(TextNode.valueOf(url));
  }

  /** How many compiled contexts are held; for tests. */
  int size() {
    return compiled.size();
  }

  private boolean isCurrent(Compiled c, long generation, Instant now) {
    return c.generation() == generation && (c.expiresAt() == null || now.isBefore(c.expiresAt()));
  }

  private void evict() {
    long generation = loader.generation();
    Instant now = clock.instant();
    compiled.values().removeIf(c -> !isCurrent(c, generation, now));
    // Still full: drop an eighth, in whatever order the map iterates. Crude, but client contexts
    // are few in practice and recompiling one is cheap.
    Iterator<Compiled> it = compiled.values().iterator();
    for (int n = compiled.size() - maxEntries + Math.max(1, maxEntries / 8);
        n > 0 && it.hasNext();
        n--) {
      it.next();
      it.remove();
    }
  }
}

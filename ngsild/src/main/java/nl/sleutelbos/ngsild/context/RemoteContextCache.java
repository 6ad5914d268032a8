package nl.sleutelbos.ngsild.context;

import static java.nio.charset.StandardCharsets.UTF_8;
import static nl.sleutelbos.ngsild.context.ContextErrors.notAvailable;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import nl.sleutelbos.ngsild.NgsiLdException;

/**
 * Downloaded {@code @context} values by URL: the contexts of kind Cached. Each URL is downloaded
 * once however many requests ask for it at the same time; a copy is used until it is {@code maxAge}
 * old, and when more than {@code maxEntries} are held the least recently used goes. Failures are
 * not cached: the next request tries again. In memory only: after a restart the contexts are
 * downloaded again. Thread-safe.
 */
final class RemoteContextCache {

  /** A downloaded context. */
  record Entry(
      String url,
      String localId,
      JsonNode context,
      Instant createdAt,
      Instant expiresAt,
      Usage usage) {

    ContextInfo info() {
      return new ContextInfo(
          url,
          localId,
          ContextKind.CACHED,
          createdAt,
          expiresAt,
          usage.last(),
          usage.hits(),
          "downloaded from the URL");
    }
  }

  private final ContextFetcher fetcher;
  private final Clock clock;
  private final Duration maxAge;
  private final int maxEntries;

  /** An incomplete future is a download in progress that other requests wait for. */
  private final Map<String, CompletableFuture<Entry>> entries = new ConcurrentHashMap<>();

  RemoteContextCache(ContextFetcher fetcher, Clock clock, Duration maxAge, int maxEntries) {
    if (maxAge.isNegative() || maxAge.isZero()) {
      throw new IllegalArgumentException("maxAge <= 0: " + maxAge);
    }
    if (maxEntries < 1) throw new IllegalArgumentException("maxEntries < 1: " + maxEntries);
    this.fetcher = fetcher;
    this.clock = clock;
    this.maxAge = maxAge;
    this.maxEntries = maxEntries;
  }

  /** The local identifier of the context downloaded from {@code url}: the same across restarts. */
  static String localIdFor(String url) {
    return UUID.nameUUIDFromBytes(url.getBytes(UTF_8)).toString();
  }

  /**
   * The context at {@code url}, downloaded now if there is no fresh copy, and counted as used.
   *
   * @throws nl.sleutelbos.ngsild.NgsiLdException of type {@code LdContextNotAvailable}
   */
  Entry get(String url) {
    while (true) {
      CompletableFuture<Entry> current = entries.get(url);
      if (current == null) {
        CompletableFuture<Entry> mine = new CompletableFuture<>();
        if (entries.putIfAbsent(url, mine) == null) return download(url, mine, new Usage());
        continue;
      }
      Entry entry = await(current);
      Instant now = clock.instant();
      if (now.isBefore(entry.expiresAt())) {
        entry.usage().hit(now);
        return entry;
      }
      CompletableFuture<Entry> mine = new CompletableFuture<>();
      if (entries.replace(url, current, mine)) return download(url, mine, entry.usage());
    }
  }

  /** Counts a use of {@code url} if it is held; never downloads. */
  void recordUse(String url) {
    CompletableFuture<Entry> f = entries.get(url);
    if (f != null && f.isDone() && !f.isCompletedExceptionally()) {
      f.join().usage().hit(clock.instant());
    }
  }

  /**
   * Downloads {@code url} again and, if {@code check} accepts the new copy, puts it in place of the
   * old one, keeping its identifier and usage; on any failure the old copy stays.
   */
  Entry reload(String url, Consumer<JsonNode> check) {
    Entry old = find(url).orElse(null);
    JsonNode context = fetchContext(url);
    check.accept(context);
    Instant now = clock.instant();
    Entry fresh =
        new Entry(
            url,
            localIdFor(url),
            context,
            now,
            now.plus(maxAge),
            old != null ? old.usage() : new Usage());
    entries.put(url, CompletableFuture.completedFuture(fresh));
    return fresh;
  }

  boolean remove(String url) {
    return entries.remove(url) != null;
  }

  /** The fresh copy held for {@code urlOrLocalId}, an original URL or a local identifier. */
  Optional<Entry> find(String urlOrLocalId) {
    CompletableFuture<Entry> f = entries.get(urlOrLocalId);
    if (f != null) return completed(f).filter(this::fresh);
    return held().stream().filter(e -> e.localId().equals(urlOrLocalId)).findFirst();
  }

  /** The fresh copies held, oldest first. */
  List<Entry> held() {
    List<Entry> held = new ArrayList<>();
    for (CompletableFuture<Entry> f : entries.values())
      completed(f).filter(this::fresh).ifPresent(held::add);
    held.sort(Comparator.comparing(Entry::createdAt).thenComparing(Entry::url));
    return held;
  }

  private Entry download(String url, CompletableFuture<Entry> slot, Usage usage) {
    try {
      JsonNode context = fetchContext(url);
      Instant now = clock.instant();
      Entry entry = new Entry(url, localIdFor(url), context, now, now.plus(maxAge), usage);
      usage.hit(now);
      slot.complete(entry);
      evictIfFull();
      return entry;
    } catch (RuntimeException e) {
      entries.remove(url, slot);
      slot.completeExceptionally(e);
      throw e;
    }
  }

  /**
   * A remote context document is a JSON object with an {@code @context} member (JSON-LD 1.1, 4.1.2
   * 5.2.5).
   */
  private JsonNode fetchContext(String url) {
    JsonNode document = fetcher.fetch(url);
    if (document == null || !document.isObject()) {
      throw notAvailable(
          url, "the document is " + ContextErrors.describe(document) + ", not a JSON object");
    }
    JsonNode context = document.get("@context");
    if (context == null) {
      throw notAvailable(url, "the document has no @context member");
    }
    if (!(context.isObject() || context.isArray() || context.isTextual() || context.isNull())) {
      throw notAvailable(url, "its @context member is " + ContextErrors.describe(context));
    }
    return context;
  }

  private void evictIfFull() {
    while (entries.size() > maxEntries) {
      Entry victim = null;
      for (CompletableFuture<Entry> f : entries.values()) {
        Entry e = completed(f).orElse(null);
        if (e != null && (victim == null || lastTouched(e).isBefore(lastTouched(victim)))) {
          victim = e;
        }
      }
      if (victim == null) return; // all downloads in progress
      entries.remove(victim.url());
    }
  }

  private boolean fresh(Entry e) {
    return clock.instant().isBefore(e.expiresAt());
  }

  private static Instant lastTouched(Entry e) {
    Instant last = e.usage().last();
    return last != null ? last : e.createdAt();
  }

  private static Optional<Entry> completed(CompletableFuture<Entry> f) {
    return f.isDone() && !f.isCompletedExceptionally() ? Optional.of(f.join()) : Optional.empty();
  }

  private static Entry await(CompletableFuture<Entry> f) {
    try {
      return f.join();
    } catch (CompletionException e) {
      // Every waiter gets its own exception: one instance thrown in many threads gets muddled.
      if (e.getCause() instanceof NgsiLdException cause) {
        throw new NgsiLdException(cause.type(), cause.getMessage(), cause);
      }
      throw e;
    }
  }
}

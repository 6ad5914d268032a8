package nl.sleutelbos.ngsild.context;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * Finds the {@code @context} behind a URL, for {@link LdContexts} to compile. {@link
 * ContextRegistry} is the real one: it knows the core context, hosted contexts and the cache of
 * downloaded ones. Implementations are thread-safe.
 */
@FunctionalInterface
public interface ContextLoader {

  /**
   * The {@code @context} of a remote context document.
   *
   * @param context the value of the document's {@code @context} member: an object, an array, a URL
   *     string or null
   * @param expiresAt when this copy must no longer be used; null if never
   */
  record Loaded(JsonNode context, Instant expiresAt) {
    public Loaded {
      requireNonNull(context, "context is null");
    }
  }

  /**
   * Returns the {@code @context} value of the document at {@code url}, an absolute URL.
   *
   * @throws nl.sleutelbos.ngsild.NgsiLdException of type {@code LdContextNotAvailable} if the
   *     document cannot be obtained or is not a JSON-LD context document
   */
  Loaded load(String url);

  /**
   * Tells the loader that a compiled context which depends on {@code url} was used again without
   * loading it, so that usage statistics stay true. Must be cheap: it runs on every request.
   */
  default void recordUse(String url) {}

  /**
   * A number that changes whenever a context this loader returned earlier may now read differently
   * (deleted or reloaded), telling {@link LdContexts} to drop what it compiled from it.
   */
  default long generation() {
    return 0;
  }
}

package nl.sleutelbos.ngsild.context;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import nl.sleutelbos.ngsild.Json;

/**
 * A {@link ContextFetcher} that answers from a script of URL to JSON text and counts the fetches of
 * each URL. A URL without a script is unreachable.
 */
final class ScriptedFetcher implements ContextFetcher {
  private final Map<String, String> documents = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

  ScriptedFetcher serve(String url, String json) {
    documents.put(url, json);
    return this;
  }

  void unplug(String url) {
    documents.remove(url);
  }

  int fetches(String url) {
    AtomicInteger n = counts.get(url);
    return n == null ? 0 : n.get();
  }

  int totalFetches() {
    return counts.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  @Override
  public JsonNode fetch(String url) {
    counts.computeIfAbsent(url, u -> new AtomicInteger()).incrementAndGet();
    beforeAnswer.run();
    String json = documents.get(url);
    if (json == null) throw ContextErrors.notAvailable(url, "connection refused (scripted)");
    try {
      return Json.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs inside every fetch before it answers; tests make it block. */
  volatile Runnable beforeAnswer = () -> {};
}

package nl.sleutelbos.app.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import nl.sleutelbos.ngsild.Json;

/**
 * The server's ingest counts ({@code GET /sleutelbos/v1/ingest/metrics}): what the status line
 * shows when the transport learns nothing of the outcome itself (MQTT). They count every sender
 * since the server started, not only this fleet.
 */
final class IngestCounts {
  static final String PATH = "/sleutelbos/v1/ingest/metrics";

  private IngestCounts() {}

  /** The counts, or null when they cannot be read (no such route, no permission, no server). */
  static JsonNode fetch(HttpClient http, String base, ClientCredentials credentials) {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + PATH))
          .header("Accept", "application/json")
          .header("Authorization", "Bearer " + credentials.token())
          .GET().build(), HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? Json.MAPPER.readTree(response.body()) : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** The status line's counts from the ingest's answers to the transport (HTTP). */
  static Supplier<StatusLine.Counts> fromAnswers(SendStats stats) {
    return () -> new StatusLine.Counts(stats.sent(), stats.accepted(), stats.flagged(), stats.rejected(), stats.failed(),
        stats.lastError());
  }

  /**
   * The status line's counts: sent and failures from the transport, outcomes from the server's
   * metrics, or the last ones read when they cannot be read now (the server stopping).
   */
  static Supplier<StatusLine.Counts> fromServer(SendStats stats, HttpClient http, String base, ClientCredentials credentials) {
    AtomicReference<JsonNode> last = new AtomicReference<>(Json.object());
    return () -> {
      JsonNode metrics = fetch(http, base, credentials);
      if (metrics != null) {
        last.set(metrics);
      }
      JsonNode m = last.get();
      return new StatusLine.Counts(stats.sent(), m.path("accepted").asLong(), m.path("flagged").asLong(),
          m.path("rejected").asLong(), stats.failed(), stats.lastError());
    };
  }
}

package nl.sleutelbos.app.sim;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import nl.sleutelbos.metering.sim.SimTelegram;
import nl.sleutelbos.ngsild.Json;

/**
 * The head-end's path: batches of telegrams as NDJSON lines {@code {"meterId","receivedAt","telegram"}}
 * posted to {@code /sleutelbos/v1/ingest/telegrams} with the head-end client's bearer token, a few
 * requests in flight at once. The answer's counts (accepted, flagged, repeated, rejected) go into
 * the {@link SendStats}; a batch larger than the server takes (413) is sent again in halves, one
 * after the other; a refused batch (401 after a fresh token, other 4xx, 5xx) counts as failed.
 *
 * <p>Order: requests in flight at once may commit in any order, so each meter has a lane (by its
 * id) with one request in flight at a time: a meter's telegrams reach the ingest in the order
 * they were measured, as from a real head-end, while {@code inFlight} lanes post side by side.
 *
 * <p>{@code receivedAt} is the simulated time the telegram was measured, the time a head-end next
 * to the meter would have received it; a skewed meter's own timestamp differs from it.
 */
public final class HttpTransport implements Transport {
  public static final String PATH = "/sleutelbos/v1/ingest/telegrams";
  private static final String NDJSON = "application/x-ndjson";

  private final HttpClient http;
  private final URI uri;
  private final ClientCredentials credentials;
  /** One request in flight per lane; a meter always goes by the same lane, so its telegrams stay in order. */
  private final Semaphore[] lanes;
  private final SendStats stats = new SendStats();

  public HttpTransport(HttpClient http, String base, ClientCredentials credentials, int inFlight) {
    this.http = requireNonNull(http, "http is null");
    this.uri = URI.create(base + PATH);
    this.credentials = requireNonNull(credentials, "credentials is null");
    if (inFlight < 1) {
      throw new IllegalArgumentException("inFlight < 1: " + inFlight);
    }
    this.lanes = new Semaphore[inFlight];
    for (int i = 0; i < inFlight; i++) {
      lanes[i] = new Semaphore(1);
    }
  }

  @Override
  public String name() {
    return "http";
  }

  @Override
  public SendStats stats() {
    return stats;
  }

  @Override
  public void send(List<SimTelegram> batch) throws InterruptedException {
    if (batch.isEmpty()) {
      return;
    }
    List<List<SimTelegram>> byLane = new java.util.ArrayList<>();
    for (int i = 0; i < lanes.length; i++) {
      byLane.add(new java.util.ArrayList<>());
    }
    for (SimTelegram t : batch) {
      byLane.get(Math.floorMod(t.meterId().hashCode(), lanes.length)).add(t);
    }
    for (int i = 0; i < lanes.length; i++) {
      List<SimTelegram> part = byLane.get(i);
      if (!part.isEmpty()) {
        Semaphore lane = lanes[i];
        lane.acquire();
        stats.sent.add(part.size());
        post(part, true, lane::release);
      }
    }
  }

  /** The request body for a batch: one NDJSON line per telegram. */
  public static byte[] ndjson(List<SimTelegram> batch) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(batch.size() * 1024);
    try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
      g.setRootValueSeparator(null);
      for (SimTelegram t : batch) {
        g.writeStartObject();
        g.writeStringField("meterId", t.meterId());
        g.writeStringField("receivedAt", t.measuredAt().toString());
        g.writeStringField("telegram", t.text());
        g.writeEndObject();
        g.writeRaw('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Posts a batch; {@code done} runs once every telegram of it is answered or failed. */
  private void post(List<SimTelegram> batch, boolean mayRetry, Runnable done) {
    int telegrams = batch.size();
    String token;
    try {
      token = credentials.token();
    } catch (IOException | InterruptedException e) {
      stats.fail(telegrams, "no token: " + e.getMessage());
      done.run();
      return;
    }
    HttpRequest request = HttpRequest.newBuilder(uri)
        .header("Content-Type", NDJSON)
        .header("Authorization", "Bearer " + token)
        .timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofByteArray(ndjson(batch)))
        .build();
    http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
      if (error != null) {
        stats.fail(telegrams, "POST " + uri + ": " + rootMessage(error));
        done.run();
      } else if (response.statusCode() == 401 && mayRetry) {
        // The token expired between renewal and use: once more with a fresh one.
        credentials.renew();
        post(batch, false, done);
      } else if (response.statusCode() == 413 && telegrams > 1) {
        // More than the server takes in one body: each half on its own, the second after the
        // first, so that no meter's telegrams overtake each other.
        post(batch.subList(0, telegrams / 2), true, () -> post(batch.subList(telegrams / 2, telegrams), true, done));
      } else {
        count(response, telegrams);
        done.run();
      }
    });
  }

  private void count(HttpResponse<String> response, int telegrams) {
    int status = response.statusCode();
    if (status != 200 && status != 207) {
      stats.fail(telegrams, "POST " + uri.getPath() + ": " + status + " " + detail(response.body()));
      return;
    }
    try {
      JsonNode answer = Json.MAPPER.readTree(response.body());
      stats.accepted.add(answer.path("accepted").asLong() - answer.path("flagged").asLong());
      stats.flagged.add(answer.path("flagged").asLong());
      stats.repeated.add(answer.path("repeated").asLong());
      stats.rejected.add(answer.path("rejected").asLong());
    } catch (IOException e) {
      stats.fail(telegrams, "POST " + uri.getPath() + ": an answer that is not JSON: " + e.getMessage());
    }
  }

  private static String detail(String body) {
    try {
      JsonNode problem = Json.MAPPER.readTree(body);
      if (problem.hasNonNull("detail")) {
        return problem.path("title").asText("") + ": " + problem.path("detail").asText();
      }
    } catch (IOException e) {
      // not a problem-details body: show its start
    }
    return body.length() > 200 ? body.substring(0, 200) + "…" : body;
  }

  static String rootMessage(Throwable error) {
    Throwable t = error;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
  }

  @Override
  public void drain(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Semaphore lane : lanes) {
      if (lane.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        lane.release();
      }
    }
  }

  @Override
  public void close() {
    // The HttpClient is shared with the caller, who closes it.
  }
}

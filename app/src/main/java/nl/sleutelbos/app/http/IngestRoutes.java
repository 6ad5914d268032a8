package nl.sleutelbos.app.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import nl.sleutelbos.app.ingest.Framing;
import nl.sleutelbos.app.ingest.Ingest;
import nl.sleutelbos.app.ingest.MeterScope;
import nl.sleutelbos.app.ingest.Submission;
import nl.sleutelbos.app.ingest.TelegramResult;
import nl.sleutelbos.ngsild.ErrorType;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.ngsild.NgsiLdException;

/**
 * Meter readings over HTTP, under {@code /sleutelbos/v1/ingest}: {@code POST /telegrams} takes
 * DSMR telegrams back to back ({@code text/plain}) or NDJSON lines
 * {@code {"meterId","receivedAt","telegram"}} and answers one result per telegram (200 when all
 * were kept, 207 when some were rejected). A meter's own token may carry only its own readings:
 * a request with any other meter's is refused whole with 403 and writes nothing.
 * {@code GET /metrics} gives the ingest counts as JSON, or in the Prometheus text format.
 */
public final class IngestRoutes {
  public static final String FAMILY = "ingest";
  static final String NDJSON = "application/x-ndjson";
  static final String PLAIN = "text/plain";
  static final String PROMETHEUS = "text/plain; version=0.0.4";

  private final Ingest ingest;
  private final Clock clock;

  public IngestRoutes(Ingest ingest, Clock clock) {
    this.ingest = ingest;
    this.clock = clock;
  }

  public List<Route> routes() {
    return List.of(
        new Route("POST", "/ingest/telegrams", Set.of(), FAMILY, this::post),
        new Route("GET", "/ingest/metrics", Set.of(), FAMILY, this::metrics));
  }

  private void post(Exchange ex) {
    Instant now = clock.instant();
    String type = ex.contentType();
    List<Submission> submissions = switch (type) {
      case PLAIN -> Framing.plain(ex.body(), now); // telegrams are read from the body's bytes, not copied
      case NDJSON -> Framing.ndjson(new String(ex.body(), StandardCharsets.UTF_8), now);
      default -> throw new NgsiLdException(ErrorType.UNSUPPORTED_MEDIA_TYPE, "Content-Type '"
          + (type.isEmpty() ? "(none)" : type) + "' is not supported here; use text/plain (telegrams) or " + NDJSON);
    };
    MeterScope scope = ex.subject().map(MeterScope::of)
        .orElseThrow(() -> new NgsiLdException(ErrorType.FORBIDDEN, "no authenticated subject"));
    Ingest.Batch batch = ingest.prepare(submissions, scope);
    List<TelegramResult.Rejected> forbidden = batch.forbidden();
    if (!forbidden.isEmpty()) {
      ingest.refuse(batch);
      throw new NgsiLdException(ErrorType.FORBIDDEN, forbidden.size() + " of " + batch.size()
          + " telegrams may not be written by this sender, so none were: " + forbidden.getFirst().detail());
    }
    List<TelegramResult> results = ingest.commit(batch);
    int status = results.stream().anyMatch(r -> r instanceof TelegramResult.Rejected) ? 207 : 200;
    if (ex.filtersAnswers()) {
      ex.sendJson(status, LdRequest.JSON, answer(results));
    } else {
      ex.sendBytes(status, LdRequest.JSON, answerBytes(results));
    }
  }

  /** The answer to a batch: its counts, and one result per telegram. */
  static ObjectNode answer(List<TelegramResult> results) {
    Counts c = Counts.of(results);
    ObjectNode out = Json.object();
    ArrayNode list = Json.array();
    for (TelegramResult r : results) {
      list.add(r.toJson());
    }
    out.put("telegrams", results.size());
    out.put("accepted", results.size() - c.rejected() - c.repeated());
    out.put("flagged", c.flagged());
    out.put("late", c.late());
    out.put("repeated", c.repeated());
    out.put("rejected", c.rejected());
    out.set("results", list);
    return out;
  }

  /**
   * {@link #answer} as {@link Json#writeBytes} writes it, written straight out: a tree of a few
   * nodes per telegram costs more to build and walk than the bytes it becomes.
   */
  static byte[] answerBytes(List<TelegramResult> results) {
    Counts c = Counts.of(results);
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(64 + 96 * results.size());
    try (JsonGenerator out = Json.MAPPER.getFactory().createGenerator(bytes)) {
      out.writeStartObject();
      out.writeNumberField("telegrams", results.size());
      out.writeNumberField("accepted", results.size() - c.rejected() - c.repeated());
      out.writeNumberField("flagged", c.flagged());
      out.writeNumberField("late", c.late());
      out.writeNumberField("repeated", c.repeated());
      out.writeNumberField("rejected", c.rejected());
      out.writeArrayFieldStart("results");
      for (TelegramResult r : results) {
        r.writeJson(out);
      }
      out.writeEndArray();
      out.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return bytes.toByteArray();
  }

  private record Counts(long rejected, long flagged, long repeated, long late) {
    static Counts of(List<TelegramResult> results) {
      long rejected = 0;
      long flagged = 0;
      long repeated = 0;
      long late = 0;
      for (TelegramResult r : results) {
        switch (r) {
          case TelegramResult.Rejected x -> rejected++;
          case TelegramResult.Repeated x -> repeated++;
          case TelegramResult.Accepted a -> {
            flagged += a.flags().isEmpty() ? 0 : 1;
            late += a.late() ? 1 : 0;
          }
        }
      }
      return new Counts(rejected, flagged, repeated, late);
    }
  }

  private void metrics(Exchange ex) {
    String type = ex.negotiate(List.of(LdRequest.JSON, PLAIN));
    if (type.equals(PLAIN)) {
      ex.sendBytes(200, PROMETHEUS, ingest.metrics().toPrometheus().getBytes(StandardCharsets.UTF_8));
      return;
    }
    ex.sendJson(200, LdRequest.JSON, ingest.metrics().toJson());
  }
}

package nl.sleutelbos.app.http;

import static nl.sleutelbos.app.http.LdRequest.JSON;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import nl.sleutelbos.audit.AuditEntry;
import nl.sleutelbos.audit.Checkpointer;
import nl.sleutelbos.audit.SignedNote;
import nl.sleutelbos.audit.StoredAuditLog;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.ngsild.NgsiLdException;

/**
 * The audit log's read API under {@code /sleutelbos/v1/audit}: the latest signed checkpoint (and
 * the history of them), entries by range, RFC 9162 inclusion and consistency proofs, and the
 * verifier key. Checkpoints are served as the signed note itself ({@code text/plain}), byte for
 * byte what was signed, so that a client verifies what it received, not a re-rendering.
 */
public final class AuditRoutes {
  static final String FAMILY = "audit";
  /** The most entries one request returns; clients page with start/end. */
  static final int MAX_ENTRIES = 1000;
  private static final String NOTE = "text/plain; charset=utf-8";

  private final StoredAuditLog log;
  private final Checkpointer checkpoints;

  public AuditRoutes(StoredAuditLog log, Checkpointer checkpoints) {
    this.log = log;
    this.checkpoints = checkpoints;
  }

  public List<Route> routes() {
    return List.of(
        new Route("GET", "/audit/checkpoint", Set.of(), FAMILY, this::latest),
        new Route("POST", "/audit/checkpoint", Set.of(), FAMILY, this::issue),
        new Route("GET", "/audit/checkpoints", Set.of(), FAMILY, this::history),
        new Route("GET", "/audit/key", Set.of(), FAMILY, this::key),
        new Route("GET", "/audit/entries", Set.of("start", "end"), FAMILY, this::entries),
        new Route("GET", "/audit/proofs/inclusion", Set.of("index", "hash", "treeSize"), FAMILY, this::inclusion),
        new Route("GET", "/audit/proofs/consistency", Set.of("from", "to"), FAMILY, this::consistency));
  }

  /** The latest checkpoint; the first request on a new log issues one, so there always is one. */
  private void latest(Exchange ex) {
    sendNote(ex, checkpoints.latest().orElseGet(checkpoints::issue));
  }

  private void issue(Exchange ex) {
    sendNote(ex, checkpoints.issue());
  }

  private void history(Exchange ex) {
    ArrayNode out = Json.array();
    checkpoints.history().forEach(note -> out.add(note.format()));
    ObjectNode body = Json.object();
    body.set("checkpoints", out);
    ex.sendJson(200, JSON, body);
  }

  private void key(Exchange ex) {
    sendText(ex, checkpoints.key().verifierKey() + "\n");
  }

  private void entries(Exchange ex) {
    long size = log.size();
    long start = longParam(ex, "start", 0);
    long end = longParam(ex, "end", Math.min(size, start + MAX_ENTRIES));
    if (end < start) {
      throw NgsiLdException.badRequest("end " + end + " is before start " + start);
    }
    if (end - start > MAX_ENTRIES) {
      throw NgsiLdException.badRequest("at most " + MAX_ENTRIES + " entries per request, asked " + (end - start));
    }
    ArrayNode out = Json.array();
    for (AuditEntry entry : log.entries(start, end)) {
      out.add(toJson(entry));
    }
    ObjectNode body = Json.object();
    body.put("treeSize", size);
    body.set("entries", out);
    ex.sendJson(200, JSON, body);
  }

  private void inclusion(Exchange ex) {
    long treeSize = treeSize(ex, longParam(ex, "treeSize", log.size()));
    boolean byIndex = ex.param("index").isPresent();
    if (byIndex == ex.param("hash").isPresent()) {
      throw NgsiLdException.badRequest("give exactly one of index and hash");
    }
    long index = byIndex ? longParam(ex, "index", 0) : log.indexOf(base64Param(ex, "hash"))
        .orElseThrow(() -> NgsiLdException.notFound("no entry with leaf hash " + ex.param("hash").orElseThrow()));
    if (index >= treeSize) {
      throw NgsiLdException.badRequest("index " + index + " is not in a tree of size " + treeSize);
    }
    ObjectNode body = Json.object();
    body.put("leafIndex", index);
    body.put("treeSize", treeSize);
    body.set("hashes", hashes(log.inclusionProof(index, treeSize)));
    ex.sendJson(200, JSON, body);
  }

  private void consistency(Exchange ex) {
    long to = treeSize(ex, longParam(ex, "to", log.size()));
    long from = longParam(ex, "from", 0);
    if (from > to) {
      throw NgsiLdException.badRequest("from " + from + " is larger than to " + to);
    }
    ObjectNode body = Json.object();
    body.put("from", from);
    body.put("to", to);
    body.set("hashes", hashes(log.consistencyProof(from, to)));
    ex.sendJson(200, JSON, body);
  }

  static ObjectNode toJson(AuditEntry entry) {
    ObjectNode out = Json.object();
    out.put("sequence", entry.sequence());
    out.put("time", entry.time().toString());
    ObjectNode actor = out.putObject("actor");
    actor.put("subject", entry.actor().subject());
    actor.put("organisation", entry.actor().organisation());
    out.put("action", entry.action());
    out.put("target", entry.target());
    out.put("outcome", entry.outcome().name());
    out.put("reason", entry.reason());
    out.put("requestId", entry.requestId());
    out.put("detailsSha256", entry.detailsSha256());
    // The leaf itself, so a client can hash exactly what the tree holds.
    out.put("encoded", Base64.getEncoder().encodeToString(entry.encode()));
    return out;
  }

  private long treeSize(Exchange ex, long treeSize) {
    if (treeSize > log.size()) {
      throw NgsiLdException.badRequest("tree size " + treeSize + " is larger than the log (" + log.size() + ")");
    }
    return treeSize;
  }

  private static ArrayNode hashes(List<byte[]> proof) {
    ArrayNode out = Json.array();
    proof.forEach(h -> out.add(Base64.getEncoder().encodeToString(h)));
    return out;
  }

  private static long longParam(Exchange ex, String name, long defaultValue) {
    String value = ex.param(name).orElse(null);
    if (value == null) {
      return defaultValue;
    }
    try {
      long parsed = Long.parseLong(value);
      if (parsed < 0) {
        throw NgsiLdException.badRequest(name + " < 0: " + value);
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw NgsiLdException.badRequest(name + " is not a number: " + value);
    }
  }

  private static byte[] base64Param(Exchange ex, String name) {
    String value = ex.param(name).orElseThrow();
    try {
      byte[] hash = Base64.getDecoder().decode(value);
      if (hash.length != 32) {
        throw NgsiLdException.badRequest(name + " is not a 32-byte hash");
      }
      return hash;
    } catch (IllegalArgumentException e) {
      throw NgsiLdException.badRequest(name + " is not standard base64: " + value);
    }
  }

  private static void sendNote(Exchange ex, SignedNote note) {
    sendText(ex, note.format());
  }

  private static void sendText(Exchange ex, String text) {
    ex.sendBytes(200, NOTE, text.getBytes(StandardCharsets.UTF_8));
  }
}

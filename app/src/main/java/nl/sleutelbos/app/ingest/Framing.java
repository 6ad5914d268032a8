package nl.sleutelbos.app.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.ngsild.NgsiLdException;

/**
 * Splits a request body into telegrams. Only the framing is checked here — a telegram's content,
 * CRC included, is judged one by one later, so one bad telegram does not fail its neighbours — and
 * a body whose framing is wrong is refused whole (400), naming where.
 */
public final class Framing {
  private Framing() {}

  /**
   * Telegrams back to back ({@code text/plain}): each from a {@code /} at the start of a line to
   * the end of the line starting with {@code !} (which holds the CRC from DSMR 4 on). Only
   * whitespace may stand between them. The telegrams are slices of {@code body}, not copies.
   */
  public static List<Submission> plain(byte[] body, Instant receivedAt) {
    List<Submission> out = new ArrayList<>();
    int i = 0;
    int n = body.length;
    while (true) {
      while (i < n && Character.isWhitespace(body[i] & 0xff)) {
        i++;
      }
      if (i == n) {
        break;
      }
      if (body[i] != '/') {
        throw NgsiLdException.badRequest("telegram " + (out.size() + 1) + " does not start with '/' (at byte "
            + i + "); a text/plain body is DSMR telegrams back to back");
      }
      int end = endOf(body, i);
      if (end < 0) {
        throw NgsiLdException.badRequest("telegram " + (out.size() + 1) + " (from byte " + i
            + ") has no line starting with '!' that ends it");
      }
      out.add(new Submission(Optional.empty(), receivedAt, body, i, end - i));
      i = end;
    }
    if (out.isEmpty()) {
      throw NgsiLdException.badRequest("the body holds no telegram");
    }
    return out;
  }

  /** The end (exclusive, after its line break) of the telegram starting at {@code start}, or -1. */
  private static int endOf(byte[] body, int start) {
    int n = body.length;
    for (int i = start; i < n; i++) {
      if (body[i] != '\n') {
        continue;
      }
      int next = i + 1;
      if (next < n && body[next] == '!') {
        int eol = next;
        while (eol < n && body[eol] != '\n') {
          eol++;
        }
        return eol < n ? eol + 1 : n;
      }
      if (next < n && body[next] == '/') {
        return -1; // the next telegram starts before this one ended
      }
    }
    return -1;
  }

  /**
   * One JSON object per line ({@code application/x-ndjson}): {@code meterId} (optional; when
   * given the telegram must be that meter's), {@code receivedAt} (optional, ISO 8601; the
   * request's arrival otherwise) and {@code telegram}. Blank lines are skipped.
   */
  public static List<Submission> ndjson(String body, Instant receivedAt) {
    List<Submission> out = new ArrayList<>();
    String[] lines = body.split("\n", -1);
    for (int l = 0; l < lines.length; l++) {
      String line = lines[l].strip();
      if (line.isEmpty()) {
        continue;
      }
      JsonNode node;
      try {
        node = Json.parseClient(line.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      } catch (NgsiLdException e) {
        throw NgsiLdException.badRequest("line " + (l + 1) + " is not JSON: " + e.getMessage());
      }
      if (!node.isObject()) {
        throw NgsiLdException.badRequest("line " + (l + 1) + " is not a JSON object");
      }
      JsonNode telegram = node.get("telegram");
      if (telegram == null || !telegram.isTextual()) {
        throw NgsiLdException.badRequest("line " + (l + 1) + " has no \"telegram\" string");
      }
      JsonNode meter = node.get("meterId");
      if (meter != null && !meter.isNull() && (!meter.isTextual()
          || !nl.sleutelbos.identity.Organisation.NAME.matcher(meter.asText()).matches())) {
        throw NgsiLdException.badRequest("line " + (l + 1) + ": meterId must be 1 to 64 of A-Z a-z 0-9 . _ -");
      }
      Instant at = receivedAt;
      JsonNode received = node.get("receivedAt");
      if (received != null && !received.isNull()) {
        try {
          at = java.time.OffsetDateTime.parse(received.asText()).toInstant();
        } catch (DateTimeParseException e) {
          throw NgsiLdException.badRequest("line " + (l + 1) + ": receivedAt '" + received.asText()
              + "' is not an ISO 8601 date-time with an offset");
        }
      }
      out.add(Submission.of(meter == null || meter.isNull() ? Optional.empty() : Optional.of(meter.asText()), at,
          telegram.asText()));
    }
    if (out.isEmpty()) {
      throw NgsiLdException.badRequest("the body holds no telegram");
    }
    return out;
  }
}

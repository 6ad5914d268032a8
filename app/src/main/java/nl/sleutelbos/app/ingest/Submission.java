package nl.sleutelbos.app.ingest;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * One telegram as it arrived, before it is read: its bytes, as a slice of what carried it (a
 * request body, a message payload), so that a batch is read without copying each telegram out.
 *
 * @param meterId the meter the sender says it is from (MQTT topic, NDJSON line), if it says
 * @param receivedAt when the head-end or we received it
 * @param bytes what holds the telegram, {@code /} to the CRC line, at {@code [offset, offset + length)}
 */
public record Submission(Optional<String> meterId, Instant receivedAt, byte[] bytes, int offset, int length) {
  public Submission {
    requireNonNull(meterId, "meterId is null");
    requireNonNull(receivedAt, "receivedAt is null");
    requireNonNull(bytes, "bytes is null");
    java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
  }

  /** A telegram given as text (an NDJSON line's): its characters as ISO-8859-1 bytes, as a P1 port sends them. */
  public static Submission of(Optional<String> meterId, Instant receivedAt, String telegram) {
    byte[] bytes = telegram.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    return new Submission(meterId, receivedAt, bytes, 0, bytes.length);
  }

  /** The whole of {@code bytes} (a message payload). */
  public static Submission of(Optional<String> meterId, Instant receivedAt, byte[] bytes) {
    return new Submission(meterId, receivedAt, bytes, 0, bytes.length);
  }

  /** The telegram's text (ISO-8859-1), for messages about it; the hot path reads the bytes. */
  public String telegram() {
    return new String(bytes, offset, length, java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Submission x && meterId.equals(x.meterId) && receivedAt.equals(x.receivedAt)
        && java.util.Arrays.equals(bytes, offset, offset + length, x.bytes, x.offset, x.offset + x.length);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(meterId, receivedAt, telegram());
  }

  @Override
  public String toString() {
    return "Submission[meterId=" + meterId + ", receivedAt=" + receivedAt + ", telegram=" + telegram() + "]";
  }
}

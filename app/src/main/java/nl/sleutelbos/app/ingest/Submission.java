package nl.sleutelbos.app.ingest;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * One telegram as it arrived, before it is read.
 *
 * @param meterId the meter the sender says it is from (MQTT topic, NDJSON line), if it says
 * @param receivedAt when the head-end or we received it
 * @param telegram the telegram text, {@code /} to the CRC line
 */
public record Submission(Optional<String> meterId, Instant receivedAt, String telegram) {
  public Submission {
    requireNonNull(meterId, "meterId is null");
    requireNonNull(receivedAt, "receivedAt is null");
    requireNonNull(telegram, "telegram is null");
  }
}

package nl.sleutelbos.audit;

import java.time.Instant;

/**
 * What a caller records: an {@link AuditEntry} before the log has given it its position.
 *
 * @param detailsSha256 see {@link AuditEntry#detailsSha256()}; {@link AuditEntry#digestOf} makes it
 */
public record AuditEvent(
    Instant time,
    AuditEntry.Actor actor,
    String action,
    String target,
    AuditEntry.Outcome outcome,
    String reason,
    String requestId,
    String detailsSha256) {

  public AuditEvent {
    // The entry's constructor holds the rules; checking here makes a bad event fail at its source.
    new AuditEntry(0, time, actor, action, target, outcome, reason, requestId, detailsSha256);
  }

  /** The entry this event becomes at position {@code sequence}. */
  public AuditEntry at(long sequence) {
    return new AuditEntry(sequence, time, actor, action, target, outcome, reason, requestId, detailsSha256);
  }
}

package nl.sleutelbos.audit;

/**
 * The one way into the audit log. Every act of control records here before it acknowledges: if
 * {@link #append} throws, the act must fail too, because an unrecorded act of control is what the
 * log exists to rule out.
 */
public interface AuditLog {
  /**
   * Appends the event and returns its entry once it is durable (its sequence is its leaf index).
   * Concurrent appends are committed together, so each costs a share of one commit.
   *
   * @throws AuditException if the entry could not be made durable; nothing was recorded
   */
  AuditEntry append(AuditEvent event) throws AuditException;
}

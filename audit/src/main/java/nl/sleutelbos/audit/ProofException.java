package nl.sleutelbos.audit;

/**
 * A proof did not verify. The message names the RFC 9162 step that failed; like every
 * verification failure it carries no secrets, only sizes and hashes that are public anyway.
 */
public final class ProofException extends AuditException {
  public ProofException(String message) {
    super(message);
  }
}

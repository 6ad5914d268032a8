package nl.sleutelbos.custody;

import static java.util.Objects.requireNonNull;

/**
 * A custody operation failed for a reason the caller can act on. Messages never carry key
 * material; on the crypto path they say little on purpose.
 */
public final class CustodyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why. */
  public enum Reason {
    /** The configured token or key store is not there. */
    TOKEN_NOT_FOUND,
    /** The PIN or passphrase was refused. */
    WRONG_PIN,
    /** The HSM stopped answering or failed; retry when it is back. */
    UNAVAILABLE,
    /** No key with that label or id. */
    UNKNOWN_KEY,
    /** A key with that label exists already. */
    DUPLICATE_LABEL,
    /** Unwrapping or decryption failed: wrong key or tampered data. */
    INTEGRITY,
    /** The request itself is wrong (sizes, lengths). */
    INVALID
  }

  private final Reason reason;

  public CustodyException(Reason reason, String message) {
    super(requireNonNull(reason, "reason is null") + ": " + message);
    this.reason = reason;
  }

  public CustodyException(Reason reason, String message, Throwable cause) {
    super(requireNonNull(reason, "reason is null") + ": " + message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}

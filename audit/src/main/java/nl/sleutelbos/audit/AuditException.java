package nl.sleutelbos.audit;

/** The audit domain's checked exception: something about the log could not be proven. */
public class AuditException extends Exception {
  public AuditException(String message) {
    super(message);
  }

  public AuditException(String message, Throwable cause) {
    super(message, cause);
  }
}

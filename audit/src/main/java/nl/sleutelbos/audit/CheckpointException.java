package nl.sleutelbos.audit;

/** A checkpoint is not signed by the trusted key, or is not a checkpoint of this log. */
public final class CheckpointException extends AuditException {
  public CheckpointException(String message) {
    super(message);
  }
}

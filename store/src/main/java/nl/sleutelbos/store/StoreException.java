package nl.sleutelbos.store;

/**
 * The store could not do what was asked: the database is unreachable, full, corrupt or closed.
 * Callers answer it with a 5xx (503 when {@link #retryable()}); it is never the client's fault.
 */
public class StoreException extends RuntimeException {
  private final boolean retryable;

  public StoreException(String message, Throwable cause, boolean retryable) {
    super(message, cause);
    this.retryable = retryable;
  }

  public StoreException(String message, Throwable cause) {
    this(message, cause, false);
  }

  /** True when the same request may succeed later without any change (a busy or restarting database). */
  public boolean retryable() {
    return retryable;
  }
}

package nl.sleutelbos.app;

/** Sleutelbos cannot start as configured; the message names the setting to fix. */
public final class StartupException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StartupException(String message) {
    super(message);
  }

  public StartupException(String message, Throwable cause) {
    super(message, cause);
  }
}

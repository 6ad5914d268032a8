package nl.sleutelbos.auth;

/** A policy set that the engine cannot parse, validate or load; the message is the engine's. */
public final class PolicyException extends Exception {
  public PolicyException(String message, Throwable cause) {
    super(message, cause);
  }

  public PolicyException(String message) {
    super(message);
  }
}

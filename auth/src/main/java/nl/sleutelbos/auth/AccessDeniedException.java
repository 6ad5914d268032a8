package nl.sleutelbos.auth;

/** A request the policy, or an obligation it imposed, does not allow; the HTTP edge answers 403. */
public final class AccessDeniedException extends Exception {
  public AccessDeniedException(String message) {
    super(message);
  }
}

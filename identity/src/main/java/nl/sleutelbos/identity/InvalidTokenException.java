package nl.sleutelbos.identity;

/**
 * A bearer token that was refused. The message says why precisely enough for the client to fix
 * its request ("the token expired at ...") and never repeats the token.
 */
public final class InvalidTokenException extends Exception {
  public InvalidTokenException(String message) {
    super(message);
  }

  public InvalidTokenException(String message, Throwable cause) {
    super(message, cause);
  }
}

package nl.sleutelbos.identity;

/**
 * A refused token request, with its RFC 6749 §5.2 error code. {@code invalid_client} answers 401,
 * every other code 400.
 */
public final class TokenRequestException extends Exception {
  private final String error;

  TokenRequestException(String error, String description) {
    super(description);
    this.error = error;
  }

  /** The error code: invalid_request, invalid_client, unsupported_grant_type, invalid_scope, ... */
  public String error() {
    return error;
  }

  public int status() {
    return error.equals("invalid_client") ? 401 : 400;
  }
}

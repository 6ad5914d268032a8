package nl.sleutelbos.identity;

import java.util.Optional;

/**
 * A request whose bearer credentials are missing or refused, with the RFC 6750 §3.1 error code
 * the {@code WWW-Authenticate} challenge carries: none when no credentials were sent at all,
 * {@code invalid_request} for a malformed Authorization header (HTTP 400), {@code invalid_token}
 * for a token that is refused (HTTP 401).
 */
public final class AuthenticationException extends Exception {
  public static final String INVALID_REQUEST = "invalid_request";
  public static final String INVALID_TOKEN = "invalid_token";

  private final Optional<String> error;

  private AuthenticationException(Optional<String> error, String message, Throwable cause) {
    super(message, cause);
    this.error = error;
  }

  static AuthenticationException missing() {
    return new AuthenticationException(Optional.empty(), "this resource needs a bearer token (Authorization: Bearer <token>)", null);
  }

  static AuthenticationException invalidRequest(String message) {
    return new AuthenticationException(Optional.of(INVALID_REQUEST), message, null);
  }

  static AuthenticationException invalidToken(InvalidTokenException cause) {
    return new AuthenticationException(Optional.of(INVALID_TOKEN), cause.getMessage(), cause);
  }

  /** The RFC 6750 error code, empty when the request carried no credentials. */
  public Optional<String> error() {
    return error;
  }

  /** 400 for a malformed request, else 401. */
  public int status() {
    return error.filter(INVALID_REQUEST::equals).isPresent() ? 400 : 401;
  }

  /** The {@code WWW-Authenticate} header value (RFC 6750 §3). */
  public String challenge(String realm) {
    StringBuilder b = new StringBuilder("Bearer realm=\"").append(realm).append('"');
    error.ifPresent(e -> b.append(", error=\"").append(e).append("\", error_description=\"")
        .append(getMessage().replace("\\", "\\\\").replace("\"", "'")).append('"'));
    return b.toString();
  }
}

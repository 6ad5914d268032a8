package nl.sleutelbos.ngsild;

import static java.util.Objects.requireNonNull;

/**
 * A request the NGSI-LD layer refuses, with the NGSI-LD error type that says why. The message is
 * the problem-details {@code detail}: it names the offending value so that the client can fix it,
 * and never carries secrets.
 */
public class NgsiLdException extends RuntimeException {
  private final ErrorType type;

  public NgsiLdException(ErrorType type, String detail) {
    super(detail);
    this.type = requireNonNull(type, "type is null");
  }

  public NgsiLdException(ErrorType type, String detail, Throwable cause) {
    super(detail, cause);
    this.type = requireNonNull(type, "type is null");
  }

  public ErrorType type() {
    return type;
  }

  public static NgsiLdException badRequest(String detail) {
    return new NgsiLdException(ErrorType.BAD_REQUEST_DATA, detail);
  }

  public static NgsiLdException invalidRequest(String detail) {
    return new NgsiLdException(ErrorType.INVALID_REQUEST, detail);
  }

  public static NgsiLdException notFound(String detail) {
    return new NgsiLdException(ErrorType.RESOURCE_NOT_FOUND, detail);
  }
}

package nl.sleutelbos.ngsild;

/**
 * The error types of ETSI GS CIM 009 (v1.8, clause 5.5.2), each with its problem-details type URI
 * and the HTTP status the binding gives it (clause 6.3.2).
 */
public enum ErrorType {
  INVALID_REQUEST("InvalidRequest", 400),
  BAD_REQUEST_DATA("BadRequestData", 400),
  ALREADY_EXISTS("AlreadyExists", 409),
  OPERATION_NOT_SUPPORTED("OperationNotSupported", 422),
  RESOURCE_NOT_FOUND("ResourceNotFound", 404),
  INTERNAL_ERROR("InternalError", 500),
  TOO_COMPLEX_QUERY("TooComplexQuery", 403),
  TOO_MANY_RESULTS("TooManyResults", 403),
  LD_CONTEXT_NOT_AVAILABLE("LdContextNotAvailable", 503),
  NO_MULTI_TENANT_SUPPORT("NoMultiTenantSupport", 501),
  NONEXISTENT_TENANT("NonexistentTenant", 404),
  /** Not an NGSI-LD type: the HTTP binding's 406 for an Accept header we cannot satisfy. */
  NOT_ACCEPTABLE("NotAcceptable", 406),
  /** Not an NGSI-LD type: the HTTP binding's 415 for a Content-Type we do not take. */
  UNSUPPORTED_MEDIA_TYPE("UnsupportedMediaType", 415),
  /** Not an NGSI-LD type: the HTTP binding's 413 for a body over the configured limit. */
  PAYLOAD_TOO_LARGE("PayloadTooLarge", 413),
  /** Not an NGSI-LD type: 405 for a path that exists with another method. */
  METHOD_NOT_ALLOWED("MethodNotAllowed", 405),
  /** The store is busy or restarting; the same request may succeed later. */
  SERVICE_UNAVAILABLE("ServiceUnavailable", 503),
  /** Not an NGSI-LD type: 401 for a request without valid credentials (RFC 6750). */
  UNAUTHORIZED("Unauthorized", 401),
  /** Not an NGSI-LD type: 403 for an authenticated subject that may not do this. */
  FORBIDDEN("Forbidden", 403);

  private static final String BASE = "https://uri.etsi.org/ngsi-ld/errors/";

  private final String title;
  private final int status;

  ErrorType(String title, int status) {
    this.title = title;
    this.status = status;
  }

  /** The problem-details {@code type} member. */
  public String uri() {
    return BASE + title;
  }

  /** The short name, for example {@code BadRequestData}; also the problem-details {@code title}. */
  public String title() {
    return title;
  }

  public int status() {
    return status;
  }
}

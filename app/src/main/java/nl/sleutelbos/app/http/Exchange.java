package nl.sleutelbos.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import nl.sleutelbos.identity.Subject;
import nl.sleutelbos.ngsild.ErrorType;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.ngsild.NgsiLdException;

/**
 * One request and its response, with the checks every route shares: the tenant header, query
 * parameters, the body size limit and content type, and the Accept header.
 */
public final class Exchange {
  public static final HeaderName TENANT = HeaderNames.create("NGSILD-Tenant");
  public static final HeaderName RESULTS_COUNT = HeaderNames.create("NGSILD-Results-Count");
  public static final HeaderName LINK = HeaderNames.create("Link");
  private static final Pattern TENANT_NAME = Pattern.compile("[A-Za-z0-9_.:/-]{1,128}");

  private final ServerRequest req;
  private final ServerResponse res;
  private final Route route;
  private final Map<String, String> pathParams;
  private final long maxBodyBytes;
  /** What the PEP's obligations do to every JSON answer (remove attributes); identity otherwise. */
  private byte[] body;
  private java.util.function.UnaryOperator<JsonNode> answerFilter = java.util.function.UnaryOperator.identity();
  private boolean filtered;
  private java.util.function.IntConsumer beforeAnswer = status -> {};
  /** The permit the PEP let this exchange through under; empty on public routes. */
  private Optional<nl.sleutelbos.auth.Verdict.Permit> permit = Optional.empty();
  /** The entity the PEP read to decide this exchange, so that the handler need not read it again. */
  private Optional<nl.sleutelbos.ngsild.entity.Entity> decidedOn = Optional.empty();

  Exchange(ServerRequest req, ServerResponse res, Route route, Map<String, String> pathParams, long maxBodyBytes) {
    this.req = req;
    this.res = res;
    this.route = route;
    this.pathParams = pathParams;
    this.maxBodyBytes = maxBodyBytes;
  }

  public ServerRequest request() {
    return req;
  }

  public ServerResponse response() {
    return res;
  }

  public Route route() {
    return route;
  }

  /**
   * Who is asking, as the bearer-token check in front of every router established; empty only
   * on the public routes (token endpoint, discovery, JWKS).
   */
  public Optional<Subject> subject() {
    return req.context().get(Subject.class);
  }

  /**
   * The permit the PEP decided this exchange under, so that a route which fulfils obligations
   * itself (a granularity cap, an aggregation minimum) can read them.
   */
  public Optional<nl.sleutelbos.auth.Verdict.Permit> permit() {
    return permit;
  }

  /**
   * The entity with this id as the PEP read it when it decided this request: one store read per
   * request instead of two. A snapshot from the same request, so as current as a second read.
   */
  public Optional<nl.sleutelbos.ngsild.entity.Entity> decidedOn(String id) {
    return decidedOn.filter(e -> e.id().equals(id));
  }

  void decidedOn(nl.sleutelbos.ngsild.entity.Entity entity) {
    this.decidedOn = Optional.of(entity);
  }

  void permit(nl.sleutelbos.auth.Verdict.Permit permit) {
    this.permit = Optional.of(permit);
  }

  public String pathParam(String name) {
    String value = pathParams.get(name);
    if (value == null) {
      throw new IllegalStateException("route " + route.template() + " has no {" + name + "}");
    }
    return value;
  }

  void checkParameters() {
    for (String name : req.query().names()) {
      if (!route.parameters().contains(name)) {
        throw NgsiLdException.badRequest("unknown query parameter '" + name + "' for "
            + route.method() + " " + route.template() + "; known: " + new java.util.TreeSet<>(route.parameters()));
      }
      if (req.query().all(name).size() > 1) {
        throw NgsiLdException.badRequest("query parameter '" + name + "' is given more than once");
      }
    }
  }

  public Optional<String> param(String name) {
    return req.query().contains(name) ? Optional.of(req.query().get(name)) : Optional.empty();
  }

  public int intParam(String name, int defaultValue, int min, int max) {
    Optional<String> text = param(name);
    if (text.isEmpty()) {
      return defaultValue;
    }
    try {
      int value = Integer.parseInt(text.get().strip());
      if (value < min) {
        throw NgsiLdException.badRequest(name + " must be at least " + min + ", got " + value);
      }
      if (value > max) {
        throw new NgsiLdException(ErrorType.TOO_MANY_RESULTS, name + " must be at most " + max + ", got " + value);
      }
      return value;
    } catch (NumberFormatException e) {
      throw NgsiLdException.badRequest(name + " must be an integer, got '" + text.get() + "'");
    }
  }

  public boolean booleanParam(String name) {
    Optional<String> text = param(name);
    if (text.isEmpty()) {
      return false;
    }
    return switch (text.get()) {
      case "true" -> true;
      case "false" -> false;
      default -> throw NgsiLdException.badRequest(name + " must be true or false, got '" + text.get() + "'");
    };
  }

  /** The values of a comma-separated parameter such as {@code options}, each checked against the allowed set. */
  public Set<String> listParam(String name, Set<String> allowed) {
    Optional<String> text = param(name);
    if (text.isEmpty()) {
      return Set.of();
    }
    Set<String> values = new java.util.LinkedHashSet<>();
    for (String v : text.get().split(",")) {
      v = v.strip();
      if (!allowed.isEmpty() && !allowed.contains(v)) {
        throw NgsiLdException.badRequest("unknown " + name + " value '" + v + "'; allowed: "
            + new java.util.TreeSet<>(allowed));
      }
      if (!v.isEmpty()) {
        values.add(v);
      }
    }
    return values;
  }

  /** The tenant of the request: the NGSILD-Tenant header, or "" for the default tenant. */
  public String tenant() {
    Optional<String> header = req.headers().first(TENANT);
    if (header.isEmpty() || header.get().isEmpty()) {
      return "";
    }
    String tenant = header.get().strip();
    if (!TENANT_NAME.matcher(tenant).matches()) {
      throw NgsiLdException.badRequest("NGSILD-Tenant '" + tenant
          + "' is not a valid tenant name (1 to 128 of A-Z a-z 0-9 _ . : / -)");
    }
    return tenant;
  }

  public Optional<String> header(HeaderName name) {
    return req.headers().first(name);
  }

  /** The media type of the body, lower case and without parameters; empty when there is none. */
  public String contentType() {
    return req.headers().first(HeaderNames.CONTENT_TYPE)
        .map(v -> v.split(";", 2)[0].strip().toLowerCase(Locale.ROOT))
        .orElse("");
  }

  /** Reads the body, refusing more than the configured limit with 413 before buffering it whole. */
  public byte[] body() {
    // Read once: the PEP reads a create's body (its type and owner) before the handler does.
    if (body == null) {
      body = readBody();
    }
    return body;
  }

  private byte[] readBody() {
    long declared = req.headers().contentLength().orElse(-1);
    if (declared > maxBodyBytes) {
      throw tooLarge(declared);
    }
    if (!req.content().hasEntity()) {
      return new byte[0];
    }
    try (InputStream in = req.content().inputStream()) {
      int limit = (int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1);
      if (declared >= 0 && declared < limit) {
        // The length is known: read into one array of it, rather than in chunks copied together
        // at the end (a batch of telegrams is a megabyte or more).
        byte[] bytes = new byte[(int) declared];
        int read = in.readNBytes(bytes, 0, bytes.length);
        if (read < bytes.length) {
          return java.util.Arrays.copyOf(bytes, read);
        }
        int next = in.read();
        if (next < 0) {
          return bytes;
        }
        // More than declared (a server that does not hold the body to it): read on as before.
        byte[] rest = in.readNBytes(limit - bytes.length - 1);
        byte[] all = java.util.Arrays.copyOf(bytes, bytes.length + 1 + rest.length);
        all[bytes.length] = (byte) next;
        System.arraycopy(rest, 0, all, bytes.length + 1, rest.length);
        if (all.length > maxBodyBytes) {
          throw tooLarge(all.length);
        }
        return all;
      }
      byte[] bytes = in.readNBytes(limit);
      if (bytes.length > maxBodyBytes) {
        throw tooLarge(bytes.length);
      }
      return bytes;
    } catch (IOException e) {
      throw NgsiLdException.badRequest("could not read the request body: " + e.getMessage());
    }
  }

  private NgsiLdException tooLarge(long size) {
    return new NgsiLdException(ErrorType.PAYLOAD_TOO_LARGE,
        "the request body (" + size + " bytes or more) exceeds the limit of " + maxBodyBytes + " bytes");
  }

  /**
   * The JSON body, after checking that the content type is one of {@code accepted}.
   */
  public JsonNode jsonBody(List<String> accepted) {
    String type = contentType();
    if (!accepted.contains(type)) {
      throw new NgsiLdException(ErrorType.UNSUPPORTED_MEDIA_TYPE, "Content-Type '"
          + (type.isEmpty() ? "(none)" : type) + "' is not supported here; use one of " + accepted);
    }
    return Json.parseClient(body());
  }

  /**
   * The best of the offered media types for the Accept header (q-values honoured, wildcards
   * allowed); 406 if none is acceptable. The first offered type wins ties and an absent header.
   */
  public String negotiate(List<String> offered) {
    Optional<String> accept = req.headers().first(HeaderNames.ACCEPT);
    if (accept.isEmpty() || accept.get().isBlank()) {
      return offered.get(0);
    }
    String best = null;
    double bestQ = 0;
    for (String offer : offered) {
      double q = quality(accept.get(), offer);
      if (q > bestQ) {
        best = offer;
        bestQ = q;
      }
    }
    if (best == null) {
      throw new NgsiLdException(ErrorType.NOT_ACCEPTABLE, "cannot answer with any of Accept '"
          + accept.get() + "'; this resource offers " + offered);
    }
    return best;
  }

  private static double quality(String accept, String offer) {
    double best = 0;
    int bestSpecificity = -1;
    String offerMajor = offer.substring(0, offer.indexOf('/'));
    for (String range : accept.split(",")) {
      String[] parts = range.split(";");
      String type = parts[0].strip().toLowerCase(Locale.ROOT);
      double q = 1;
      for (int i = 1; i < parts.length; i++) {
        String p = parts[i].strip();
        if (p.startsWith("q=")) {
          try {
            q = Double.parseDouble(p.substring(2));
          } catch (NumberFormatException e) {
            q = 0;
          }
        }
      }
      int specificity = type.equals(offer) ? 2 : type.equals(offerMajor + "/*") ? 1 : type.equals("*/*") ? 0 : -1;
      if (specificity > bestSpecificity) {
        bestSpecificity = specificity;
        best = q;
      }
    }
    return bestSpecificity < 0 ? 0 : best;
  }

  public void status(int status) {
    res.status(Status.create(status));
  }

  public void header(String name, String value) {
    res.header(name, value);
  }

  /** Passes every JSON answer of this exchange through the filter first (the PEP's obligations). */
  public void filterAnswers(java.util.function.UnaryOperator<JsonNode> filter) {
    answerFilter = answerFilter.andThen(filter)::apply;
    filtered = true;
  }

  /** Whether JSON answers pass a filter: if not, a handler may send JSON it wrote itself ({@link #sendBytes}). */
  public boolean filtersAnswers() {
    return filtered;
  }

  /**
   * Runs the hook with the status just before the answer leaves, once per exchange: what must be
   * durable before the caller is acknowledged (the audit log's outcome entry). If it throws, the
   * answer is not sent and the exception is answered instead.
   */
  public void beforeAnswer(java.util.function.IntConsumer hook) {
    beforeAnswer = beforeAnswer.andThen(hook);
  }

  private void answering(int status) {
    java.util.function.IntConsumer hook = beforeAnswer;
    beforeAnswer = s -> {};
    hook.accept(status);
  }

  public void sendJson(int status, String mediaType, JsonNode body) {
    body = answerFilter.apply(body);
    answering(status);
    res.status(Status.create(status));
    res.headers().set(HeaderNames.CONTENT_TYPE, mediaType);
    res.send(Json.writeBytes(body));
  }

  /** Sends a body that is not JSON (a policy set, a signed note, Prometheus text) as it is. */
  public void sendBytes(int status, String mediaType, byte[] body) {
    answering(status);
    res.status(Status.create(status));
    res.headers().set(HeaderNames.CONTENT_TYPE, mediaType);
    res.send(body);
  }

  public void sendEmpty(int status) {
    answering(status);
    res.status(Status.create(status));
    res.send();
  }

  /** The scheme, host and port the client used, for Location and context URLs. */
  public String baseUri() {
    var uri = req.requestedUri();
    return uri.scheme() + "://" + uri.authority();
  }
}

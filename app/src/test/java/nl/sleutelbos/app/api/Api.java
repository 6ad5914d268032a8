package nl.sleutelbos.app.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A small HTTP client for API tests: real requests to a running server, JSON answers. Every
 * request carries a bearer token for the server at its base URL (the test base registers where
 * the token comes from), unless the request names its own Authorization header or the client was
 * made with {@link #anonymous()}.
 */
final class Api {
  /** Where each running test server's token comes from, by base URL. */
  static final Map<String, Supplier<String>> TOKENS = new ConcurrentHashMap<>();

  static final String JSON = "application/json";
  static final String LD_JSON = "application/ld+json";
  static final ObjectMapper MAPPER = new ObjectMapper();

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final List<String> defaultHeaders = new ArrayList<>();
  private final boolean authenticated;

  Api(String base) {
    this(base, true);
  }

  private Api(String base, boolean authenticated) {
    this.base = base;
    this.authenticated = authenticated;
  }

  /** A client that sends no token (unless a request names one). */
  Api anonymous() {
    Api copy = new Api(base, false);
    copy.defaultHeaders.addAll(defaultHeaders);
    return copy;
  }

  /** A client that sends this header on every request, e.g. a tenant. */
  Api with(String name, String value) {
    Api copy = new Api(base, authenticated);
    copy.defaultHeaders.addAll(defaultHeaders);
    copy.defaultHeaders.add(name);
    copy.defaultHeaders.add(value);
    return copy;
  }

  record Response(int status, HttpResponse<String> raw) {
    JsonNode json() {
      try {
        return MAPPER.readTree(raw.body());
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + status + "): " + raw.body(), e);
      }
    }

    String body() {
      return raw.body();
    }

    Optional<String> header(String name) {
      return raw.headers().firstValue(name);
    }

    /** The NGSI-LD error type of a problem-details answer, e.g. "BadRequestData". */
    String errorType() {
      String type = json().path("type").asText();
      return type.substring(type.lastIndexOf('/') + 1);
    }

    @Override
    public String toString() {
      return status + " " + raw.body();
    }
  }

  Response get(String path, String... headers) {
    return send("GET", path, null, null, headers);
  }

  Response delete(String path, String... headers) {
    return send("DELETE", path, null, null, headers);
  }

  Response post(String path, String body, String... headers) {
    return send("POST", path, body, JSON, headers);
  }

  Response postAs(String contentType, String path, String body, String... headers) {
    return send("POST", path, body, contentType, headers);
  }

  Response patch(String path, String body, String... headers) {
    return send("PATCH", path, body, JSON, headers);
  }

  Response put(String path, String body, String... headers) {
    return send("PUT", path, body, JSON, headers);
  }

  Response send(String method, String path, String body, String contentType, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    boolean ownAuthorization = false;
    for (int i = 0; i < defaultHeaders.size(); i += 2) {
      b.header(defaultHeaders.get(i), defaultHeaders.get(i + 1));
      ownAuthorization |= defaultHeaders.get(i).equalsIgnoreCase("Authorization");
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
      ownAuthorization |= headers[i].equalsIgnoreCase("Authorization");
    }
    Supplier<String> token = TOKENS.get(base);
    if (authenticated && !ownAuthorization && token != null) {
      b.header("Authorization", "Bearer " + token.get());
    }
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Percent-encodes a query value. */
  static String q(String text) {
    return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
  }
}

package nl.sleutelbos.ngsild.context;

import static java.util.Objects.requireNonNull;
import static nl.sleutelbos.ngsild.context.ContextErrors.notAvailable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import nl.sleutelbos.ngsild.Json;

/**
 * Downloads JSON-LD context documents over HTTP(S) with the JDK's {@link HttpClient}: {@code
 * Accept: application/ld+json, application/json}, redirects followed, a time limit and a size
 * limit. The response's media type is not checked, since many context files are served as {@code
 * text/plain} (raw GitHub files for one); the body must parse as JSON.
 */
public final class HttpContextFetcher implements ContextFetcher {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
  public static final int DEFAULT_MAX_BYTES = 1 << 20;

  private final HttpClient client;
  private final Duration timeout;
  private final int maxBytes;

  /** A fetcher with a 5 s time limit and a 1 MiB size limit. */
  public HttpContextFetcher() {
    this(DEFAULT_TIMEOUT, DEFAULT_MAX_BYTES);
  }

  /**
   * @param timeout the limit for connecting and for receiving the response headers
   * @param maxBytes documents larger than this are refused
   */
  public HttpContextFetcher(Duration timeout, int maxBytes) {
    this(
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build(),
        timeout,
        maxBytes);
  }

  public HttpContextFetcher(HttpClient client, Duration timeout, int maxBytes) {
    this.client = requireNonNull(client, "client is null");
    this.timeout = requireNonNull(timeout, "timeout is null");
    if (maxBytes < 1) throw new IllegalArgumentException("maxBytes < 1: " + maxBytes);
    this.maxBytes = maxBytes;
  }

  @Override
  public JsonNode fetch(String url) {
    URI uri = parse(url);
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Accept", "application/ld+json, application/json")
            .GET()
            .build();
    try {
      HttpResponse<InputStream> response =
          client.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        int status = response.statusCode();
        if (status < 200 || status > 299) {
          throw notAvailable(url, "the server answered HTTP " + status);
        }
        byte[] bytes = body.readNBytes(maxBytes + 1);
        if (bytes.length > maxBytes) {
          throw notAvailable(url, "the document is larger than " + maxBytes + " bytes");
        }
        return Json.MAPPER.readTree(bytes);
      }
    } catch (JsonProcessingException e) {
      throw notAvailable(url, "the document is not JSON: " + e.getOriginalMessage());
    } catch (HttpTimeoutException e) {
      throw notAvailable(url, "no answer within " + timeout.toMillis() + " ms");
    } catch (IOException e) {
      throw notAvailable(url, "cannot download it: " + describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw notAvailable(url, "the download was interrupted");
    }
  }

  private static URI parse(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw notAvailable(url, "it is not a valid URL (" + e.getReason() + ")");
    }
    String scheme = uri.getScheme();
    if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
      throw notAvailable(url, "only http and https URLs can be downloaded");
    }
    if (uri.getHost() == null) throw notAvailable(url, "the URL has no host");
    return uri;
  }

  /** ConnectException and friends often have no message; the class name then says what happened. */
  private static String describe(IOException e) {
    String name = e.getClass().getSimpleName();
    return e.getMessage() == null ? name : name + ": " + e.getMessage();
  }
}

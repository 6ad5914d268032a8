package nl.sleutelbos.app.notify;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.ngsild.subscription.Endpoint;
import nl.sleutelbos.ngsild.subscription.Notification;
import nl.sleutelbos.ngsild.subscription.Notifier;

/**
 * Notifications over HTTP (clause 7.2 of the HTTP binding): a POST of the Notification to the
 * endpoint. An {@code application/json} receiver gets the @context in a {@code Link} header, an
 * {@code application/ld+json} one gets it in the body. Any 2xx answer means taken.
 */
public final class HttpNotifier implements Notifier {
  private static final String CONTEXT_REL = "http://www.w3.org/ns/json-ld#context";

  private final HttpClient http;
  private final Duration timeout;

  public HttpNotifier(Duration timeout) {
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  @Override
  public void send(Notification n) throws DeliveryException {
    Endpoint endpoint = n.endpoint();
    boolean ld = endpoint.accept().equals(Endpoint.LD_JSON);
    byte[] body = Json.writeBytes(ld ? n.bodyWithContext() : n.body());
    HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.uri()).timeout(timeout)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .header("Content-Type", endpoint.accept());
    if (!ld) {
      request.header("Link", "<" + n.contextLink() + ">; rel=\"" + CONTEXT_REL + "\"; type=\"application/ld+json\"");
    }
    if (!n.tenant().isEmpty()) {
      request.header("NGSILD-Tenant", n.tenant());
    }
    for (Map.Entry<String, String> header : endpoint.receiverInfo().entrySet()) {
      request.header(header.getKey(), header.getValue());
    }
    HttpResponse<Void> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
    } catch (IOException | IllegalArgumentException e) {
      throw new DeliveryException("POST " + endpoint.uri() + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeliveryException("interrupted while notifying " + endpoint.uri(), e);
    }
    if (response.statusCode() / 100 != 2) {
      throw new DeliveryException("POST " + endpoint.uri() + " answered " + response.statusCode());
    }
  }

  @Override
  public void close() {
    http.close();
  }
}

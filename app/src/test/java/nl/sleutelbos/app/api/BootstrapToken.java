package nl.sleutelbos.app.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.function.Supplier;

/**
 * A bearer token for API tests, got the way an operator gets one: the bootstrap administrator's
 * id and secret from {@code <data dir>/bootstrap-admin.json}, sent to the token endpoint with
 * {@code client_secret_basic}. Renewed shortly before it expires, so long test classes keep working.
 */
final class BootstrapToken implements Supplier<String> {
  private final HttpClient http = HttpClient.newHttpClient();
  private final String base;
  private final Path dataDir;
  private String token;
  private Instant renewAt = Instant.MIN;

  BootstrapToken(String base, Path dataDir) {
    this.base = base;
    this.dataDir = dataDir;
  }

  /** The bootstrap client's id and secret. */
  record Credentials(String clientId, String secret) {
    String basic() {
      return "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }
  }

  static Credentials credentials(Path dataDir) {
    try {
      JsonNode file = Api.MAPPER.readTree(Files.readString(dataDir.resolve("bootstrap-admin.json")));
      return new Credentials(file.path("client_id").asText(), file.path("client_secret").asText());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public synchronized String get() {
    if (Instant.now().isAfter(renewAt)) {
      Credentials c = credentials(dataDir);
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/sleutelbos/v1/oauth/token"))
            .header("Authorization", c.basic())
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
          throw new IllegalStateException("the bootstrap token request failed: " + r.statusCode() + " " + r.body());
        }
        JsonNode body = Api.MAPPER.readTree(r.body());
        token = body.path("access_token").asText();
        renewAt = Instant.now().plusSeconds(Math.max(1, body.path("expires_in").asLong() - 60));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return token;
  }
}

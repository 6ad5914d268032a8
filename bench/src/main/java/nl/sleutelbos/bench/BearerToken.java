package nl.sleutelbos.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;

/**
 * A bearer token for load runs, got with a client's credentials file (the bootstrap
 * administrator's {@code bootstrap-admin.json}) by {@code client_secret_basic}, and renewed a
 * minute before it expires so long runs keep going.
 */
final class BearerToken {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http;
  private final String server;
  private final Path credentials;
  private volatile String token;
  private volatile Instant renewAt = Instant.MIN;

  /** @param server the server's base URL, e.g. http://127.0.0.1:1026 */
  BearerToken(HttpClient http, String server, Path credentials) {
    this.http = http;
    this.server = server;
    this.credentials = credentials;
  }

  /** The {@code Authorization} header value. */
  String header() throws IOException, InterruptedException {
    if (Instant.now().isAfter(renewAt)) {
      synchronized (this) {
        if (Instant.now().isAfter(renewAt)) {
          renew();
        }
      }
    }
    return "Bearer " + token;
  }

  private void renew() throws IOException, InterruptedException {
    JsonNode file = JSON.readTree(Files.readString(credentials));
    String basic = Base64.getEncoder().encodeToString((file.path("client_id").asText() + ":"
        + file.path("client_secret").asText()).getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(server + "/sleutelbos/v1/oauth/token"))
        .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("token request failed: " + response.statusCode() + " " + response.body());
    }
    JsonNode body = JSON.readTree(response.body());
    token = body.path("access_token").asText();
    renewAt = Instant.now().plusSeconds(Math.max(1, body.path("expires_in").asLong() - 60));
  }
}

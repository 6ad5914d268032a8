package nl.sleutelbos.app.sim;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import nl.sleutelbos.identity.Identity;
import nl.sleutelbos.ngsild.Json;

/**
 * An OAuth2 client's id and secret, and the bearer token they get from Sleutelbos's token endpoint
 * (client-credentials grant, {@code client_secret_basic}), renewed a minute before it expires.
 * Thread-safe.
 */
public final class ClientCredentials {
  private final HttpClient http;
  private final String base;
  private final String clientId;
  private final String secret;
  private final Clock clock;
  private String token;
  private Instant renewAt = Instant.MIN;

  public ClientCredentials(HttpClient http, String base, String clientId, String secret, Clock clock) {
    this.http = requireNonNull(http, "http is null");
    this.base = requireNonNull(base, "base is null");
    this.clientId = requireNonNull(clientId, "clientId is null");
    this.secret = requireNonNull(secret, "secret is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /** The credentials in a file with {@code client_id} and {@code client_secret}, such as {@code bootstrap-admin.json}. */
  public static ClientCredentials fromFile(HttpClient http, String base, Path file, Clock clock) throws IOException {
    if (!Files.exists(file)) {
      throw new IOException(file + " is missing: it holds the client's credentials (the bootstrap administrator's are "
          + "written on a store's first start)");
    }
    JsonNode json = Json.MAPPER.readTree(Files.readString(file));
    return new ClientCredentials(http, base, json.path("client_id").asText(), json.path("client_secret").asText(), clock);
  }

  public String clientId() {
    return clientId;
  }

  /** A valid bearer token. */
  public synchronized String token() throws IOException, InterruptedException {
    if (token == null || clock.instant().isAfter(renewAt)) {
      String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + Identity.TOKEN_PATH))
          .header("Authorization", "Basic " + basic)
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
          .build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IOException("the token endpoint refused client " + clientId + ": " + response.statusCode() + " "
            + response.body());
      }
      JsonNode body = Json.MAPPER.readTree(response.body());
      token = body.path("access_token").asText();
      renewAt = clock.instant().plusSeconds(Math.max(1, body.path("expires_in").asLong(300) - 60));
    }
    return token;
  }

  /** Forgets the token, so the next call gets a fresh one (after a 401). */
  public synchronized void renew() {
    token = null;
  }
}

package nl.sleutelbos.app.sim;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import nl.sleutelbos.identity.BootstrapAdmin;
import nl.sleutelbos.metering.sim.FleetSimulator;
import nl.sleutelbos.ngsild.Json;

/**
 * What the operator does before a fleet reports, through the public API with the bootstrap
 * administrator's token: registers the meters (Device entities with their grid connection,
 * capacity and place, which the readings then update) and hands out clients — the head-end that
 * sends every meter's telegrams, and a household that may read its own meter. Credentials made
 * here are kept in the data directory (mode 0600) and reused on the next run.
 */
public final class Provisioning {
  /** The head-end client's credentials, beside {@code bootstrap-admin.json}. */
  public static final String HEAD_END_FILE = "head-end.json";
  private static final String[][] TOWNS = {
      {"Utrecht", "5.1214", "52.0907"}, {"Arnhem", "5.8987", "51.9851"}, {"Zwolle", "6.0830", "52.5168"},
      {"Delft", "4.3571", "52.0116"}, {"Groningen", "6.5665", "53.2194"}};
  private static final int CHUNK = 500;

  private final HttpClient http;
  private final String base;
  private final ClientCredentials admin;

  public Provisioning(HttpClient http, String base, ClientCredentials admin) {
    this.http = requireNonNull(http, "http is null");
    this.base = requireNonNull(base, "base is null");
    this.admin = requireNonNull(admin, "admin is null");
  }

  /** The bootstrap administrator of the server whose data directory this is. */
  public static Provisioning withBootstrapAdmin(HttpClient http, String base, Path dataDir, Clock clock) throws IOException {
    return new Provisioning(http, base, ClientCredentials.fromFile(http, base, dataDir.resolve(BootstrapAdmin.FILE), clock));
  }

  /** The grid connection (an 18-digit EAN code) of meter {@code index}. */
  public static String connectionId(int index) {
    return "871687%012d".formatted(index + 1);
  }

  /**
   * The client stored in {@code file}, or a new one with this name, roles and organisation whose
   * credentials are then written there.
   */
  public ClientCredentials client(Path file, String name, List<String> roles, String organisation, Clock clock)
      throws IOException, InterruptedException {
    if (Files.exists(file)) {
      return ClientCredentials.fromFile(http, base, file, clock);
    }
    ObjectNode body = Json.object();
    body.put("name", name);
    roles.forEach(body.putArray("roles")::add);
    body.put("organisation", organisation);
    body.put("country", "NL");
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/sleutelbos/v1/clients"))
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + admin.token())
        .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)))
        .build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 201) {
      throw new IOException("creating the client '" + name + "' failed: " + response.statusCode() + " " + response.body());
    }
    JsonNode created = Json.MAPPER.readTree(response.body());
    ObjectNode saved = Json.object();
    saved.put("client_id", created.path("client_id").asText(created.path("id").asText()));
    saved.put("client_secret", created.path("client_secret").asText());
    saved.put("token_endpoint", base + nl.sleutelbos.identity.Identity.TOKEN_PATH);
    writePrivate(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(saved));
    return ClientCredentials.fromFile(http, base, file, clock);
  }

  private static void writePrivate(Path file, String text) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    } catch (FileAlreadyExistsException e) {
      // written by a run that started at the same time: ours replaces it
    }
    Files.writeString(file, text);
  }

  /**
   * Registers meters 0 to {@code meters - 1} as Device entities (batch upserts of {@value #CHUNK}):
   * category meter, grid connection, connection capacity, town and location.
   */
  public void registerMeters(int meters, long seed) throws IOException, InterruptedException {
    registerMeters(0, meters, seed);
  }

  /** Registers meters {@code from} to {@code to - 1}; a meter's place depends only on the seed and its index. */
  public void registerMeters(int from, int to, long seed) throws IOException, InterruptedException {
    for (int chunk = from; chunk < to; chunk += CHUNK) {
      StringBuilder body = new StringBuilder("[");
      for (int i = chunk; i < Math.min(to, chunk + CHUNK); i++) {
        String[] town = TOWNS[i % TOWNS.length];
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed * 1_000_003L + i);
        double lon = Double.parseDouble(town[1]) + (random.nextDouble() - 0.5) / 50;
        double lat = Double.parseDouble(town[2]) + (random.nextDouble() - 0.5) / 50;
        if (i > chunk) {
          body.append(',');
        }
        body.append(String.format(Locale.ROOT, """
            {"id":"urn:ngsi-ld:Device:%s","type":"Device",
             "category":{"type":"Property","value":["meter"]},
             "connection":{"type":"Property","value":"%s"},
             "connectionCapacity":{"type":"Property","value":%d,"unitCode":"AMP"},
             "town":{"type":"Property","value":"%s"},
             "location":{"type":"GeoProperty","value":{"type":"Point","coordinates":[%.5f,%.5f]}}}""",
            FleetSimulator.meterId(i), connectionId(i), i % 7 == 0 ? 35 : 25, town[0], lon, lat));
      }
      body.append(']');
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/ngsi-ld/v1/entityOperations/upsert?options=update"))
          .header("Content-Type", "application/json")
          .header("Authorization", "Bearer " + admin.token())
          .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
          .build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 201 && response.statusCode() != 204) {
        throw new IOException("registering meters failed: " + response.statusCode() + " " + response.body());
      }
    }
  }
}

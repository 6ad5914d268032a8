package nl.sleutelbos.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.Random;
import nl.sleutelbos.identity.BootstrapAdmin;
import nl.sleutelbos.identity.Identity;
import nl.sleutelbos.ngsild.Json;

/**
 * A sample fleet for the demo: smart meters in a few Dutch towns, written through the public
 * NGSI-LD API (a batch upsert) exactly as a client would, so the demo shows the real path — with
 * a bearer token got from the token endpoint with the bootstrap administrator's credentials.
 */
final class DemoFleet {
  private static final String[][] TOWNS = {
      {"Utrecht", "5.1214", "52.0907"}, {"Arnhem", "5.8987", "51.9851"}, {"Zwolle", "6.0830", "52.5168"},
      {"Delft", "4.3571", "52.0116"}, {"Groningen", "6.5665", "53.2194"}};

  private final String base;
  private final Path dataDir;
  private final HttpClient http = HttpClient.newHttpClient();

  DemoFleet(String base, Path dataDir) {
    this.base = base;
    this.dataDir = dataDir;
  }

  /** A token for the bootstrap administrator, by client_secret_basic, as the README shows with curl. */
  private String token() throws IOException, InterruptedException {
    Path file = dataDir.resolve(BootstrapAdmin.FILE);
    if (!Files.exists(file)) {
      throw new IllegalStateException(file + " is missing; the demo needs the bootstrap administrator's credentials "
          + "(start with a fresh --data directory to create them)");
    }
    JsonNode credentials = Json.MAPPER.readTree(Files.readString(file));
    String basic = Base64.getEncoder().encodeToString((credentials.path("client_id").asText() + ":"
        + credentials.path("client_secret").asText()).getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + Identity.TOKEN_PATH))
        .header("Authorization", "Basic " + basic)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
        .build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("the demo could not get a token: " + response.statusCode() + " " + response.body());
    }
    return Json.MAPPER.readTree(response.body()).path("access_token").asText();
  }

  /** Upserts the fleet; returns how many meters it holds. */
  int load(int meters) throws IOException, InterruptedException {
    Random random = new Random(2026); // fixed seed: the same fleet on every run
    StringBuilder body = new StringBuilder("[");
    body.append("""
        {"id":"urn:ngsi-ld:Organization:vendor-a","type":"Organization",
         "name":"Vendor A (sensor supplier)","countryCode":"CN"},
        {"id":"urn:ngsi-ld:Organization:operator","type":"Organization",
         "name":"Grid operator","countryCode":"NL"}""");
    for (int i = 1; i <= meters; i++) {
      String[] town = TOWNS[i % TOWNS.length];
      double lon = Double.parseDouble(town[1]) + (random.nextDouble() - 0.5) / 50;
      double lat = Double.parseDouble(town[2]) + (random.nextDouble() - 0.5) / 50;
      double power = Math.round(random.nextDouble() * 4000) / 1000.0;
      body.append(String.format(Locale.ROOT, """
          ,{"id":"urn:ngsi-ld:Device:meter-%04d","type":"Device",
           "category":{"type":"Property","value":["meter"]},
           "serialNumber":{"type":"Property","value":"E%08d"},
           "town":{"type":"Property","value":"%s"},
           "connectionCapacity":{"type":"Property","value":%d,"unitCode":"AMP"},
           "activePower":{"type":"Property","value":%s,"unitCode":"KWT","observedAt":"2026-11-23T12:00:00Z"},
           "firmwareVersion":{"type":"Property","value":"%s"},
           "manufacturer":{"type":"Relationship","object":"urn:ngsi-ld:Organization:vendor-a"},
           "operatedBy":{"type":"Relationship","object":"urn:ngsi-ld:Organization:operator"},
           "location":{"type":"GeoProperty","value":{"type":"Point","coordinates":[%.5f,%.5f]}}}""",
          i, 10_000_000 + i, town[0], i % 7 == 0 ? 35 : 25, power, i % 3 == 0 ? "5.2.1" : "5.3.0", lon, lat));
    }
    body.append(']');
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/ngsi-ld/v1/entityOperations/upsert"))
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + token())
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
        .build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 201 && response.statusCode() != 204) {
      throw new IllegalStateException("loading the demo fleet failed: " + response.statusCode() + " " + response.body());
    }
    return meters;
  }

  static String instructions(String base, int meters, String store, boolean serving, Path dataDir) {
    String api = base + "/ngsi-ld/v1";
    String file = dataDir.resolve(BootstrapAdmin.FILE).toString();
    return """

        Sleutelbos demo: %d smart meters loaded into %s.
        NGSI-LD API: %s   (%s)

        Every request needs a bearer token. Get one (5 minutes) with the bootstrap administrator's
        credentials from %s, and let curl send it:

          ID=$(sed -nE 's/.*"client_id" : "([^"]+)".*/\\1/p' %s)
          SECRET=$(sed -nE 's/.*"client_secret" : "([^"]+)".*/\\1/p' %s)
          TOKEN=$(curl -s -u "$ID:$SECRET" -d grant_type=client_credentials %s%s \\
                  | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')
          alias curl='curl -H "Authorization: Bearer $TOKEN"'

        Try these:

          # one meter, in full (normalised) form
          curl -s '%s/entities/urn:ngsi-ld:Device:meter-0001'

          # the same meter, only the values (keyValues), with system times
          curl -s '%s/entities/urn:ngsi-ld:Device:meter-0001?options=keyValues,sysAttrs'

          # meters in Utrecht drawing more than 2 kW, counted
          curl -s -i '%s/entities?type=Device&q=town==%%22Utrecht%%22;activePower>2&count=true&options=keyValues&attrs=activePower,town'

          # every meter on old firmware, made by vendor A
          curl -s '%s/entities?type=Device&q=firmwareVersion==%%225.2.1%%22;manufacturer==urn:ngsi-ld:Organization:vendor-a&options=keyValues&attrs=firmwareVersion'

          # as GeoJSON, for a map
          curl -s -H 'Accept: application/geo+json' '%s/entities?type=Device&limit=5&attrs=location,town'

          # what types and attributes exist
          curl -s '%s/types'
          curl -s '%s/attributes?details=true'

          # report a new reading, then look at it
          curl -s -X PATCH -H 'Content-Type: application/json' \\
               -d '{"activePower":{"type":"Property","value":1.234,"unitCode":"KWT","observedAt":"2026-11-23T12:15:00Z"}}' \\
               '%s/entities/urn:ngsi-ld:Device:meter-0001/attrs'
          curl -s '%s/entities/urn:ngsi-ld:Device:meter-0001?attrs=activePower'

          # a second tenant sees nothing of the first
          curl -s -X POST -H 'Content-Type: application/json' -H 'NGSILD-Tenant: lab' \\
               -d '{"id":"urn:ngsi-ld:Device:lab-1","type":"Device","town":"Arnhem"}' '%s/entities'
          curl -s -H 'NGSILD-Tenant: lab' '%s/entities?type=Device&options=keyValues'

          # a bad query is a precise 400
          curl -s '%s/entities?type=Device&q=activePower>>2'
        """.formatted(meters, store, api,
            serving ? "running; Ctrl-C stops it, the data stays" : "stopped (--exit); start it again with ./sleutelbos demo",
            file, file, file, base, Identity.TOKEN_PATH,
            api, api, api, api, api, api, api, api, api, api, api, api);
  }
}

package nl.sleutelbos.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import nl.sleutelbos.app.http.KeyRoutes;
import nl.sleutelbos.app.http.Route;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * No plaintext key escapes: every key route (the list comes from the server, so a new route fails
 * here until it is driven), its failure paths, the NGSI-LD read model and the audit log are driven
 * with keys whose plaintext the test knows — a transport key and the vendor's factory keys — and
 * every response (status, headers, body, as raw bytes) and every log record is searched for those
 * keys: raw, hex in either case, base64 and base64url at each of the three alignments a key can
 * have inside a longer encoding. There is no metrics endpoint yet; when one comes, it belongs here.
 */
class KeyLeakTest extends ApiTestBase {
  private static final String K = "/sleutelbos/v1/keys";
  private final HttpClient http = HttpClient.newHttpClient();
  private final ByteArrayOutputStream seen = new ByteArrayOutputStream();
  private final StringBuilder logs = new StringBuilder();
  private final Handler capture = new Handler() {
    private final SimpleFormatter format = new SimpleFormatter();

    @Override
    public void publish(LogRecord r) {
      synchronized (logs) {
        logs.append(format.format(r));
        if (r.getThrown() != null) {
          StringWriter w = new StringWriter();
          r.getThrown().printStackTrace(new PrintWriter(w));
          logs.append(w);
        }
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  private Level rootLevel;

  private record Call(String method, String path, String contentType, String body, String token) {}

  private byte[] send(Call c) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + c.path()))
        .method(c.method(), c.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(c.body()))
        .header("Authorization", "Bearer " + (c.token() != null ? c.token() : Api.TOKENS.get("http://127.0.0.1:" + server.port()).get()));
    if (c.contentType() != null) {
      b.header("Content-Type", c.contentType());
    }
    try {
      HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      seen.writeBytes((r.statusCode() + "\n" + r.headers().map() + "\n").getBytes(StandardCharsets.UTF_8));
      seen.writeBytes(r.body());
      seen.write('\n');
      return r.body();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private String json(Call c) {
    return new String(send(c), StandardCharsets.UTF_8);
  }

  private String officerToken() {
    String client = json(new Call("POST", "/sleutelbos/v1/clients", "application/json",
        "{\"name\":\"o\",\"roles\":[\"security-officer\"],\"organisation\":\"operator\",\"country\":\"NL\"}", null));
    try {
      var node = Api.MAPPER.readTree(client);
      String basic = new BootstrapToken.Credentials(node.path("client_id").asText(), node.path("client_secret").asText()).basic();
      HttpResponse<String> t = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/sleutelbos/v1/oauth/token"))
          .header("Authorization", basic).header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(), HttpResponse.BodyHandlers.ofString());
      return Api.MAPPER.readTree(t.body()).path("access_token").asText();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String field(String json, String name) {
    try {
      return Api.MAPPER.readTree(json).path(name).asText();
    } catch (IOException e) {
      throw new AssertionError(json, e);
    }
  }

  @Test
  void noRouteLogOrAnswerCarriesAKnownKeyInAnyEncoding() throws Exception {
    Logger root = Logger.getLogger("");
    rootLevel = root.getLevel();
    root.setLevel(Level.ALL);
    root.addHandler(capture);
    capture.setLevel(Level.ALL);

    VendorFile file = new VendorFile(VendorFile.random(16));
    String a = KeysApiTest.meter();
    String b = KeysApiTest.meter();
    file.add(a, "MASTER", "rfc3394").add(a, "AUTHENTICATION", "rfc5649").add(b, "MASTER", "rfc3394").add(b, "AUTHENTICATION", "rfc3394");
    String transport = "leak-" + UUID.randomUUID().toString().substring(0, 8);
    String fresh = KeysApiTest.meter();
    String hexKey = HexFormat.of().formatHex(file.keys.getFirst());
    String officer = officerToken();
    String second = officerToken();
    String third = officerToken();

    Map<String, List<Call>> drive = new LinkedHashMap<>();
    drive.put("PUT /keys/transport-keys/{label}", List.of(
        new Call("PUT", K + "/transport-keys/" + transport, "application/json", "{\"key\":\"" + file.transportHex() + "\"}", null),
        new Call("PUT", K + "/transport-keys/" + transport, "application/json", "{\"key\":\"" + file.transportHex() + "\"}", null),
        new Call("PUT", K + "/transport-keys/other", "application/json", "{\"key\":" + file.transportHex() + "}", null),
        new Call("PUT", K + "/transport-keys/other", "application/json", "{\"key\":\"" + file.transportHex() + "00\"}", null),
        new Call("PUT", K + "/transport-keys/other", "application/json", "{\"key\":\"" + file.transportHex().toUpperCase() + "0\"}", null)));
    drive.put("POST /keys/imports", List.of(
        // rejected: one line quotes a plaintext key in a fifth field, another names a key that does not unwrap
        new Call("POST", K + "/imports?transportKey=" + transport, "text/csv",
            file.text() + a + ",BROADCAST,rfc3394," + "00".repeat(24) + "," + hexKey + "\n" + b + ",BROADCAST,rfc3394," + hexKey + hexKey.substring(0, 16) + "\n", null),
        new Call("POST", K + "/imports?transportKey=" + transport, "text/csv", file.text().replace("rfc3394", hexKey), null),
        new Call("POST", K + "/imports?transportKey=" + transport, "text/csv", file.text(), null)));
    drive.put("GET /keys", List.of(new Call("GET", K, null, null, null)));
    drive.put("GET /keys/report", List.of(new Call("GET", K + "/report", null, null, null)));
    drive.put("GET /keys/devices/{device}", List.of(new Call("GET", K + "/devices/" + a, null, null, null)));
    drive.put("POST /keys/devices/{device}", List.of(
        new Call("POST", K + "/devices/" + fresh, "application/json", "{\"roles\":[\"MASTER\",\"BROADCAST\"]}", null)));
    drive.put("POST /keys/campaigns", List.of(
        new Call("POST", K + "/campaigns", "application/json", "{\"roles\":[\"AUTHENTICATION\"],\"selection\":{\"provenance\":\"FACTORY_IMPORTED\"}}", null)));
    List<String> campaign = new ArrayList<>();
    drive.put("POST /keys/campaigns/{id}/pause", List.of());
    drive.put("POST /keys/campaigns/{id}/resume", List.of());
    drive.put("GET /keys/campaigns/{id}", List.of());
    drive.put("POST /keys/devices/{device}/acknowledgements", List.of(
        new Call("POST", K + "/devices/" + fresh + "/acknowledgements", "application/json", "{\"role\":\"MASTER\",\"version\":1}", null),
        new Call("POST", K + "/devices/" + a + "/acknowledgements", "application/json", "{\"role\":\"AUTHENTICATION\",\"version\":2}", null)));
    drive.put("POST /keys/operations", List.of(
        new Call("POST", K + "/operations", "application/json", "{\"kind\":\"ROTATE_STORAGE_KEK\"}", officer)));
    drive.put("GET /keys/operations", List.of(new Call("GET", K + "/operations", null, null, null)));
    drive.put("GET /keys/operations/{id}", List.of());
    drive.put("POST /keys/operations/{id}/approvals", List.of());

    Set<String> routes = new TreeSet<>();
    for (Route r : server.routes()) {
      if (r.family().equals(KeyRoutes.FAMILY)) {
        routes.add(r.method() + " " + r.template());
      }
    }
    assertThat(drive.keySet()).as("every key route is driven").containsExactlyInAnyOrderElementsOf(routes);

    for (Map.Entry<String, List<Call>> e : drive.entrySet()) {
      for (Call c : e.getValue()) {
        String answer = json(c);
        if (c.path().equals(K + "/campaigns")) {
          campaign.add(field(answer, "id"));
          String id = campaign.getFirst();
          json(new Call("POST", K + "/campaigns/" + id + "/pause", null, null, null));
          json(new Call("POST", K + "/campaigns/" + id + "/resume", null, null, null));
          for (int i = 0; i < 200 && !field(json(new Call("GET", K + "/campaigns/" + id, null, null, null)), "status").equals("COMPLETED"); i++) {
            Thread.sleep(50);
          }
        }
        if (c.path().equals(K + "/operations")) {
          String op = K + "/operations/" + field(answer, "id");
          json(new Call("GET", op, null, null, null));
          json(new Call("POST", op + "/approvals", null, null, officer));
          json(new Call("POST", op + "/approvals", null, null, second));
          json(new Call("POST", op + "/approvals", null, null, second));
          json(new Call("POST", op + "/approvals", null, null, third));
        }
      }
    }
    assertThat(json(new Call("GET", K + "/devices/" + a, null, null, null))).contains("FACTORY_IMPORTED").contains("EXPIRED");
    json(new Call("GET", V1 + "/entities?type=CustodyKey&limit=1000", null, null, null));
    json(new Call("GET", V1 + "/entities?type=KeyCampaign&limit=1000", null, null, null));
    json(new Call("GET", "/sleutelbos/v1/audit/entries", null, null, null));
    json(new Call("GET", "/metrics", null, null, null));

    byte[] answers = seen.toByteArray();
    byte[] logged;
    synchronized (logs) {
      logged = logs.toString().getBytes(StandardCharsets.UTF_8);
    }
    assertThat(answers.length).isGreaterThan(2000);
    List<byte[]> secrets = new ArrayList<>(file.keys);
    secrets.add(file.transport);
    for (byte[] secret : secrets) {
      for (Map.Entry<String, byte[]> needle : needles(secret).entrySet()) {
        assertThat(indexOf(answers, needle.getValue())).as("a key as " + needle.getKey() + " in an answer").isEqualTo(-1);
        assertThat(indexOf(logged, needle.getValue())).as("a key as " + needle.getKey() + " in the log").isEqualTo(-1);
      }
    }
    // The needles do find a key where one is: the vendor file holds hex of wrapped keys, not of keys.
    assertThat(indexOf((hexKey + "\n").getBytes(StandardCharsets.US_ASCII), needles(file.keys.getFirst()).get("hex"))).isZero();
  }

  /** A key in every form it could take in text: raw, hex, and base64/base64url at each alignment. */
  static Map<String, byte[]> needles(byte[] key) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    out.put("raw", key);
    out.put("hex", HexFormat.of().formatHex(key).getBytes(StandardCharsets.US_ASCII));
    out.put("HEX", HexFormat.of().withUpperCase().formatHex(key).getBytes(StandardCharsets.US_ASCII));
    for (int offset = 0; offset < 3; offset++) {
      byte[] shifted = new byte[offset + key.length];
      System.arraycopy(key, 0, shifted, offset, key.length);
      int from = (offset * 8 + 5) / 6; // the first character made of key bits only
      int to = (offset + key.length) * 8 / 6; // the last one, exclusive
      out.put("base64@" + offset, Base64.getEncoder().encodeToString(shifted).substring(from, to).getBytes(StandardCharsets.US_ASCII));
      out.put("base64url@" + offset, Base64.getUrlEncoder().encodeToString(shifted).substring(from, to).getBytes(StandardCharsets.US_ASCII));
    }
    return out;
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @AfterAll
  void stopCapture() {
    Logger root = Logger.getLogger("");
    root.removeHandler(capture);
    if (rootLevel != null) {
      root.setLevel(rootLevel);
    }
  }
}

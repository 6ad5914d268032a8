package nl.sleutelbos.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import nl.sleutelbos.app.Settings;
import nl.sleutelbos.app.Sleutelbos;
import nl.sleutelbos.store.StoreConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Starts a real server on a free port with a fresh embedded store for the test class; each test
 * class gets its own data directory. Subclasses may choose another store by overriding
 * {@link #storeConfig(Path)}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ApiTestBase {
  static final String V1 = "/ngsi-ld/v1";
  protected Sleutelbos server;
  protected Api api;
  protected Path dir;
  private String base;

  protected StoreConfig storeConfig(Path dir) {
    return new StoreConfig.Sqlite(dir.resolve("sleutelbos.db"));
  }

  protected long maxBodyBytes() {
    return 64 * 1024;
  }

  /** The server's settings; a test class may change identity settings (e.g. trust an external issuer). */
  protected Settings settings(Path dir) {
    return new Settings("127.0.0.1", 0, dir, storeConfig(dir), maxBodyBytes(), null);
  }

  @BeforeAll
  void startServer() throws IOException {
    dir = Files.createTempDirectory("sleutelbos-api");
    server = Sleutelbos.start(settings(dir));
    base = "http://127.0.0.1:" + server.port();
    // Every Api made for this server sends the bootstrap administrator's token.
    Api.TOKENS.put(base, new BootstrapToken(base, dir));
    api = new Api(base);
  }

  @AfterAll
  void stopServer() throws IOException {
    if (server != null) {
      server.close();
      Api.TOKENS.remove(base);
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** A fresh entity id, so tests in one class never see each other's entities. */
  static String newId(String type) {
    return "urn:ngsi-ld:" + type + ":" + UUID.randomUUID();
  }

  /** The API as a new client with these roles (a JSON array) and organisation, with a fresh token of it. */
  protected Api as(String roles, String organisation) {
    Api.Response client = api.post("/sleutelbos/v1/clients", "{\"name\":\"c\",\"roles\":" + roles
        + ",\"organisation\":\"" + organisation + "\",\"country\":\"NL\"}");
    assertThat(client.status()).as(client.toString()).isEqualTo(201);
    Api.Response token = api.anonymous().postAs("application/x-www-form-urlencoded", "/sleutelbos/v1/oauth/token",
        "grant_type=client_credentials", "Authorization", new BootstrapToken.Credentials(
            client.json().path("client_id").asText(), client.json().path("client_secret").asText()).basic());
    assertThat(token.status()).as(token.toString()).isEqualTo(200);
    return api.anonymous().with("Authorization", "Bearer " + token.json().path("access_token").asText());
  }
}

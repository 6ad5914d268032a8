package nl.sleutelbos.app.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import nl.sleutelbos.app.Settings;
import nl.sleutelbos.app.Sleutelbos;
import nl.sleutelbos.ngsild.subscription.DeliverySettings;
import nl.sleutelbos.store.StoreConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Like {@link ApiTestBase}, with quick retries so that outage tests do not wait long, and a
 * {@link #restart()} that stops the server and starts it again on the same storage.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SubscriptionTestBase {
  static final String V1 = "/ngsi-ld/v1";
  static final DeliverySettings QUICK =
      new DeliverySettings(Duration.ofMillis(50), Duration.ofMillis(400), Duration.ofMillis(200), 100,
          Duration.ofSeconds(5));
  protected Sleutelbos server;
  protected Api api;
  private Path dir;
  private StoreConfig config;

  protected StoreConfig storeConfig(Path dir) {
    return new StoreConfig.Sqlite(dir.resolve("sleutelbos.db"));
  }

  @BeforeAll
  void startServer() throws IOException {
    dir = Files.createTempDirectory("sleutelbos-subs");
    config = storeConfig(dir);
    start();
  }

  private void start() {
    server = Sleutelbos.start(new Settings("127.0.0.1", 0, dir, config, 64 * 1024, null).withDelivery(QUICK));
    String base = "http://127.0.0.1:" + server.port();
    // Every Api made for this server sends the bootstrap administrator's token.
    Api.TOKENS.put(base, new BootstrapToken(base, dir));
    api = new Api(base);
  }

  private void stop() {
    server.close();
    Api.TOKENS.remove("http://127.0.0.1:" + server.port());
  }

  /** Closes the server (the store with it) and starts a new one over the same storage. */
  protected void restart() {
    stop();
    start();
  }

  @AfterAll
  void stopServer() throws IOException {
    if (server != null) {
      stop();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  static String newId(String type) {
    return "urn:ngsi-ld:" + type + ":" + UUID.randomUUID();
  }
}

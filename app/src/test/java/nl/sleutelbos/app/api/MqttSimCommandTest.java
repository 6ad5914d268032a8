package nl.sleutelbos.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import nl.sleutelbos.app.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code sleutelbos sim --transport mqtt} through a real Mosquitto to a server that takes readings
 * from it: every telegram published reaches the ingest, and the corrupted ones are rejected there.
 */
@ExtendWith(TestMosquitto.class)
class MqttSimCommandTest extends ApiTestBase {
  /** A topic root of this test's own, so no other server on the broker shares its telegrams. */
  private final String broker = "tcp://" + TestMosquitto.HOST + ":" + TestMosquitto.PORT + "/sim-test-" + java.util.UUID.randomUUID();

  @Override
  protected Settings settings(Path dir) {
    return super.settings(dir).withMqtt(URI.create(broker));
  }

  @Test
  void theMetersPublishAndTheServerIngestsEveryTelegram() throws Exception {
    Instant start = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
    SimCommandTest.Run run = SimCommandTest.sim(server.port(), dir, "--transport", "mqtt", "--broker", broker,
        "--meters", "20", "--interval", "5m", "--start", start.toString(), "--speed", "100000", "--count", "60", "--faults", "crc=1",
        "--seed", "5", "--quiet");
    assertThat(run.exit()).as(run.out() + run.err()).isZero();
    assertThat(run.count(1)).isEqualTo(60);
    JsonNode metrics = awaitIngested(60);
    assertThat(metrics.path("rejected").asLong()).as(metrics.toString()).isEqualTo(60);
    assertThat(metrics.path("rejections").path("crc").asLong()).as(metrics.toString()).isEqualTo(60);

    SimCommandTest.Run honest = SimCommandTest.sim(server.port(), dir, "--transport", "mqtt", "--broker", broker,
        "--meters", "20", "--interval", "5m", "--start", start.toString(), "--speed", "100000", "--count", "40", "--quiet");
    assertThat(honest.exit()).as(honest.out() + honest.err()).isZero();
    metrics = awaitIngested(100);
    assertThat(metrics.path("accepted").asLong() + metrics.path("flagged").asLong()).as(metrics.toString()).isEqualTo(40);
    Api.Response meter = api.get(V1 + "/entities/urn:ngsi-ld:Device:meter-0001?options=keyValues");
    assertThat(meter.status()).as(meter.toString()).isEqualTo(200);
    assertThat(meter.json().has("dateLastValueReported")).as(meter.toString()).isTrue();
  }

  private JsonNode awaitIngested(long telegrams) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(30);
    JsonNode metrics = null;
    while (Instant.now().isBefore(deadline)) {
      metrics = api.get("/sleutelbos/v1/ingest/metrics").json();
      if (metrics.path("telegrams").asLong() >= telegrams) {
        return metrics;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the ingest saw fewer than " + telegrams + " telegrams: " + metrics);
  }
}

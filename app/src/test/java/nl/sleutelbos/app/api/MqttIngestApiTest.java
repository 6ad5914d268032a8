package nl.sleutelbos.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import nl.sleutelbos.app.ingest.MqttIngest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Meter readings over MQTT through the real Mosquitto broker: the server's shared, persistent
 * QoS 1 subscription, messages acknowledged only after their batch committed. Each test uses its
 * own topic root and client id, so runs never see each other's messages or sessions.
 */
class MqttIngestApiTest extends ApiTestBase {
  @RegisterExtension static final TestMosquitto MOSQUITTO = new TestMosquitto();
  static final Instant T0 = IngestApiTest.T0;

  private String root;
  private String clientId;
  private URI broker;
  private Mqtt5BlockingClient publisher;

  @BeforeEach
  void connect() {
    root = "test-" + UUID.randomUUID();
    clientId = "ingest-test-" + UUID.randomUUID();
    broker = URI.create("tcp://" + TestMosquitto.HOST + ":" + TestMosquitto.PORT + "/" + root);
    publisher = MqttClient.builder().useMqttVersion5().identifier("publisher-" + UUID.randomUUID())
        .serverHost(TestMosquitto.HOST).serverPort(TestMosquitto.PORT).buildBlocking();
    publisher.connect();
  }

  @AfterEach
  void forgetTheSession() {
    publisher.disconnect();
    // The ingest's session outlives its connection by design; a test's is of no use afterwards.
    Mqtt5BlockingClient cleaner = MqttClient.builder().useMqttVersion5().identifier(clientId)
        .serverHost(TestMosquitto.HOST).serverPort(TestMosquitto.PORT).buildBlocking();
    cleaner.connectWith().cleanStart(true).sessionExpiryInterval(0).send();
    cleaner.disconnect();
  }

  @Test
  void publishedTelegramsAppearAsEntitiesAndHistory() {
    server.listen(broker, clientId, server.ingest()::commit);
    String headEnd = headEndToken();
    String meter = Telegrams.newMeter();
    for (int i = 0; i < 5; i++) {
      publish(meter, Telegrams.text(meter, T0.plusSeconds(10L * i), i, 1.0 + i, null), headEnd);
    }
    String temporal = V1 + "/temporal/entities/urn:ngsi-ld:Device:" + meter + "?attrs=voltage";
    await(() -> api.get(temporal).json().path("voltage").size() == 5);
    // The latest values follow the readings by one pass of their projector.
    String entity = V1 + "/entities/urn:ngsi-ld:Device:" + meter;
    await(() -> api.get(entity).json().path("dateLastValueReported").path("value").asText()
        .equals(T0.plusSeconds(40).toString()));
    JsonNode device = api.get(entity).json();
    assertThat(device.path("voltage").path("value").asDouble()).isEqualTo(230.4);
    assertThat(device.path("voltage").path("observedAt").asText()).isEqualTo(T0.plusSeconds(40).toString());
  }

  @Test
  void aMeterCannotPublishAnotherMetersReadings() {
    server.listen(broker, clientId, server.ingest()::commit);
    String own = Telegrams.newMeter();
    String other = Telegrams.newMeter();
    String token = TestClients.meter(api, own);
    long forbidden = metrics().path("rejections").path("forbidden").asLong();

    publish(other, Telegrams.text(other, T0, 0, 1.0, null), token); // another meter's topic and telegram
    publish(own, Telegrams.text(other, T0, 0, 1.0, null), token); // its own topic, another meter's telegram
    publish(own, Telegrams.text(own, T0, 0, 1.0, null), "not-a-token");
    publish(own, Telegrams.text(own, T0, 0, 2.0, null), token);

    await(() -> api.get(V1 + "/entities/urn:ngsi-ld:Device:" + own).status() == 200);
    await(() -> metrics().path("rejections").path("forbidden").asLong() == forbidden + 3);
    assertThat(api.get(V1 + "/entities/urn:ngsi-ld:Device:" + other).status()).isEqualTo(404);
    assertThat(api.get(V1 + "/entities/urn:ngsi-ld:Device:" + own).json().path("dateLastValueReported").path("value")
        .asText()).isEqualTo(T0.toString());
  }

  @Test
  void aCrashBeforeTheCommitLosesNothing() {
    String headEnd = headEndToken();
    String meter = Telegrams.newMeter();
    AtomicInteger received = new AtomicInteger();
    MqttIngest failing = server.listen(broker, clientId, batch -> {
      received.addAndGet(batch.size());
      throw new IllegalStateException("the store is down (test)");
    });
    for (int i = 0; i < 6; i++) {
      publish(meter, Telegrams.text(meter, T0.plusSeconds(10L * i), i, 1.0 + i, null), headEnd);
    }
    await(() -> received.get() >= 6);
    failing.close(); // nothing committed, nothing acknowledged
    assertThat(api.get(V1 + "/entities/urn:ngsi-ld:Device:" + meter).status()).isEqualTo(404);

    server.listen(broker, clientId, server.ingest()::commit); // the same session: the broker delivers again
    String temporal = V1 + "/temporal/entities/urn:ngsi-ld:Device:" + meter + "?attrs=voltage";
    await(() -> api.get(temporal).json().path("voltage").size() == 6);
    List<String> times = api.get(temporal).json().path("voltage").findValuesAsText("observedAt");
    assertThat(times).doesNotHaveDuplicates().hasSize(6);
  }

  @Test
  void aCrashAfterTheCommitBeforeTheAcknowledgementDuplicatesNothing() {
    String headEnd = headEndToken();
    String meter = Telegrams.newMeter();
    AtomicInteger committed = new AtomicInteger();
    MqttIngest crashing = server.listen(broker, clientId, batch -> {
      server.ingest().commit(batch);
      committed.addAndGet(batch.size());
      throw new IllegalStateException("crashed after the commit (test)");
    });
    for (int i = 0; i < 6; i++) {
      publish(meter, Telegrams.text(meter, T0.plusSeconds(10L * i), i, 1.0 + i, null), headEnd);
    }
    await(() -> committed.get() >= 6);
    crashing.close(); // committed, never acknowledged
    String temporal = V1 + "/temporal/entities/urn:ngsi-ld:Device:" + meter + "?attrs=voltage,energyConsumed";
    JsonNode before = api.get(temporal).json();
    assertThat(before.path("voltage").size()).isEqualTo(6);
    long seen = metrics().path("telegrams").asLong();

    server.listen(broker, clientId, server.ingest()::commit);
    await(() -> metrics().path("telegrams").asLong() >= seen + 6); // all six delivered again
    JsonNode after = api.get(temporal).json();
    assertThat(after.path("voltage").size()).isEqualTo(6);
    assertThat(after.path("voltage").findValuesAsText("observedAt")).doesNotHaveDuplicates();
    assertThat(api.get(V1 + "/entities/urn:ngsi-ld:MeterDataQuality:" + meter).status()).isEqualTo(404);
  }

  // --- helpers --------------------------------------------------------------------------------

  private String headEndToken() {
    return TestClients.headEnd(api);
  }

  private void publish(String meter, String telegram, String token) {
    publisher.publishWith().topic(root + "/sleutelbos/meters/" + meter + "/p1").qos(MqttQos.AT_LEAST_ONCE)
        .payload(telegram.getBytes(StandardCharsets.UTF_8))
        .userProperties().add("authorization", "Bearer " + token).applyUserProperties()
        .send();
  }

  private JsonNode metrics() {
    return api.get(IngestApiTest.METRICS).json();
  }

  /** Waits (polling, up to 30 s) until the condition holds; fails if it never does. */
  private static void await(BooleanSupplier condition) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (!condition.getAsBoolean()) {
      assertThat(Instant.now()).as("condition never held").isBefore(deadline);
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}

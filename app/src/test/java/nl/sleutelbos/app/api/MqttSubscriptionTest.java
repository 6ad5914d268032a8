package nl.sleutelbos.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Notifications to MQTT endpoints through the real Mosquitto broker: the payload of the MQTT
 * binding ({@code metadata} and {@code body}) per format and QoS, over MQTT 3.1.1 and 5.
 */
class MqttSubscriptionTest extends SubscriptionTestBase {
  @RegisterExtension static final TestMosquitto MOSQUITTO = new TestMosquitto();

  /** A subscriber on one topic that keeps every payload, in arrival order. */
  private static final class Listener implements AutoCloseable {
    private final List<JsonNode> payloads = new ArrayList<>();
    private final Mqtt3AsyncClient client;

    Listener(String topic) {
      client = MqttClient.builder().useMqttVersion3().identifier("test-" + UUID.randomUUID())
          .serverHost(TestMosquitto.HOST).serverPort(TestMosquitto.PORT).buildAsync();
      client.connect().join();
      client.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).callback(publish -> {
        synchronized (this) {
          try {
            payloads.add(Api.MAPPER.readTree(publish.getPayloadAsBytes()));
          } catch (IOException e) {
            payloads.add(Api.MAPPER.createObjectNode().put("unreadable", new String(publish.getPayloadAsBytes())));
          }
          notifyAll();
        }
      }).send().join();
    }

    synchronized List<JsonNode> await(int n) throws InterruptedException {
      Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
      while (payloads.stream().mapToInt(p -> p.path("body").path("data").size()).sum() < n) {
        long left = Duration.between(Instant.now(), deadline).toMillis();
        assertThat(left).as("payloads so far: %s", payloads).isPositive();
        wait(left);
      }
      return List.copyOf(payloads);
    }

    @Override
    public void close() {
      client.disconnect().join();
    }
  }

  private String subscribe(Api tenantApi, String topic, String notifierInfo, String format, String accept) {
    Api.Response r = tenantApi.post(V1 + "/subscriptions", """
        {"type":"Subscription","entities":[{"type":"Meter"}],
         "notification":{"format":"%s","endpoint":{"uri":"%s","accept":"%s","notifierInfo":%s}}}
        """.formatted(format, TestMosquitto.uri(topic), accept, notifierInfo));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.header("Location").orElseThrow();
  }

  private static String meter(String id, int power) {
    return "{\"id\":\"" + id + "\",\"type\":\"Meter\",\"power\":{\"type\":\"Property\",\"value\":" + power + "}}";
  }

  @Test
  void aNotificationArrivesOnTheTopicWithMetadataAndBody() throws InterruptedException {
    String tenant = "mqtt" + UUID.randomUUID().toString().replace("-", "");
    Api t = api.with("NGSILD-Tenant", tenant);
    String topic = "sleutelbos/test/" + UUID.randomUUID();
    try (Listener listener = new Listener(topic)) {
      String location = subscribe(t, topic, "[{\"key\":\"MQTT-QoS\",\"value\":\"1\"}]", "normalized", "application/json");
      String id = newId("Meter");
      assertThat(t.post(V1 + "/entities", meter(id, 5)).status()).isEqualTo(201);

      JsonNode payload = listener.await(1).get(0);
      assertThat(payload.path("metadata").path("Content-Type").asText()).isEqualTo("application/json");
      assertThat(payload.path("metadata").path("Link").asText()).contains("json-ld#context");
      assertThat(payload.path("metadata").path("NGSILD-Tenant").asText()).isEqualTo(tenant);
      JsonNode body = payload.path("body");
      assertThat(body.path("type").asText()).isEqualTo("Notification");
      assertThat(body.path("subscriptionId").asText()).isEqualTo(t.get(location).json().path("id").asText());
      assertThat(body.path("data").get(0).path("id").asText()).isEqualTo(id);
      assertThat(body.path("data").get(0).path("power").path("value").asInt()).isEqualTo(5);
      assertThat(t.get(location).json().path("notification").path("timesSent").asLong()).isEqualTo(1);
    }
  }

  @Test
  void manyChangesArriveInOrderAtQos2OverMqtt5AsKeyValuesWithTheContextInTheBody() throws InterruptedException {
    Api t = api.with("NGSILD-Tenant", "mqtt" + UUID.randomUUID().toString().replace("-", ""));
    String topic = "sleutelbos/test/" + UUID.randomUUID();
    try (Listener listener = new Listener(topic)) {
      subscribe(t, topic, "[{\"key\":\"MQTT-QoS\",\"value\":\"2\"},{\"key\":\"MQTT-Version\",\"value\":\"mqtt5.0\"}]",
          "keyValues", "application/ld+json");
      String id = newId("Meter");
      assertThat(t.post(V1 + "/entities", meter(id, 0)).status()).isEqualTo(201);
      for (int i = 1; i <= 30; i++) {
        assertThat(t.patch(V1 + "/entities/" + id + "/attrs", "{\"power\":{\"type\":\"Property\",\"value\":" + i + "}}")
            .status()).isEqualTo(204);
      }

      List<JsonNode> payloads = listener.await(31);
      List<Integer> powers = new ArrayList<>();
      for (JsonNode p : payloads) {
        assertThat(p.path("metadata").path("Content-Type").asText()).isEqualTo("application/ld+json");
        assertThat(p.path("body").has("@context")).isTrue();
        p.path("body").path("data").forEach(e -> powers.add(e.path("power").asInt()));
      }
      assertThat(powers).containsExactlyElementsOf(IntStream.rangeClosed(0, 30).boxed().toList());
    }
  }

  @Test
  void anUnreachableBrokerCountsAsAFailedNotification() throws InterruptedException {
    Api t = api.with("NGSILD-Tenant", "mqtt" + UUID.randomUUID().toString().replace("-", ""));
    Api.Response r = t.post(V1 + "/subscriptions", """
        {"type":"Subscription","entities":[{"type":"Meter"}],
         "notification":{"endpoint":{"uri":"mqtt://127.0.0.1:1/nobody/listens"}}}""");
    assertThat(r.status()).isEqualTo(201);
    String location = r.header("Location").orElseThrow();
    assertThat(t.post(V1 + "/entities", meter(newId("Meter"), 1)).status()).isEqualTo(201);

    JsonNode n = t.get(location).json().path("notification");
    for (int i = 0; i < 300 && !n.has("lastFailure"); i++) {
      Thread.sleep(50);
      n = t.get(location).json().path("notification");
    }
    assertThat(n.path("status").asText()).isEqualTo("failed");
    assertThat(n.has("lastSuccess")).isFalse();
  }
}

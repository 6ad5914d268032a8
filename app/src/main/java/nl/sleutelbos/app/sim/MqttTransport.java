package nl.sleutelbos.app.sim;

import static java.util.Objects.requireNonNull;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import nl.sleutelbos.metering.sim.SimTelegram;

/**
 * The meters' path: each telegram published with QoS 1 on {@code sleutelbos/meters/<meterId>/p1}
 * (after the broker URI's path as a topic root, as the server's subscriber reads it:
 * {@code tcp://host:1883/site-a} publishes on {@code site-a/sleutelbos/meters/...}),
 * carrying the sender's bearer token in the MQTT 5 user property {@code authorization}
 * ({@code Bearer <token>}). The broker's acknowledgement says only that it took the message (or
 * that nobody subscribes: counted as failed); what the ingest made of it is in its metrics.
 */
public final class MqttTransport implements Transport {
  private static final String TOPIC = "sleutelbos/meters/%s/p1";
  private static final int IN_FLIGHT = 2_000;

  private final Mqtt5AsyncClient client;
  private final ClientCredentials credentials;
  private final String topic;
  private final Semaphore permits = new Semaphore(IN_FLIGHT);
  private final SendStats stats = new SendStats();

  private MqttTransport(Mqtt5AsyncClient client, ClientCredentials credentials, String topic) {
    this.client = client;
    this.credentials = credentials;
    this.topic = topic;
  }

  /** Connects to {@code tcp://host:port}, with an optional topic root as its path. */
  public static MqttTransport connect(URI broker, ClientCredentials credentials) throws IOException {
    requireNonNull(credentials, "credentials is null");
    if (!"tcp".equals(broker.getScheme()) && !"mqtt".equals(broker.getScheme()) || broker.getHost() == null) {
      throw new IllegalArgumentException("broker is not tcp://host:port: " + broker);
    }
    Mqtt5AsyncClient client = MqttClient.builder().useMqttVersion5()
        .identifier("sleutelbos-sim-" + UUID.randomUUID())
        .serverHost(broker.getHost()).serverPort(broker.getPort() > 0 ? broker.getPort() : 1883)
        .buildAsync();
    try {
      client.connectWith().cleanStart(true).send().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("cannot connect to the MQTT broker at " + broker + ": " + HttpTransport.rootMessage(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while connecting to " + broker, e);
    }
    String root = broker.getPath() == null ? "" : broker.getPath().replaceAll("^/+|/+$", "");
    return new MqttTransport(client, credentials, (root.isEmpty() ? "" : root + "/") + TOPIC);
  }

  @Override
  public String name() {
    return "mqtt";
  }

  @Override
  public SendStats stats() {
    return stats;
  }

  @Override
  public void send(List<SimTelegram> batch) throws InterruptedException {
    String authorization;
    try {
      authorization = "Bearer " + credentials.token();
    } catch (IOException e) {
      stats.fail(batch.size(), "no token: " + e.getMessage());
      return;
    }
    for (SimTelegram t : batch) {
      permits.acquire();
      stats.sent.increment();
      client.publishWith()
          .topic(topic.formatted(t.meterId()))
          .qos(MqttQos.AT_LEAST_ONCE)
          .payload(t.text().getBytes(StandardCharsets.US_ASCII))
          .userProperties().add("authorization", authorization).applyUserProperties()
          .send()
          .whenComplete((result, error) -> {
            permits.release();
            if (error != null) {
              stats.fail(1, "publish: " + HttpTransport.rootMessage(error));
            } else if (unheard(result)) {
              stats.fail(1, "the broker took the telegram but nobody subscribes to " + topic.formatted("+"));
            }
          });
    }
  }

  private static boolean unheard(Mqtt5PublishResult result) {
    return result instanceof Mqtt5PublishResult.Mqtt5Qos1Result qos1
        && qos1.getPubAck().getReasonCode() == Mqtt5PubAckReasonCode.NO_MATCHING_SUBSCRIBERS;
  }

  @Override
  public void drain(Duration timeout) throws InterruptedException {
    if (permits.tryAcquire(IN_FLIGHT, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      permits.release(IN_FLIGHT);
    }
  }

  @Override
  public void close() {
    try {
      client.disconnect().get(5, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // already gone: nothing to release
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

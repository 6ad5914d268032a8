package nl.sleutelbos.app.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.ngsild.subscription.Endpoint;
import nl.sleutelbos.ngsild.subscription.Notification;
import nl.sleutelbos.ngsild.subscription.Notifier;

/**
 * Notifications over MQTT (the MQTT binding of NGSI-LD, clause 7.4 of CIM 009 v1.8): the payload
 * is {@code {"metadata": {...}, "body": {...}}}, the metadata holding what HTTP would put in
 * headers (Content-Type, Link, NGSILD-Tenant, receiverInfo). The topic is the endpoint's path;
 * the QoS and protocol version come from notifierInfo {@code MQTT-QoS} and {@code MQTT-Version}.
 *
 * <p>One connection per broker, version and credentials, opened on first use and dropped after a
 * failure, so the next attempt connects afresh. Publishing blocks until the broker has
 * acknowledged (QoS 1 and 2), which is when the dispatcher may move its cursor.
 */
public final class MqttNotifier implements Notifier {
  private static final String CONTEXT_REL = "http://www.w3.org/ns/json-ld#context";

  private final Duration timeout;
  private final Map<String, Connection> connections = new ConcurrentHashMap<>();

  public MqttNotifier(Duration timeout) {
    this.timeout = timeout;
  }

  /** One broker connection; publishing on it is serialised, as the blocking clients want. */
  private sealed interface Connection permits V3, V5 {
    void publish(String topic, MqttQos qos, byte[] payload);

    void disconnect();
  }

  private record V3(Mqtt3BlockingClient client) implements Connection {
    @Override
    public synchronized void publish(String topic, MqttQos qos, byte[] payload) {
      client.publishWith().topic(topic).qos(qos).payload(payload).send();
    }

    @Override
    public void disconnect() {
      client.disconnect();
    }
  }

  private record V5(Mqtt5BlockingClient client) implements Connection {
    @Override
    public synchronized void publish(String topic, MqttQos qos, byte[] payload) {
      Mqtt5PublishResult result = client.publishWith().topic(topic).qos(qos).payload(payload)
          .contentType("application/json").send();
      result.getError().ifPresent(e -> {
        throw new IllegalStateException("broker refused the publish: " + e.getMessage(), e);
      });
    }

    @Override
    public void disconnect() {
      client.disconnect();
    }
  }

  @Override
  public void send(Notification n) throws DeliveryException {
    Endpoint endpoint = n.endpoint();
    URI uri = endpoint.uri();
    String topic = uri.getPath().substring(1);
    MqttQos qos = MqttQos.fromCode(Integer.parseInt(endpoint.notifierInfo().getOrDefault("MQTT-QoS", "0")));
    String version = endpoint.notifierInfo().getOrDefault("MQTT-Version", "mqtt3.1.1");
    String key = version + " " + uri.getScheme() + "://" + uri.getRawAuthority();
    Connection connection = null;
    try {
      connection = connections.computeIfAbsent(key, k -> connect(uri, version));
      connection.publish(topic, qos, Json.writeBytes(payload(n)));
    } catch (RuntimeException e) {
      Connection broken = connections.remove(key);
      if (broken != null) {
        try {
          broken.disconnect();
        } catch (RuntimeException ignored) {
          // Already gone; we only drop it.
        }
      }
      throw new DeliveryException("MQTT publish to " + uri.getScheme() + "://" + uri.getHost() + ":" + port(uri)
          + "/" + topic + " failed: " + e.getMessage(), e);
    }
  }

  private static ObjectNode payload(Notification n) {
    Endpoint endpoint = n.endpoint();
    boolean ld = endpoint.accept().equals(Endpoint.LD_JSON);
    ObjectNode payload = Json.object();
    ObjectNode metadata = payload.putObject("metadata");
    metadata.put("Content-Type", endpoint.accept());
    if (!ld) {
      metadata.put("Link", "<" + n.contextLink() + ">; rel=\"" + CONTEXT_REL + "\"; type=\"application/ld+json\"");
    }
    if (!n.tenant().isEmpty()) {
      metadata.put("NGSILD-Tenant", n.tenant());
    }
    endpoint.receiverInfo().forEach(metadata::put);
    payload.set("body", ld ? n.bodyWithContext() : n.body());
    return payload;
  }

  private Connection connect(URI uri, String version) {
    String id = "sleutelbos-" + UUID.randomUUID();
    String user = null;
    byte[] password = null;
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      user = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
      password = parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8) : null;
    }
    boolean tls = uri.getScheme().equals("mqtts");
    if (version.equals("mqtt5.0")) {
      Mqtt5ClientBuilder b = MqttClient.builder().useMqttVersion5().identifier(id).serverHost(uri.getHost())
          .serverPort(port(uri));
      if (tls) {
        b = b.sslWithDefaultConfig();
      }
      Mqtt5BlockingClient client = b.buildBlocking();
      var connect = client.connectWith().cleanStart(true);
      if (user != null) {
        var auth = connect.simpleAuth().username(user);
        if (password != null) {
          auth = auth.password(password);
        }
        connect = auth.applySimpleAuth();
      }
      connect.send();
      return new V5(client);
    }
    Mqtt3ClientBuilder b = MqttClient.builder().useMqttVersion3().identifier(id).serverHost(uri.getHost())
        .serverPort(port(uri));
    if (tls) {
      b = b.sslWithDefaultConfig();
    }
    Mqtt3BlockingClient client = b.buildBlocking();
    var connect = client.connectWith().cleanSession(true).keepAlive((int) Math.max(10, timeout.toSeconds() * 3));
    if (user != null) {
      var auth = connect.simpleAuth().username(user);
      if (password != null) {
        auth = auth.password(password);
      }
      connect = auth.applySimpleAuth();
    }
    connect.send();
    return new V3(client);
  }

  private static int port(URI uri) {
    return uri.getPort() > 0 ? uri.getPort() : uri.getScheme().equals("mqtts") ? 8883 : 1883;
  }

  @Override
  public void close() {
    for (Connection c : connections.values()) {
      try {
        c.disconnect();
      } catch (RuntimeException ignored) {
        // Shutting down; the broker drops the session itself.
      }
    }
    connections.clear();
  }
}

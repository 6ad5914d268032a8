package nl.sleutelbos.app.ingest;

import static java.util.Objects.requireNonNull;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperty;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import nl.sleutelbos.identity.Organisation;

/**
 * Meter readings over MQTT: one shared subscription ({@code $share/<group>/sleutelbos/meters/+/p1})
 * at QoS 1 on a persistent session (clean start off, a session that outlives a restart), so several
 * Sleutelbos instances share the load and the broker keeps what arrives while none listens.
 *
 * <p><b>One share group per installation</b> ({@link #groupFor}): the broker hands each message
 * of a shared subscription to one member of the group, connected or not, so a stale session of
 * another installation in the same group (a test run, an old demo directory) would silently take
 * a share of the readings into a queue nobody reads. The group is named after an id kept in the
 * installation's own store: every node of one installation shares it, no other does.
 *
 * <p><b>Acknowledged only after commit.</b> Messages are acknowledged by hand, after the batch
 * they were written in has committed. A crash between receipt and commit leaves them
 * unacknowledged in the session, and the broker delivers them again when the session resumes;
 * telegrams that were committed but not yet acknowledged come again too, and change nothing
 * (see {@link MeterModel}). Rejected telegrams are acknowledged with their batch: they are
 * counted, and delivering them again would not make them better.
 *
 * <p>Each message is a telegram published to {@code sleutelbos/meters/<meterId>/p1} with the
 * sender's bearer token in the MQTT 5 user property {@code authorization} ({@code Bearer ...});
 * the topic's meter id must be one the sender may write (its own, for a meter) and the one the
 * telegram names.
 *
 * <p>A path in the broker URI ({@code tcp://host:1883/site-a}) is a topic root put before
 * {@code sleutelbos/meters/...}, so that two installations (or two test runs) can share a broker.
 */
public final class MqttIngest implements AutoCloseable {
  public static final String TOPIC_PREFIX = "sleutelbos/meters/";
  /** How long the broker keeps the session (and what arrives for it) while no instance is connected. */
  static final long SESSION_EXPIRY_SECONDS = 24 * 3600;
  static final int MAX_BATCH = 5_000;
  static final int RECEIVE_MAXIMUM = 65_535;
  private static final Logger LOG = Logger.getLogger(MqttIngest.class.getName());

  /** Writes a batch; normally {@link Ingest#commit}. Throws if the commit failed. */
  @FunctionalInterface
  public interface Sink {
    List<TelegramResult> commit(Ingest.Batch batch);
  }

  private final Ingest ingest;
  private final DeviceGate gate;
  private final Sink sink;
  private final Clock clock;
  private final Mqtt5AsyncClient client;
  private final BlockingQueue<Mqtt5Publish> inbox = new LinkedBlockingQueue<>();
  private final String topicPrefix;
  private final Thread worker;
  private volatile boolean running = true;
  private volatile boolean closed;

  private MqttIngest(Ingest ingest, DeviceGate gate, Sink sink, Clock clock, Mqtt5AsyncClient client,
      String topicPrefix) {
    this.topicPrefix = topicPrefix;
    this.ingest = ingest;
    this.gate = gate;
    this.sink = sink;
    this.clock = clock;
    this.client = client;
    this.worker = Thread.ofPlatform().name("mqtt-ingest").daemon(true).unstarted(this::work);
  }

  /**
   * Connects to the broker ({@code tcp://host:port} or {@code mqtt://host:port}) as
   * {@code clientId}, resuming that client's session if the broker still has it, and subscribes
   * in the share group {@code group}, writing each batch through {@code sink}.
   */
  public static MqttIngest start(URI broker, String clientId, String group, Ingest ingest,
      nl.sleutelbos.identity.Authenticator authenticator, nl.sleutelbos.auth.EnforcementPoint pep, Sink sink,
      Clock clock) {
    return start(broker, clientId, group, ingest, new DeviceGate(authenticator, pep, clock), sink, clock);
  }

  private static MqttIngest start(URI broker, String clientId, String group, Ingest ingest, DeviceGate gate, Sink sink,
      Clock clock) {
    requireNonNull(broker, "broker is null");
    Mqtt5AsyncClient client = MqttClient.builder().useMqttVersion5()
        .identifier(clientId)
        .serverHost(broker.getHost())
        .serverPort(broker.getPort() > 0 ? broker.getPort() : 1883)
        .automaticReconnectWithDefaultConfig()
        .buildAsync();
    String root = broker.getPath() == null ? "" : broker.getPath().replaceAll("^/+|/+$", "");
    String prefix = (root.isEmpty() ? "" : root + "/") + TOPIC_PREFIX;
    MqttIngest mqtt = new MqttIngest(ingest, gate, sink, clock, client, prefix);
    // Registered before connecting: a resumed session delivers at once.
    client.publishes(MqttGlobalPublishFilter.ALL, mqtt.inbox::add, true);
    client.connectWith()
        .cleanStart(false)
        .sessionExpiryInterval(SESSION_EXPIRY_SECONDS)
        .restrictions().receiveMaximum(RECEIVE_MAXIMUM).applyRestrictions()
        .send().join();
    client.subscribeWith().topicFilter("$share/" + group + "/" + prefix + "+/p1").qos(MqttQos.AT_LEAST_ONCE).send().join();
    mqtt.worker.start();
    return mqtt;
  }

  /** The share group of the installation whose store this is: {@code sleutelbos-<id>}, the id made on first use. */
  public static String groupFor(nl.sleutelbos.store.DocumentStore documents) {
    documents.putIfAbsent("installation", "id", java.util.UUID.randomUUID().toString().substring(0, 8));
    return "sleutelbos-" + documents.get("installation", "id").orElseThrow();
  }

  /**
   * The client id of the instance using this data directory: stable across restarts (so the
   * session resumes) and different for two instances (so each has its own).
   */
  public static String clientIdFor(java.nio.file.Path dataDir) {
    String path = dataDir.toAbsolutePath().normalize().toString();
    return "sleutelbos-ingest-" + Integer.toHexString(path.hashCode());
  }

  private void work() {
    List<Mqtt5Publish> batch = new ArrayList<>();
    while (running) {
      try {
        Mqtt5Publish first = inbox.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        inbox.drainTo(batch, MAX_BATCH - 1);
        process(batch);
        batch.clear();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // The commit failed: nothing was acknowledged. Try the same batch again after a pause;
        // if we stop meanwhile, the broker delivers it again to the next session.
        LOG.log(Level.WARNING, "MQTT ingest batch of " + batch.size() + " failed; retrying", e);
        try {
          Thread.sleep(500);
        } catch (InterruptedException stop) {
          return;
        }
        if (running) {
          inbox.addAll(batch);
        }
        batch.clear();
      }
    }
  }

  private void process(List<Mqtt5Publish> messages) {
    Instant now = clock.instant();
    List<Submission> submissions = new ArrayList<>(messages.size());
    List<Integer> slot = new ArrayList<>(messages.size());
    List<TelegramResult> refused = new ArrayList<>();
    // A head-end sends a batch's messages under one token: admitted once per batch, not per message.
    Optional<String> admitted = Optional.empty();
    DeviceGate.Admission admission = null;
    for (Mqtt5Publish m : messages) {
      String topic = m.getTopic().toString();
      Optional<String> meter = meterOf(topicPrefix, topic);
      Optional<String> authorization = authorization(m);
      if (admission == null || !authorization.equals(admitted)) {
        admission = gate.admit(authorization);
        admitted = authorization;
      }
      String reason = meter.isEmpty() ? "topic " + topic + " is not " + topicPrefix + "<meterId>/p1"
          : admission instanceof DeviceGate.Refused r ? r.reason()
          : !((DeviceGate.Admitted) admission).scope().permits(meter.get())
              ? "this sender may not write the readings of meter " + meter.get() : null;
      if (reason != null) {
        refused.add(new TelegramResult.Rejected(meter, TelegramResult.Reason.FORBIDDEN, reason));
        slot.add(-1);
        continue;
      }
      slot.add(submissions.size());
      submissions.add(Submission.of(meter, now, m.getPayloadAsBytes()));
    }
    if (!submissions.isEmpty()) {
      sink.commit(ingest.prepare(submissions, MeterScope.ANY));
    }
    ingest.count(refused);
    for (Mqtt5Publish m : messages) {
      m.acknowledge();
    }
  }

  private static Optional<String> authorization(Mqtt5Publish m) {
    for (Mqtt5UserProperty p : m.getUserProperties().asList()) {
      if (p.getName().toString().toLowerCase(Locale.ROOT).equals("authorization")) {
        return Optional.of(p.getValue().toString());
      }
    }
    return Optional.empty();
  }

  /** The meter id of a topic {@code <prefix><meterId>/p1}. */
  static Optional<String> meterOf(String prefix, String topic) {
    if (!topic.startsWith(prefix) || !topic.endsWith("/p1") || topic.length() < prefix.length() + 4) {
      return Optional.empty();
    }
    String id = topic.substring(prefix.length(), topic.length() - 3);
    return Organisation.isName(id) ? Optional.of(id) : Optional.empty();
  }

  /**
   * Stops: the worker finishes the batch in hand (so what it committed is acknowledged), and the
   * session stays with the broker for the next start.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    running = false;
    try {
      worker.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      client.disconnect().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.log(Level.FINE, "MQTT disconnect", e);
    }
  }
}

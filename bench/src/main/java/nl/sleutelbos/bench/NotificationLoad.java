package nl.sleutelbos.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import nl.sleutelbos.app.Settings;
import nl.sleutelbos.app.Sleutelbos;
import nl.sleutelbos.ngsild.subscription.DeliverySettings;
import nl.sleutelbos.store.StoreConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Notification throughput and delay, to one HTTP receiver and one MQTT topic, against a server in
 * this JVM (SQLite under a temporary directory).
 *
 * <p>Two phases per transport:
 * <ul>
 *   <li><b>drain</b>: a subscription first points at an endpoint nobody listens on while
 *       {@code --backlog} changes are written (batch upserts of 100 meters, each a change); then it
 *       is pointed at the real receiver, and the phase measures how fast the backlog arrives, in
 *       changes/s and notifications/s (a notification carries up to 100 changes).
 *   <li><b>live</b>: {@code --concurrency} writers update one meter each, back to back, for
 *       {@code --seconds}; each update carries {@code System.nanoTime()} and the receiver measures
 *       write-to-notification delay (p50, p99), which includes the write's own durable commit.
 * </ul>
 * MQTT uses QoS 1 through the Mosquitto broker on 127.0.0.1:1883; the subscriber is a HiveMQ client
 * in this JVM.
 * <pre>
 * java -cp bench/target/benchmarks.jar nl.sleutelbos.bench.NotificationLoad --backlog 20000 --seconds 10
 * </pre>
 */
@Command(name = "notifications", mixinStandardHelpOptions = true,
    description = "Notification throughput and delay over HTTP and MQTT.")
public final class NotificationLoad implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--backlog", defaultValue = "20000", description = "Changes in the drain phase (default ${DEFAULT-VALUE}).")
  int backlog;

  @Option(names = "--seconds", defaultValue = "10", description = "Seconds of the live phase (default ${DEFAULT-VALUE}).")
  int seconds;

  @Option(names = "--concurrency", defaultValue = "4", description = "Writers in the live phase (default ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--transports", defaultValue = "http,mqtt", split = ",", description = "http, mqtt (default ${DEFAULT-VALUE}).")
  List<String> transports;

  /** One phase's figures. */
  public record Result(String transport, String phase, long changes, long notifications, double seconds, double p50,
      double p99) {
    double changesPerSecond() {
      return changes / seconds;
    }
  }

  private BearerToken bearer;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final List<Result> results = new ArrayList<>();
  private String base;

  /** Counts what arrives and, for live changes, the delay since the write. */
  private static final class Sink {
    final AtomicLong changes = new AtomicLong();
    final AtomicLong notifications = new AtomicLong();
    final Histogram delays = new Histogram();
    volatile long lastArrival;

    void take(JsonNode notification) {
      long now = System.nanoTime();
      notifications.incrementAndGet();
      for (JsonNode entity : notification.path("data")) {
        JsonNode stamp = entity.path("stamp");
        if (stamp.isNumber() && stamp.asLong() > 0) { // 0: the meter as first written
          synchronized (delays) {
            delays.record(now - stamp.asLong());
          }
        }
        changes.incrementAndGet();
      }
      lastArrival = now;
    }

    void reset() {
      changes.set(0);
      notifications.set(0);
    }
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new NotificationLoad()).execute(args));
  }

  List<Result> results() {
    return results;
  }

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory("sleutelbos-notify");
    DeliverySettings delivery = new DeliverySettings(Duration.ofMillis(50), Duration.ofMillis(200),
        Duration.ofSeconds(1), 100, Duration.ofSeconds(10));
    try (Sleutelbos server = Sleutelbos.start(new Settings("127.0.0.1", 0, dir,
        new StoreConfig.Sqlite(dir.resolve("sleutelbos.db")), Settings.DEFAULT_MAX_BODY * 4, null).withDelivery(delivery))) {
      base = "http://127.0.0.1:" + server.port() + "/ngsi-ld/v1";
      bearer = new BearerToken(http, "http://127.0.0.1:" + server.port(), dir.resolve("bootstrap-admin.json"));
      for (String transport : transports) {
        switch (transport) {
          case "http" -> http();
          case "mqtt" -> mqtt();
          default -> throw new CommandLine.ParameterException(new CommandLine(this), "unknown transport " + transport);
        }
      }
    }
    System.out.println("transport phase  changes notifications seconds changes/s notifications/s p50ms p99ms");
    for (Result r : results) {
      System.out.println(String.format(Locale.ROOT, "%-9s %-6s %7d %13d %7.2f %9.0f %15.0f %5.1f %5.1f", r.transport(),
          r.phase(), r.changes(), r.notifications(), r.seconds(), r.changesPerSecond(), r.notifications() / r.seconds(),
          r.p50(), r.p99()));
    }
    return 0;
  }

  private void http() throws Exception {
    Sink sink = new Sink();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    receiver.createContext("/", exchange -> {
      sink.take(JSON.readTree(exchange.getRequestBody().readAllBytes()));
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    receiver.start();
    try {
      run("http", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/notify", "http://127.0.0.1:1/nobody", "[]",
          sink);
    } finally {
      receiver.stop(0);
    }
  }

  private void mqtt() throws Exception {
    Sink sink = new Sink();
    String topic = "sleutelbos/bench/" + UUID.randomUUID();
    Mqtt3AsyncClient subscriber = MqttClient.builder().useMqttVersion3().identifier("bench-" + UUID.randomUUID())
        .serverHost("127.0.0.1").serverPort(1883).buildAsync();
    subscriber.connect().join();
    subscriber.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).callback(p -> {
      try {
        sink.take(JSON.readTree(p.getPayloadAsBytes()).path("body"));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }).send().join();
    try {
      run("mqtt", "mqtt://127.0.0.1:1883/" + topic, "mqtt://127.0.0.1:1/nobody",
          "[{\"key\":\"MQTT-QoS\",\"value\":\"1\"}]", sink);
    } finally {
      subscriber.disconnect().join();
    }
  }

  private void run(String transport, String endpoint, String nowhere, String notifierInfo, Sink sink) throws Exception {
    String tenant = "bench" + transport + UUID.randomUUID().toString().substring(0, 8);
    String location = send("POST", "/subscriptions", tenant, """
        {"type":"Subscription","entities":[{"type":"Meter"}],
         "notification":{"format":"keyValues","endpoint":{"uri":"%s","notifierInfo":%s}}}"""
        .formatted(nowhere, notifierInfo)).headers().firstValue("Location").orElseThrow();
    String subscription = location.substring(location.lastIndexOf('/') + 1);

    // drain: a backlog written while the endpoint is unreachable, then delivered at full speed
    for (int written = 0; written < backlog; written += 100) {
      StringBuilder batch = new StringBuilder("[");
      for (int i = 0; i < 100; i++) {
        batch.append(i == 0 ? "" : ",").append("{\"id\":\"urn:ngsi-ld:Meter:b").append(written + i)
            .append("\",\"type\":\"Meter\",\"power\":{\"type\":\"Property\",\"value\":").append(i).append("}}");
      }
      send("POST", "/entityOperations/upsert", tenant, batch.append(']').toString());
    }
    sink.reset();
    long start = System.nanoTime();
    send("PATCH", "/subscriptions/" + subscription, tenant,
        "{\"notification\":{\"endpoint\":{\"uri\":\"%s\",\"notifierInfo\":%s}}}".formatted(endpoint, notifierInfo));
    awaitChanges(sink, backlog);
    results.add(new Result(transport, "drain", sink.changes.get(), sink.notifications.get(),
        (sink.lastArrival - start) / 1e9, Double.NaN, Double.NaN));

    // live: updates back to back; the delay from each write to its notification
    sink.reset();
    AtomicLong writes = new AtomicLong();
    long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    start = System.nanoTime();
    try (ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < concurrency; w++) {
        String id = "urn:ngsi-ld:Meter:live" + w;
        send("POST", "/entityOperations/upsert", tenant, "[{\"id\":\"" + id
            + "\",\"type\":\"Meter\",\"stamp\":{\"type\":\"Property\",\"value\":0}}]");
        writes.incrementAndGet();
        done.add(writers.submit(() -> {
          while (System.nanoTime() < end) {
            send("PATCH", "/entities/" + id + "/attrs", tenant,
                "{\"stamp\":{\"type\":\"Property\",\"value\":" + System.nanoTime() + "}}");
            writes.incrementAndGet();
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    }
    awaitChanges(sink, writes.get());
    results.add(new Result(transport, "live", sink.changes.get(), sink.notifications.get(),
        (sink.lastArrival - start) / 1e9, sink.delays.millis(0.5), sink.delays.millis(0.99)));
  }

  private static void awaitChanges(Sink sink, long n) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (sink.changes.get() < n) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("only " + sink.changes.get() + " of " + n + " changes arrived");
      }
      Thread.sleep(5);
    }
  }

  private HttpResponse<String> send(String method, String path, String tenant, String body) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
        .method(method, HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json").header("NGSILD-Tenant", tenant)
        .header("Authorization", bearer.header()).build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2 || response.statusCode() == 207) { // 207: some attributes not written
      throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return response;
  }
}

package nl.sleutelbos.app.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A real HTTP receiver of notifications: it records every POST it takes (body and headers) and
 * can be taken down (the port refuses connections) and brought up again on the same port.
 */
final class Receiver implements AutoCloseable {
  /** One notification as it arrived. */
  record Received(String path, JsonNode body, Map<String, List<String>> headers) {
    String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }
  }

  private final List<Received> received = new ArrayList<>();
  private HttpServer server;
  private int port;

  Receiver() {
    start(0);
  }

  private synchronized void start(int wanted) {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", wanted), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      Received r = new Received(exchange.getRequestURI().getPath(), Api.MAPPER.readTree(body),
          Map.copyOf(exchange.getRequestHeaders()));
      synchronized (Receiver.this) {
        received.add(r);
        Receiver.this.notifyAll();
      }
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    server.start();
    port = server.getAddress().getPort();
  }

  String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  /** Stops listening: connections to the port are refused until {@link #up()}. */
  synchronized void down() {
    server.stop(0);
  }

  synchronized void up() {
    start(port);
  }

  synchronized List<Received> received() {
    return List.copyOf(received);
  }

  /** Every entity of every notification, in arrival order. */
  synchronized List<JsonNode> entities() {
    List<JsonNode> all = new ArrayList<>();
    for (Received r : received) {
      r.body().path("data").forEach(all::add);
    }
    return all;
  }

  /** Waits until the condition holds on what arrived; fails after a generous while. */
  synchronized List<Received> await(Predicate<List<Received>> condition) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (!condition.test(received)) {
      long left = Duration.between(Instant.now(), deadline).toMillis();
      if (left <= 0) {
        throw new AssertionError("the receiver did not get what was expected; it got " + received);
      }
      try {
        wait(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    return List.copyOf(received);
  }

  /** Waits until at least n entities arrived in all. */
  List<JsonNode> awaitEntities(int n) {
    await(all -> all.stream().mapToInt(r -> r.body().path("data").size()).sum() >= n);
    return entities();
  }

  @Override
  public synchronized void close() {
    server.stop(0);
  }
}

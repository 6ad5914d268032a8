package nl.sleutelbos.ngsild.context;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import nl.sleutelbos.ngsild.ErrorType;
import nl.sleutelbos.ngsild.NgsiLdException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a real HTTP server on the loopback interface. */
class HttpContextFetcherTest {
  private static final String CONTEXT =
      "{\"@context\": {\"Meter\": \"https://models.example/Meter\", \"power\":"
          + " \"https://models.example/power\"}}";

  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<String> acceptHeaders = new CopyOnWriteArrayList<>();
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final HttpContextFetcher fetcher = new HttpContextFetcher(Duration.ofMillis(3000), 1000);
  // Holds the slow answer until the test ends: a sleep shorter than the timeout would make the
  // other tests flaky on a loaded machine, a longer one would slow the suite.
  private final java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);
  private HttpServer server;
  private String base;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    // GitHub serves raw .jsonld files as text/plain; that must not matter.
    server.createContext(
        "/meter.jsonld", ex -> answer(ex, 200, "text/plain; charset=utf-8", CONTEXT));
    server.createContext("/missing.jsonld", ex -> answer(ex, 404, "text/plain", "not found"));
    server.createContext(
        "/page.html", ex -> answer(ex, 200, "text/html", "<html><body>hi</body></html>"));
    server.createContext(
        "/big.jsonld",
        ex ->
            answer(
                ex,
                200,
                "application/ld+json",
                "{\"@context\": {\"x\": \"" + "y".repeat(2000) + "\"}}"));
    server.createContext(
        "/moved.jsonld",
        ex -> {
          ex.getResponseHeaders().add("Location", "/meter.jsonld");
          answer(ex, 301, "text/plain", "moved");
        });
    server.createContext(
        "/slow.jsonld",
        ex -> {
          try {
            released.await(30, java.util.concurrent.TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          answer(ex, 200, "application/ld+json", CONTEXT);
        });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    released.countDown();
    server.stop(0);
    executor.shutdownNow();
  }

  @Test
  void fetchesAJsonDocumentAskingForJsonLd() {
    JsonNode document = fetcher.fetch(base + "/meter.jsonld");

    assertThat(document.get("@context").get("Meter").textValue())
        .isEqualTo("https://models.example/Meter");
    assertThat(acceptHeaders).containsExactly("application/ld+json, application/json");
  }

  @Test
  void followsRedirects() {
    assertThat(fetcher.fetch(base + "/moved.jsonld").has("@context")).isTrue();
    assertThat(requests).containsExactly("/moved.jsonld", "/meter.jsonld");
  }

  @Test
  void refusesWhatItCannotUse() {
    assertNotAvailable(base + "/missing.jsonld", "HTTP 404");
    assertNotAvailable(base + "/page.html", "not JSON");
    assertNotAvailable(base + "/big.jsonld", "larger than 1000 bytes");
    assertNotAvailable(base + "/slow.jsonld", "no answer within 3000 ms");
    assertNotAvailable("file:///etc/hostname", "only http and https");
    assertNotAvailable("https://exa mple.org/x", "not a valid URL");
  }

  @Test
  void anUnreachableServerIsNotAvailable() throws IOException {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }

    assertNotAvailable("http://127.0.0.1:" + port + "/ctx.jsonld", "cannot download it");
  }

  @Test
  void aRequestWithALinkHeaderUrlDownloadsTheContextOnce() {
    ContextRegistry registry =
        new ContextRegistry(
            new InMemoryDocumentStore(),
            fetcher,
            "http://localhost:1026/ngsi-ld/v1/jsonldContexts/",
            Clock.systemUTC(),
            ContextRegistry.Settings.DEFAULT);
    LdContexts contexts = new LdContexts(registry, Clock.systemUTC());

    LdContext ctx = contexts.resolveLink(base + "/meter.jsonld");
    contexts.resolve(
        LdContextTest.json("[\"" + base + "/meter.jsonld\", {\"x\": \"https://x.example/x\"}]"));

    assertThat(ctx.expandTerm("power")).isEqualTo("https://models.example/power");
    assertThat(ctx.compactIri("https://models.example/Meter")).isEqualTo("Meter");
    assertThat(requests).containsExactly("/meter.jsonld");
  }

  private void answer(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    requests.add(exchange.getRequestURI().getPath());
    String accept = exchange.getRequestHeaders().getFirst("Accept");
    if (accept != null && status == 200) acceptHeaders.add(accept);
    byte[] bytes = body.getBytes(UTF_8);
    exchange.getResponseHeaders().add("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private void assertNotAvailable(String url, String messagePart) {
    assertThatThrownBy(() -> fetcher.fetch(url))
        .isInstanceOfSatisfying(
            NgsiLdException.class,
            e -> assertThat(e.type()).isEqualTo(ErrorType.LD_CONTEXT_NOT_AVAILABLE))
        .hasMessageContaining(url)
        .hasMessageContaining(messagePart);
  }
}

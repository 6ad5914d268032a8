package nl.sleutelbos.app.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import nl.sleutelbos.ngsild.ErrorType;
import nl.sleutelbos.ngsild.NgsiLdException;

/**
 * The HTTP server: Helidon SE on virtual threads, with every request going through one handler
 * that hands it to the router owning its path prefix. Keeping the dispatch in one place is what
 * lets the policy enforcement point (a later issue) sit in front of every route at once.
 */
public final class HttpApi implements AutoCloseable {
  private final WebServer server;
  private final AtomicReference<Mounted> mounted;

  /** The routers and the bearer-token check in front of all of them, swapped in together. */
  private record Mounted(List<Router> routers, BearerGate gate) {}

  private HttpApi(WebServer server, AtomicReference<Mounted> mounted) {
    this.server = server;
    this.mounted = mounted;
  }

  /**
   * Starts listening.
   *
   * @param host the address to bind, for example {@code 0.0.0.0} or {@code 127.0.0.1}
   * @param port the port, 0 for any free one
   * @param maxBodyBytes the largest request body accepted (larger ones get 413)
   */
  public static HttpApi start(String host, int port, long maxBodyBytes) {
    // Routers are mounted after the server is listening, because some need the bound port (the
    // URLs of hosted @contexts); until then every request gets 503.
    AtomicReference<Mounted> mounted = new AtomicReference<>(null);
    Problems problems = new Problems();
    WebServer server = WebServer.builder()
        .host(host)
        .port(port)
        // The Exchange enforces the body limit with a problem-details answer; Helidon's own
        // limit is only a backstop against bodies far beyond it.
        .maxPayloadSize(Math.max(maxBodyBytes * 4, 16L << 20))
        // NGSI-LD clients send q, ids and patterns with ':', '"', '<' and '>' unencoded (curl
        // does), which Helidon's strict prologue check refuses with an empty 400. The Router
        // decodes and checks what it uses, so the lenient parse is safe.
        .protocols(List.of(Http1Config.builder().validatePrologue(false).validatePath(false).build()))
        .routing(routing -> routing.any((ServerRequest req, ServerResponse res) -> {
          String path = req.prologue().uriPath().rawPathNoParams();
          if (path.equals("/health")) {
            res.headers().set(HeaderNames.CONTENT_TYPE, "application/json");
            res.send("{\"status\":\"UP\"}");
            return;
          }
          Mounted current = mounted.get();
          if (current == null) {
            problems.send(res, new NgsiLdException(ErrorType.SERVICE_UNAVAILABLE, "the server is starting"));
            return;
          }
          // Authentication happens here, once, before any router sees the request.
          if (!current.gate().admit(req, res, path)) {
            return;
          }
          for (Router router : current.routers()) {
            if (router.handle(req, res)) {
              return;
            }
          }
          problems.send(res, NgsiLdException.notFound("no such resource: " + path));
        }))
        .build()
        .start();
    return new HttpApi(server, mounted);
  }

  /**
   * Starts answering with these routers, in order; each owns the paths under its prefix. Every
   * request passes the gate first.
   */
  public void mount(List<Router> list, BearerGate gate) {
    mounted.set(new Mounted(List.copyOf(list), gate));
  }

  public int port() {
    return server.port();
  }

  @Override
  public void close() {
    server.stop();
  }
}

package nl.sleutelbos.app.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import nl.sleutelbos.ngsild.NgsiLdException;

/**
 * The HTTP server: Helidon SE on virtual threads, with every request going through one handler
 * that hands it to the router owning its path prefix. Keeping the dispatch in one place is what
 * lets the policy enforcement point (a later issue) sit in front of every route at once.
 */
public final class HttpApi implements AutoCloseable {
  private final WebServer server;

  private HttpApi(WebServer server) {
    this.server = server;
  }

  /**
   * Starts listening.
   *
   * @param host the address to bind, for example {@code 0.0.0.0} or {@code 127.0.0.1}
   * @param port the port, 0 for any free one
   * @param maxBodyBytes the largest request body accepted (larger ones get 413)
   */
  public static HttpApi start(String host, int port, long maxBodyBytes, List<Router> routers) {
    Exchange.maxBodyBytes = maxBodyBytes;
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
          for (Router router : routers) {
            if (router.handle(req, res)) {
              return;
            }
          }
          problems.send(res, NgsiLdException.notFound("no such resource: " + path));
        }))
        .build()
        .start();
    return new HttpApi(server);
  }

  public int port() {
    return server.port();
  }

  @Override
  public void close() {
    server.stop();
  }
}

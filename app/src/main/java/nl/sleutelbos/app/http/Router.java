package nl.sleutelbos.app.http;

import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import nl.sleutelbos.ngsild.ErrorType;
import nl.sleutelbos.ngsild.NgsiLdException;

/**
 * The one place where requests meet routes. It matches the <em>raw</em> path segment by segment
 * and decodes each captured segment itself, because NGSI-LD ids and attribute IRIs travel
 * percent-encoded and may contain {@code /} ({@code %2F}) that must not split a segment. An
 * unknown path is a 404 and a known path with another method a 405, both as problem details;
 * a query parameter the route does not know is a 400.
 */
public final class Router {
  private final String prefix;
  private final List<Route> routes;
  private final List<List<String>> templates; // routes' templates split once, matched per request
  private final Problems problems;
  private final long maxBodyBytes;

  /** @param maxBodyBytes the largest request body a route accepts; larger ones get 413 */
  public Router(String prefix, List<Route> routes, Problems problems, long maxBodyBytes) {
    this.prefix = prefix;
    this.routes = List.copyOf(routes);
    this.templates = this.routes.stream().map(r -> split(r.template())).toList();
    this.problems = problems;
    this.maxBodyBytes = maxBodyBytes;
  }

  public List<Route> routes() {
    return routes;
  }

  public String prefix() {
    return prefix;
  }

  /** Handles the request if its path is under this router's prefix; returns false otherwise. */
  public boolean handle(ServerRequest req, ServerResponse res) {
    String raw = req.prologue().uriPath().rawPathNoParams();
    if (!raw.equals(prefix) && !raw.startsWith(prefix + "/")) {
      return false;
    }
    List<String> path = split(raw.substring(prefix.length()));
    Exchange exchange = null;
    try {
      String method = req.prologue().method().text();
      Set<String> allowed = new TreeSet<>();
      for (int i = 0; i < routes.size(); i++) {
        Route route = routes.get(i);
        Map<String, String> params = match(templates.get(i), path);
        if (params == null) {
          continue;
        }
        if (!route.method().equals(method)) {
          allowed.add(route.method());
          continue;
        }
        exchange = new Exchange(req, res, route, params, maxBodyBytes);
        exchange.checkParameters();
        route.handler().handle(exchange);
        return true;
      }
      if (!allowed.isEmpty()) {
        res.header("Allow", String.join(", ", allowed));
        throw new NgsiLdException(ErrorType.METHOD_NOT_ALLOWED,
            method + " is not allowed on " + raw + "; allowed: " + String.join(", ", allowed));
      }
      throw NgsiLdException.notFound("no such resource: " + raw);
    } catch (Exception e) {
      problems.send(res, e);
      return true;
    }
  }

  private static Map<String, String> match(List<String> template, List<String> path) {
    if (template.size() != path.size()) {
      return null;
    }
    Map<String, String> params = new HashMap<>();
    for (int i = 0; i < template.size(); i++) {
      String t = template.get(i);
      String p = path.get(i);
      if (t.startsWith("{") && t.endsWith("}")) {
        if (p.isEmpty()) {
          return null;
        }
        params.put(t.substring(1, t.length() - 1), decode(p));
      } else if (!t.equals(p)) {
        return null;
      }
    }
    return params;
  }

  private static String decode(String segment) {
    try {
      // URLDecoder turns '+' into a space, which is form encoding, not path encoding.
      return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw NgsiLdException.badRequest("malformed percent-encoding in path segment '" + segment + "'");
    }
  }

  static List<String> split(String path) {
    List<String> out = new ArrayList<>();
    for (String s : path.split("/", -1)) {
      out.add(s);
    }
    if (!out.isEmpty() && out.get(0).isEmpty()) {
      out.remove(0);
    }
    if (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
      out.remove(out.size() - 1); // a trailing slash names the same resource
    }
    return out;
  }
}

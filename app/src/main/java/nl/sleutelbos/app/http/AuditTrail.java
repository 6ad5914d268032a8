package nl.sleutelbos.app.http;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import nl.sleutelbos.audit.AuditEntry;
import nl.sleutelbos.audit.AuditEvent;
import nl.sleutelbos.audit.AuditException;
import nl.sleutelbos.audit.AuditLog;
import nl.sleutelbos.ngsild.ErrorType;
import nl.sleutelbos.ngsild.NgsiLdException;

/**
 * Makes every control-plane act record itself in the audit log before it runs: each changing
 * route (any method but GET) of the control router gets a handler that appends an entry first and
 * runs the act only once the entry is durable. If the append fails, the act is not performed and
 * the caller gets 503. Three kinds of route are left out: the token endpoint (authentication, not
 * an act of control), the audit routes themselves (issuing a checkpoint changes nothing), and
 * ingest (meter readings are data, not acts of control: a fleet posts them thousands of times a
 * second, and their own record is the history they land in and the ingest counts).
 *
 * <p>The entry names the subject and organisation from the bearer token, the route as action,
 * the request path as target, and the SHA-256 of the request line as details hash. It is recorded
 * as {@link AuditEntry.Outcome#ATTEMPTED}: the handlers answer the caller themselves, so the result
 * is not known before the acknowledgement.
 */
public final class AuditTrail {
  private final AuditLog log;
  private final Clock clock;

  public AuditTrail(AuditLog log, Clock clock) {
    this.log = log;
    this.clock = clock;
  }

  /** Whether the route is an act of control that must be recorded. */
  public static boolean records(Route route) {
    return !route.method().equals("GET")
        && !route.family().equals(AuditRoutes.FAMILY)
        && !route.family().equals("ingest")
        && !route.template().equals("/oauth/token");
  }

  /** The routes, with every recording one wrapped. */
  public List<Route> wrap(List<Route> routes) {
    return routes.stream()
        .map(r -> records(r) ? new Route(r.method(), r.template(), r.parameters(), r.family(), recorded(r)) : r)
        .toList();
  }

  private Route.Handler recorded(Route route) {
    return ex -> {
      record(ex, route);
      route.handler().handle(ex);
    };
  }

  private void record(Exchange ex, Route route) {
    String path = ex.request().path().path();
    String query = ex.request().query().rawValue();
    String requestLine = route.method() + " " + path + (query.isEmpty() ? "" : "?" + query);
    AuditEntry.Actor actor = ex.subject()
        .map(s -> new AuditEntry.Actor(s.id(), s.organisation().map(Object::toString).orElse("")))
        .orElse(new AuditEntry.Actor("anonymous", ""));
    String requestId = ex.request().headers().first(io.helidon.http.HeaderNames.create("X-Request-Id"))
        .orElseGet(() -> UUID.randomUUID().toString());
    try {
      log.append(new AuditEvent(clock.instant(), actor, route.method() + " " + route.template(), path,
          AuditEntry.Outcome.ATTEMPTED, "", requestId,
          AuditEntry.digestOf(requestLine.getBytes(StandardCharsets.UTF_8))));
    } catch (AuditException e) {
      throw new NgsiLdException(ErrorType.SERVICE_UNAVAILABLE, "the act could not be recorded in the audit log, so it was not performed");
    }
  }
}

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
 * Makes every control-plane act leave two entries in the audit log: one before it runs and one
 * with its outcome before the caller is acknowledged. Each changing route (any method but GET) of
 * the control router gets a handler that appends an {@link AuditEntry.Outcome#ATTEMPTED} entry
 * first and runs the act (the PEP's decision included) only once that entry is durable; the
 * outcome entry — SUCCEEDED, DENIED (the PEP said no) or FAILED (with the reason) — is appended
 * just before the answer leaves. If the first append fails, the act is not performed; if the
 * second fails, the caller gets 503 instead of the answer, and the log still holds the attempt.
 * Both entries carry the same request id. Three kinds of route are left out: the token endpoint
 * (authentication, not an act of control), the audit routes themselves, and ingest (meter
 * readings are data, not acts of control: a fleet posts them thousands of times a second, and
 * their own record is the history they land in and the ingest counts).
 *
 * <p>An entry names the subject and organisation from the bearer token, the route as action, the
 * request path as target, and the SHA-256 of the request line as details hash.
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
      Act act = new Act(ex, route);
      append(act, AuditEntry.Outcome.ATTEMPTED, "");
      boolean[] answered = {false};
      ex.beforeAnswer(status -> {
        answered[0] = true;
        append(act, status < 400 ? AuditEntry.Outcome.SUCCEEDED : AuditEntry.Outcome.FAILED,
            status < 400 ? "" : "answered " + status);
      });
      try {
        route.handler().handle(ex);
      } catch (RuntimeException e) {
        if (!answered[0]) {
          boolean denied = e instanceof NgsiLdException n && n.type() == ErrorType.FORBIDDEN;
          append(act, denied ? AuditEntry.Outcome.DENIED : AuditEntry.Outcome.FAILED,
              String.valueOf(e.getMessage()));
        }
        throw e;
      }
    };
  }

  /** What both entries of one act share. */
  private record Act(String action, String target, AuditEntry.Actor actor, String requestId, String details) {
    Act(Exchange ex, Route route) {
      this(route.method() + " " + route.template(), ex.request().path().path(), actor(ex), requestId(ex),
          AuditEntry.digestOf(requestLine(ex, route).getBytes(StandardCharsets.UTF_8)));
    }

    private static String requestLine(Exchange ex, Route route) {
      String query = ex.request().query().rawValue();
      return route.method() + " " + ex.request().path().path() + (query.isEmpty() ? "" : "?" + query);
    }

    private static AuditEntry.Actor actor(Exchange ex) {
      return ex.subject()
          .map(s -> new AuditEntry.Actor(s.id(), s.organisation().map(Object::toString).orElse("")))
          .orElse(new AuditEntry.Actor("anonymous", ""));
    }

    private static String requestId(Exchange ex) {
      return ex.request().headers().first(io.helidon.http.HeaderNames.create("X-Request-Id"))
          .orElseGet(() -> UUID.randomUUID().toString());
    }
  }

  private void append(Act act, AuditEntry.Outcome outcome, String reason) {
    try {
      log.append(new AuditEvent(clock.instant(), act.actor(), act.action(), act.target(), outcome, reason,
          act.requestId(), act.details()));
    } catch (AuditException e) {
      throw new NgsiLdException(ErrorType.SERVICE_UNAVAILABLE, outcome == AuditEntry.Outcome.ATTEMPTED
          ? "the act could not be recorded in the audit log, so it was not performed"
          : "the act's outcome could not be recorded in the audit log; its attempt is recorded");
    }
  }
}

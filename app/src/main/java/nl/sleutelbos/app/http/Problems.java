package nl.sleutelbos.app.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.util.logging.Level;
import java.util.logging.Logger;
import nl.sleutelbos.ngsild.ErrorType;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.ngsild.NgsiLdException;
import nl.sleutelbos.store.StoreException;

/**
 * Turns any exception into a problem-details answer (RFC 9457 shape, NGSI-LD error types). Client
 * errors carry their detail; everything else is logged with its stack trace and answered without
 * internals, so that no stack trace, SQL or secret reaches a client.
 */
public final class Problems {
  private static final Logger LOG = Logger.getLogger(Problems.class.getName());

  public void send(ServerResponse res, Exception e) {
    if (res.isSent()) {
      LOG.log(Level.WARNING, "error after the response was sent", e);
      return;
    }
    NgsiLdException problem = toProblem(e);
    ObjectNode body = body(problem);
    res.status(Status.create(problem.type().status()));
    res.headers().set(HeaderNames.CONTENT_TYPE, "application/json");
    res.send(Json.writeBytes(body));
  }

  public static ObjectNode body(NgsiLdException problem) {
    ObjectNode body = Json.object();
    body.put("type", problem.type().uri());
    body.put("title", problem.type().title());
    body.put("status", problem.type().status());
    body.put("detail", problem.getMessage());
    return body;
  }

  static NgsiLdException toProblem(Exception e) {
    if (e instanceof NgsiLdException n) {
      return n;
    }
    if (e instanceof StoreException s) {
      LOG.log(Level.SEVERE, "store failure", s);
      return new NgsiLdException(s.retryable() ? ErrorType.SERVICE_UNAVAILABLE : ErrorType.INTERNAL_ERROR,
          s.retryable() ? "the store is busy; retry later" : "the store failed; the operator has been told (see the server log)");
    }
    LOG.log(Level.SEVERE, "unexpected failure", e);
    return new NgsiLdException(ErrorType.INTERNAL_ERROR,
        "internal error (" + e.getClass().getSimpleName() + "); the server log has the details");
  }
}

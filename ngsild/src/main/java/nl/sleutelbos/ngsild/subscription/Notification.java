package nl.sleutelbos.ngsild.subscription;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One notification ready to send (clause 5.3.1): the body without {@code @context}, and the
 * context to put beside it, in a {@code Link} header or in the body as the endpoint's {@code accept} asks.
 *
 * @param tenant the tenant, sent as {@code NGSILD-Tenant} when not the default
 * @param endpoint where it goes
 * @param body the Notification object
 * @param context the subscription's {@code @context} value
 * @param contextLink a URL for that context, for the {@code Link} header
 */
public record Notification(String tenant, Endpoint endpoint, ObjectNode body, JsonNode context, String contextLink) {
  public Notification {
    requireNonNull(tenant, "tenant is null");
    requireNonNull(endpoint, "endpoint is null");
    requireNonNull(body, "body is null");
    requireNonNull(context, "context is null");
    requireNonNull(contextLink, "contextLink is null");
  }

  /** The body as an {@code application/ld+json} receiver gets it: with {@code @context} first. */
  public ObjectNode bodyWithContext() {
    ObjectNode out = body.objectNode();
    out.set("@context", context);
    out.setAll(body);
    return out;
  }
}

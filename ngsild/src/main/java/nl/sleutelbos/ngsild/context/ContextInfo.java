package nl.sleutelbos.ngsild.context;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import nl.sleutelbos.ngsild.Json;

/**
 * What the broker knows about one stored {@code @context}: the detail record of "List @contexts"
 * and "Serve @context" with details (CIM 009 clause 5.13.3.5).
 *
 * @param url where the context can be obtained: the original URL of a Cached context, this broker's
 *     URL for the others
 * @param localId the identifier in the broker's storage
 * @param kind Hosted, Cached or ImplicitlyCreated
 * @param createdAt when it was stored (for a Cached context: downloaded)
 * @param expiresAt when a Cached copy stops being used; null if never
 * @param lastUsage when it was last used to resolve a request; null if never since the broker
 *     started (usage is not persisted)
 * @param numberOfHits how often it was used to resolve a request since the broker started
 * @param extraInfo free text about it; null if none
 */
public record ContextInfo(
    String url,
    String localId,
    ContextKind kind,
    Instant createdAt,
    Instant expiresAt,
    Instant lastUsage,
    long numberOfHits,
    String extraInfo) {

  public ContextInfo {
    requireNonNull(url, "url is null");
    requireNonNull(localId, "localId is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(createdAt, "createdAt is null");
  }

  /** The JSON object of the API, without the members that are null. */
  public ObjectNode toJson() {
    ObjectNode json = Json.object();
    json.put("URL", url);
    json.put("localId", localId);
    json.put("kind", kind.title());
    json.put("createdAt", format(createdAt));
    if (expiresAt != null) json.put("expiresAt", format(expiresAt));
    if (lastUsage != null) json.put("lastUsage", format(lastUsage));
    json.put("numberOfHits", numberOfHits);
    if (extraInfo != null) json.put("extraInfo", extraInfo);
    return json;
  }

  private static String format(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MILLIS).toString();
  }
}

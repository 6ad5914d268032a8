package nl.sleutelbos.app.http;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import nl.sleutelbos.auth.Action;

/**
 * Which policy action each route is: what the PEP puts in the XACML request. NGSI-LD routes follow
 * the verbs (a GET naming one resource reads it, a GET of a collection queries, POST creates,
 * PUT/PATCH and attribute changes update, DELETE deletes; batch operations by their name);
 * control-plane routes are listed one by one, so a new one has no action until someone decides
 * what it is, and the PEP denies it meanwhile.
 */
public final class RouteActions {
  private static final Map<String, Action> CONTROL_PLANE = Map.ofEntries(
      Map.entry("GET /policies", Action.named("policy.read")),
      Map.entry("GET /policies/versions", Action.named("policy.read")),
      Map.entry("GET /policies/versions/{version}", Action.named("policy.read")),
      Map.entry("PUT /policies", Action.named("policy.write")),
      Map.entry("POST /policies/versions/{version}/activate", Action.named("policy.write")),
      Map.entry("GET /retention", Action.named("retention.read")),
      Map.entry("GET /retention/{type}/{attribute}", Action.named("retention.read")),
      Map.entry("PUT /retention/{type}/{attribute}", Action.named("retention.write")),
      Map.entry("DELETE /retention/{type}/{attribute}", Action.named("retention.write")),
      Map.entry("POST /retention/sweep", Action.named("retention.write")));

  /** The audit log's routes: reading it is for auditors and security officers; a checkpoint on demand changes it. */
  private static final Map<String, Action> AUDIT = Map.ofEntries(
      Map.entry("GET /audit/checkpoint", Action.named("audit.read")),
      Map.entry("GET /audit/checkpoints", Action.named("audit.read")),
      Map.entry("GET /audit/key", Action.named("audit.read")),
      Map.entry("GET /audit/entries", Action.named("audit.read")),
      Map.entry("GET /audit/proofs/inclusion", Action.named("audit.read")),
      Map.entry("GET /audit/proofs/consistency", Action.named("audit.read")),
      Map.entry("POST /audit/checkpoint", Action.named("audit.checkpoint")));

  /** The identity module's routes (family {@code identity}); its public ones are not decided at all. */
  private static final Map<String, Action> IDENTITY = Map.ofEntries(
      Map.entry("GET /clients", Action.named("clients.read")),
      Map.entry("GET /clients/{id}", Action.named("clients.read")),
      Map.entry("POST /clients", Action.named("clients.write")),
      Map.entry("POST /clients/{id}/disable", Action.named("clients.write")),
      Map.entry("POST /clients/{id}/enable", Action.named("clients.write")),
      Map.entry("POST /clients/{id}/rotate-secret", Action.named("clients.write")),
      Map.entry("POST /oauth/signing-keys/rotate", Action.named("keys.rotate")),
      Map.entry("GET /subject", Action.named("subject.read")));

  /**
   * Key custody's routes: reading metadata and the report is for auditors, security officers and
   * administrators; changes are for security officers and administrators; only security officers
   * approve quorum operations.
   */
  private static final Map<String, Action> KEYS = Map.ofEntries(
      Map.entry("GET /keys", Action.named("keys.read")),
      Map.entry("GET /keys/report", Action.named("keys.read")),
      Map.entry("GET /keys/devices/{device}", Action.named("keys.read")),
      Map.entry("POST /keys/devices/{device}", Action.named("keys.write")),
      Map.entry("POST /keys/devices/{device}/acknowledgements", Action.named("keys.write")),
      Map.entry("PUT /keys/transport-keys/{label}", Action.named("keys.import")),
      Map.entry("POST /keys/imports", Action.named("keys.import")),
      Map.entry("POST /keys/campaigns", Action.named("keys.campaign")),
      Map.entry("GET /keys/campaigns/{id}", Action.named("keys.read")),
      Map.entry("POST /keys/campaigns/{id}/pause", Action.named("keys.campaign")),
      Map.entry("POST /keys/campaigns/{id}/resume", Action.named("keys.campaign")),
      Map.entry("POST /keys/operations", Action.named("keys.operation")),
      Map.entry("GET /keys/operations", Action.named("keys.read")),
      Map.entry("GET /keys/operations/{id}", Action.named("keys.read")),
      Map.entry("POST /keys/operations/{id}/approvals", Action.named("keys.approve")));

  /**
   * Meter readings coming in (family {@code ingest}): writing is for the meters themselves (their
   * own readings only, which the route checks), the head-end and operator administrators.
   */
  private static final Map<String, Action> INGEST = Map.ofEntries(
      Map.entry("POST /ingest/telegrams", Action.named("ingest")),
      Map.entry("GET /ingest/metrics", Action.named("ingest.read")));

  /** Served without a token (the bearer gate's public paths), so there is no subject to decide on. */
  private static final Set<String> PUBLIC = Set.of(
      "POST /oauth/token", "GET /openid-configuration", "GET /jwks.json");

  private RouteActions() {}

  /** The route's action, or empty if the route is not mapped (the PEP denies such a route). */
  public static Optional<Action> of(Route route) {
    return switch (route.family()) {
      case NgsiLdRoutes.FAMILY -> ngsiLd(route.method(), route.template());
      case PolicyRoutes.FAMILY -> Optional.ofNullable(CONTROL_PLANE.get(key(route)));
      case "identity" -> Optional.ofNullable(IDENTITY.get(key(route)));
      case AuditRoutes.FAMILY -> Optional.ofNullable(AUDIT.get(key(route)));
      case KeyRoutes.FAMILY -> Optional.ofNullable(KEYS.get(key(route)));
      case "ingest" -> Optional.ofNullable(INGEST.get(key(route)));
      default -> Optional.empty();
    };
  }

  /** Whether the route is public: no token, no subject, no decision. */
  public static boolean isPublic(Route route) {
    return PUBLIC.contains(key(route));
  }

  private static String key(Route route) {
    return route.method() + " " + route.template();
  }

  private static Optional<Action> ngsiLd(String method, String template) {
    int batch = template.indexOf("/entityOperations/");
    if (batch >= 0) { // also the temporal API's /temporal/entityOperations/query
      return switch (template.substring(batch + "/entityOperations/".length())) {
        // An upsert may create: it needs the stronger permission.
        case "create", "upsert" -> Optional.of(Action.CREATE);
        case "update" -> Optional.of(Action.UPDATE);
        case "delete" -> Optional.of(Action.DELETE);
        case "query" -> Optional.of(Action.QUERY);
        default -> Optional.empty();
      };
    }
    if (template.startsWith("/subscriptions")) {
      // Managing one's subscriptions is what "subscribe" permits; reading them is reading.
      return Optional.of(method.equals("GET") ? (template.endsWith("}") ? Action.READ : Action.QUERY) : Action.SUBSCRIBE);
    }
    boolean attributes = template.contains("/attrs");
    return switch (method) {
      case "GET" -> Optional.of(template.endsWith("}") ? Action.READ : Action.QUERY);
      case "POST" -> Optional.of(attributes ? Action.UPDATE : Action.CREATE);
      case "PUT", "PATCH" -> Optional.of(Action.UPDATE);
      case "DELETE" -> Optional.of(attributes ? Action.UPDATE : Action.DELETE);
      default -> Optional.empty();
    };
  }
}

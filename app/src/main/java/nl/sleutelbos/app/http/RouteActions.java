package nl.sleutelbos.app.http;

import java.util.Map;
import java.util.Optional;
import nl.sleutelbos.auth.Action;

/**
 * Which policy action each route is: what the PEP puts in the XACML request. NGSI-LD routes follow
 * the verbs (a GET naming one resource reads it, a GET of a collection queries, POST creates,
 * PUT/PATCH and attribute changes update, DELETE deletes; batch operations by their name);
 * control-plane routes are listed one by one, so a new one has no action until someone decides
 * what it is, and the PEP denies it meanwhile.
 */
public final class RouteActions {
  private static final Map<String, Action> CONTROL_PLANE = Map.of(
      "GET /policies", Action.named("policy.read"),
      "GET /policies/versions", Action.named("policy.read"),
      "GET /policies/versions/{version}", Action.named("policy.read"),
      "PUT /policies", Action.named("policy.write"),
      "POST /policies/versions/{version}/activate", Action.named("policy.write"));

  private RouteActions() {}

  /** The route's action, or empty if the route is not mapped (the PEP denies such a route). */
  public static Optional<Action> of(Route route) {
    return switch (route.family()) {
      case NgsiLdRoutes.FAMILY -> ngsiLd(route.method(), route.template());
      case PolicyRoutes.FAMILY -> Optional.ofNullable(CONTROL_PLANE.get(route.method() + " " + route.template()));
      default -> Optional.empty();
    };
  }

  private static Optional<Action> ngsiLd(String method, String template) {
    if (template.startsWith("/entityOperations/")) {
      return switch (template.substring("/entityOperations/".length())) {
        // An upsert may create: it needs the stronger permission.
        case "create", "upsert" -> Optional.of(Action.CREATE);
        case "update" -> Optional.of(Action.UPDATE);
        case "delete" -> Optional.of(Action.DELETE);
        case "query" -> Optional.of(Action.QUERY);
        default -> Optional.empty();
      };
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

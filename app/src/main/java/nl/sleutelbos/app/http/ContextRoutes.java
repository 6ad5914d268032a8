package nl.sleutelbos.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;
import nl.sleutelbos.ngsild.context.ContextInfo;
import nl.sleutelbos.ngsild.context.ContextRegistry;

/** The JSON-LD @context API (clause 5.13, 6.29 to 6.31): add, list, serve, delete and reload. */
public final class ContextRoutes {
  private static final List<String> BODY_TYPES = List.of(LdRequest.JSON, LdRequest.LD_JSON);

  private final ContextRegistry registry;

  public ContextRoutes(ContextRegistry registry) {
    this.registry = registry;
  }

  public List<Route> routes() {
    return List.of(
        new Route("POST", "/jsonldContexts", Set.of(), NgsiLdRoutes.FAMILY, this::add),
        new Route("GET", "/jsonldContexts", Set.of("details", "kind"), NgsiLdRoutes.FAMILY, this::list),
        new Route("GET", "/jsonldContexts/{id}", Set.of("details"), NgsiLdRoutes.FAMILY, this::serve),
        new Route("DELETE", "/jsonldContexts/{id}", Set.of("reload"), NgsiLdRoutes.FAMILY, this::delete));
  }

  private void add(Exchange ex) {
    ContextInfo added = registry.add(ex.jsonBody(BODY_TYPES));
    ex.header("Location", "/ngsi-ld/v1/jsonldContexts/" + added.localId());
    ex.sendEmpty(201);
  }

  private void list(Exchange ex) {
    String media = ex.negotiate(List.of(LdRequest.JSON, LdRequest.LD_JSON));
    ex.sendJson(200, media, registry.list(ex.booleanParam("details"), ex.param("kind")));
  }

  private void serve(Exchange ex) {
    boolean details = ex.booleanParam("details");
    // A context document is JSON-LD: processors that fetch it ask for application/ld+json.
    String media = ex.negotiate(details ? List.of(LdRequest.JSON, LdRequest.LD_JSON)
        : List.of(LdRequest.LD_JSON, LdRequest.JSON));
    JsonNode answer = registry.serve(ex.pathParam("id"), details);
    ex.sendJson(200, media, answer);
  }

  private void delete(Exchange ex) {
    registry.delete(ex.pathParam("id"), ex.booleanParam("reload"));
    ex.sendEmpty(204);
  }
}

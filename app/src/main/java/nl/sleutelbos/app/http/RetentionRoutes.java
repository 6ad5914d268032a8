package nl.sleutelbos.app.http;

import static nl.sleutelbos.app.http.LdRequest.JSON;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.ngsild.NgsiLdException;
import nl.sleutelbos.ngsild.entity.EntityReader;
import nl.sleutelbos.ngsild.temporal.Retention;
import nl.sleutelbos.ngsild.temporal.RetentionPolicy;

/**
 * The control-plane routes of history retention, under {@code /sleutelbos/v1/retention}: one
 * policy per tenant (the NGSILD-Tenant header), entity type and attribute ({@code *} for every
 * attribute of the type). Types and attributes are IRIs or terms of the core context.
 */
public final class RetentionRoutes {
  static final String FAMILY = "control-plane";

  private final Retention retention;
  private final ContextSource contexts;

  public RetentionRoutes(Retention retention, ContextSource contexts) {
    this.retention = retention;
    this.contexts = contexts;
  }

  public List<Route> routes() {
    return List.of(
        new Route("GET", "/retention", Set.of(), FAMILY, this::list),
        new Route("POST", "/retention/sweep", Set.of(), FAMILY, this::sweep),
        new Route("GET", "/retention/{type}/{attribute}", Set.of(), FAMILY, this::get),
        new Route("PUT", "/retention/{type}/{attribute}", Set.of(), FAMILY, this::put),
        new Route("DELETE", "/retention/{type}/{attribute}", Set.of(), FAMILY, this::delete));
  }

  private void list(Exchange ex) {
    String tenant = ex.tenant();
    ArrayNode out = Json.array();
    retention.list().stream().filter(p -> p.tenant().equals(tenant)).forEach(p -> out.add(p.toJson()));
    ex.sendJson(200, JSON, out);
  }

  private void sweep(Exchange ex) {
    ObjectNode out = Json.object();
    out.put("deleted", retention.sweep());
    ex.sendJson(200, JSON, out);
  }

  private void get(Exchange ex) {
    RetentionPolicy policy = retention.get(ex.tenant(), type(ex), attribute(ex))
        .orElseThrow(() -> NgsiLdException.notFound("no retention policy for " + ex.pathParam("type") + " / "
            + ex.pathParam("attribute")));
    ex.sendJson(200, JSON, policy.toJson());
  }

  private void put(Exchange ex) {
    RetentionPolicy policy = new RetentionPolicy(ex.tenant(), type(ex), attribute(ex),
        RetentionPolicy.maxAge(ex.jsonBody(List.of(JSON))));
    retention.put(policy);
    ex.sendJson(200, JSON, policy.toJson());
  }

  private void delete(Exchange ex) {
    if (!retention.delete(ex.tenant(), type(ex), attribute(ex))) {
      throw NgsiLdException.notFound("no retention policy for " + ex.pathParam("type") + " / "
          + ex.pathParam("attribute"));
    }
    ex.sendEmpty(204);
  }

  private String type(Exchange ex) {
    String name = ex.pathParam("type");
    return name.indexOf(':') >= 0 ? EntityReader.requireUri(name, "type") : new EntityReader(contexts.core()).expandType(name);
  }

  private Optional<String> attribute(Exchange ex) {
    String name = ex.pathParam("attribute");
    if (name.equals("*")) {
      return Optional.empty();
    }
    return Optional.of(name.indexOf(':') >= 0
        ? EntityReader.requireUri(name, "attribute") : new EntityReader(contexts.core()).expandName(name));
  }
}

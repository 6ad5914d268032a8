package nl.sleutelbos.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import nl.sleutelbos.identity.Client;
import nl.sleutelbos.identity.ClientException;
import nl.sleutelbos.identity.Clients;
import nl.sleutelbos.identity.Organisation;
import nl.sleutelbos.identity.Subject;
import nl.sleutelbos.ngsild.ErrorType;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.ngsild.NgsiLdException;

/**
 * Client administration of the embedded issuer: create, list, read, disable, enable, rotate
 * secret. Secrets appear once, in the answer that created them, and nowhere else.
 *
 * <p>Until the policy enforcement point decides on every route, these routes admit only
 * subjects with the {@code operator-admin} role: handing out credentials must not wait for it.
 */
public final class ClientRoutes {
  private final Clients clients;

  public ClientRoutes(Clients clients) {
    this.clients = clients;
  }

  public List<Route> routes() {
    String f = TokenRoutes.FAMILY;
    return List.of(
        new Route("GET", "/clients", Set.of(), f, this::list),
        new Route("POST", "/clients", Set.of(), f, this::create),
        new Route("GET", "/clients/{id}", Set.of(), f, this::get),
        new Route("POST", "/clients/{id}/disable", Set.of(), f, ex -> setDisabled(ex, true)),
        new Route("POST", "/clients/{id}/enable", Set.of(), f, ex -> setDisabled(ex, false)),
        new Route("POST", "/clients/{id}/rotate-secret", Set.of(), f, this::rotate));
  }

  static void requireAdmin(Exchange ex) {
    Subject subject = ex.subject().orElseThrow(() -> new IllegalStateException("no subject on " + ex.route()));
    if (!subject.hasRole(Subject.ADMIN_ROLE)) {
      throw new NgsiLdException(ErrorType.FORBIDDEN, "this needs the " + Subject.ADMIN_ROLE + " role");
    }
  }

  private void list(Exchange ex) {
    requireAdmin(ex);
    ArrayNode out = Json.array();
    clients.list().forEach(c -> out.add(json(c)));
    ex.sendJson(200, "application/json", out);
  }

  private void get(Exchange ex) {
    requireAdmin(ex);
    Client client = clients.get(ex.pathParam("id"))
        .orElseThrow(() -> NgsiLdException.notFound("no client " + ex.pathParam("id")));
    ex.sendJson(200, "application/json", json(client));
  }

  private void create(Exchange ex) throws ClientException {
    requireAdmin(ex);
    JsonNode body = ex.jsonBody(List.of("application/json"));
    if (!body.isObject()) {
      throw NgsiLdException.badRequest("the body must be a JSON object with name, roles, organisation");
    }
    for (var it = body.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!Set.of("name", "roles", "organisation", "country", "jwk").contains(field)) {
        throw NgsiLdException.badRequest("unknown member '" + field + "'; known: country, jwk, name, organisation, roles");
      }
    }
    String name = text(body, "name").orElseThrow(() -> NgsiLdException.badRequest("name is missing"));
    Set<String> roles = new TreeSet<>();
    JsonNode r = body.path("roles");
    if (!r.isMissingNode() && !r.isArray()) {
      throw NgsiLdException.badRequest("roles must be an array of strings");
    }
    for (JsonNode role : r) {
      if (!role.isTextual()) {
        throw NgsiLdException.badRequest("roles must be an array of strings");
      }
      roles.add(role.asText());
    }
    Organisation organisation;
    try {
      organisation = Organisation.parse(text(body, "organisation")
          .orElseThrow(() -> NgsiLdException.badRequest("organisation is missing")));
    } catch (IllegalArgumentException e) {
      throw NgsiLdException.badRequest(e.getMessage());
    }
    Optional<String> country = text(body, "country");
    try {
      country.ifPresent(Subject::checkCountry);
    } catch (IllegalArgumentException e) {
      throw NgsiLdException.badRequest(e.getMessage());
    }
    if (body.has("jwk") && !body.get("jwk").isObject()) {
      throw NgsiLdException.badRequest("jwk must be a JSON Web Key object");
    }
    Optional<String> jwk = body.has("jwk") ? Optional.of(Json.write(body.get("jwk"))) : Optional.empty();
    Clients.Issued issued = translate(() -> clients.create(new Clients.Registration(name, roles, organisation, country, jwk)));
    ObjectNode out = json(issued.client());
    issued.secret().ifPresent(s -> out.put("client_secret", s));
    ex.header("Location", "/sleutelbos/v1/clients/" + issued.client().id());
    ex.header("Cache-Control", "no-store");
    ex.sendJson(201, "application/json", out);
  }

  private void setDisabled(Exchange ex, boolean disabled) {
    requireAdmin(ex);
    Client client = translate(() -> clients.setDisabled(ex.pathParam("id"), disabled));
    ex.sendJson(200, "application/json", json(client));
  }

  private void rotate(Exchange ex) {
    requireAdmin(ex);
    Clients.Issued issued = translate(() -> clients.rotateSecret(ex.pathParam("id")));
    ObjectNode out = json(issued.client());
    out.put("client_secret", issued.secret().orElseThrow());
    ex.header("Cache-Control", "no-store");
    ex.sendJson(200, "application/json", out);
  }

  private interface ClientCall<T> {
    T call() throws ClientException;
  }

  private static <T> T translate(ClientCall<T> call) {
    try {
      return call.call();
    } catch (ClientException e) {
      throw switch (e.kind()) {
        case INVALID -> NgsiLdException.badRequest(e.getMessage());
        case NOT_FOUND -> NgsiLdException.notFound(e.getMessage());
        case CONFLICT -> new NgsiLdException(ErrorType.OPERATION_NOT_SUPPORTED, e.getMessage());
      };
    }
  }

  private static Optional<String> text(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isTextual()) {
      throw NgsiLdException.badRequest(field + " must be a string");
    }
    return Optional.of(v.asText());
  }

  /** The client as the API shows it: never the secret hash. */
  static ObjectNode json(Client c) {
    ObjectNode out = Json.object();
    out.put("client_id", c.id());
    out.put("name", c.name());
    ArrayNode roles = out.putArray("roles");
    new TreeSet<>(c.roles()).forEach(roles::add);
    out.put("organisation", c.organisation().toString());
    c.country().ifPresent(v -> out.put("country", v));
    out.put("token_endpoint_auth_method", c.publicJwk().isPresent() ? "private_key_jwt" : "client_secret_basic");
    c.publicJwk().ifPresent(j -> out.set("jwk", Json.parseStored(j)));
    out.put("disabled", c.disabled());
    out.put("created", c.created().toString());
    return out;
  }
}

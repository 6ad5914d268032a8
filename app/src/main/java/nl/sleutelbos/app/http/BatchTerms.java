package nl.sleutelbos.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import nl.sleutelbos.auth.ResourceRequest;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.ngsild.NgsiLdException;
import nl.sleutelbos.store.EntityStore;
import nl.sleutelbos.store.Selector;
import nl.sleutelbos.store.StoredEntity;

/**
 * The resources a batch write touches, for the PEP: a batch is many requests in one, so it is
 * permitted only if each of them would be. For every entity of the body it is decided on what the
 * body says (types, {@code connection}) and, when the entity exists, on what is stored, so that
 * an upsert cannot take over another connection's entity by claiming it in the body. Requests
 * that decide alike are asked once.
 */
final class BatchTerms {
  private static final String PREFIX = "/entityOperations/";

  private BatchTerms() {}

  /** Whether the route is a batch create, upsert, update or delete of the entity API. */
  static boolean writes(Route route) {
    return route.method().equals("POST") && !route.template().startsWith("/temporal/")
        && Set.of(PREFIX + "create", PREFIX + "upsert", PREFIX + "update", PREFIX + "delete")
            .contains(route.template());
  }

  /** One request per distinct (types, owner) the batch touches; empty when the body does not parse. */
  static Set<ResourceRequest> of(Exchange ex, EntityStore store) {
    JsonNode body;
    try {
      body = Json.parseClient(ex.body());
    } catch (NgsiLdException e) {
      return Set.of(); // the route answers the malformed body
    }
    String tenant = ex.tenant();
    String family = ex.route().family();
    Set<ResourceRequest> out = new LinkedHashSet<>();
    Set<String> ids = new HashSet<>();
    for (JsonNode element : body) {
      String id = element.isTextual() ? element.asText() : element.path("id").asText("");
      if (element.isObject()) {
        out.add(new ResourceRequest(tenant, family, types(element.path("type")), Optional.empty(), Set.of(),
            connection(element.path("connection")), Optional.empty()));
      }
      if (!id.isEmpty()) {
        ids.add(id);
      }
    }
    if (!ids.isEmpty()) { // the stored ones in one read, not one per entity
      store.scan(tenant, new Selector(ids, Set.of()), stored -> {
        out.add(stored(tenant, family, stored));
        return true;
      });
    }
    return out;
  }

  private static ResourceRequest stored(String tenant, String family, StoredEntity stored) {
    return new ResourceRequest(tenant, family, Set.copyOf(stored.types()), Optional.empty(), Set.of(),
        PolicyGuard.connection(stored), Optional.empty());
  }

  private static Set<String> types(JsonNode type) {
    Set<String> types = new LinkedHashSet<>();
    for (JsonNode t : type.isArray() ? type : List.of(type)) {
      if (t.isTextual() && !t.asText().isBlank()) {
        types.add(t.asText());
      }
    }
    return types;
  }

  private static Optional<String> connection(JsonNode connection) {
    JsonNode value = connection.isObject() ? connection.path("value") : connection;
    return value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
  }
}

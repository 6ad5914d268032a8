package nl.sleutelbos.ngsild.temporal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.ngsild.NgsiLdException;

/**
 * How long history is kept for the entities of one type in one tenant: for one attribute, or for
 * every attribute that has no policy of its own. An instance expires when its key time
 * (observedAt, else modifiedAt) is older than {@code maxAge}.
 *
 * @param tenant the tenant ("" for the default tenant)
 * @param type the expanded entity type
 * @param attribute the expanded attribute IRI, or empty for every attribute
 * @param maxAge how far back history is kept, for example P24M
 */
public record RetentionPolicy(String tenant, String type, Optional<String> attribute, AggregationPeriod maxAge) {
  public RetentionPolicy {
    requireNonNull(tenant, "tenant is null");
    requireNonNull(type, "type is null");
    requireNonNull(attribute, "attribute is null");
    requireNonNull(maxAge, "maxAge is null");
  }

  /** The key under which the policy is stored: one policy per tenant, type and attribute. */
  String key() {
    return key(tenant, type, attribute);
  }

  static String key(String tenant, String type, Optional<String> attribute) {
    return tenant + "\n" + type + "\n" + attribute.orElse("*");
  }

  public ObjectNode toJson() {
    ObjectNode out = Json.object();
    out.put("tenant", tenant);
    out.put("type", type);
    out.put("attribute", attribute.orElse("*"));
    out.put("maxAge", maxAge.toString());
    return out;
  }

  static RetentionPolicy fromJson(JsonNode json) {
    String attribute = json.path("attribute").asText("*");
    return new RetentionPolicy(json.path("tenant").asText(), json.path("type").asText(),
        attribute.equals("*") ? Optional.empty() : Optional.of(attribute),
        AggregationPeriod.parse("maxAge", json.path("maxAge").asText()));
  }

  /** Reads the maxAge of a policy body such as {@code {"maxAge": "P24M"}}. */
  public static AggregationPeriod maxAge(JsonNode body) {
    if (!body.isObject() || !body.path("maxAge").isTextual()) {
      throw NgsiLdException.badRequest("a retention policy is an object with maxAge, an ISO 8601 duration such as P24M");
    }
    body.fieldNames().forEachRemaining(name -> {
      if (!name.equals("maxAge")) {
        throw NgsiLdException.badRequest("unknown member '" + name + "' in a retention policy");
      }
    });
    return AggregationPeriod.parse("maxAge", body.get("maxAge").asText());
  }
}

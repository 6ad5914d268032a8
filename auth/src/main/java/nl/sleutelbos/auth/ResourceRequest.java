package nl.sleutelbos.auth;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * What the request touches. Entity types and attribute names are given as the store keeps them
 * (expanded IRIs); the enforcement point compacts terms of the default vocabulary before the
 * policy sees them.
 *
 * @param tenant the NGSI-LD tenant, "" for the default one
 * @param family the route family ({@code ngsi-ld}, {@code control-plane}, ...)
 * @param entityTypes the types of the entity, or the types a query asks for
 * @param entityId the entity, when the request names one
 * @param attributes the attributes asked for (empty: all)
 * @param owningConnection the grid connection whose data this is, when it is a household's
 * @param granularity the temporal granularity asked for, for temporal requests
 */
public record ResourceRequest(String tenant, String family, Set<String> entityTypes, Optional<String> entityId,
    Set<String> attributes, Optional<String> owningConnection, Optional<Duration> granularity) {
  public ResourceRequest {
    requireNonNull(tenant, "tenant is null");
    requireNonNull(family, "family is null");
    entityTypes = Set.copyOf(entityTypes);
    requireNonNull(entityId, "entityId is null");
    attributes = Set.copyOf(attributes);
    requireNonNull(owningConnection, "owningConnection is null");
    requireNonNull(granularity, "granularity is null");
  }

  /** A control-plane resource with no entity behind it (the policies, the audit log, ...). */
  public static ResourceRequest controlPlane(String family) {
    return new ResourceRequest("", family, Set.of(), Optional.empty(), Set.of(), Optional.empty(), Optional.empty());
  }

  /** An entity of the given types, owned by a connection or not. */
  public static ResourceRequest entity(String tenant, String id, Set<String> types, Optional<String> owner) {
    return new ResourceRequest(tenant, "ngsi-ld", types, Optional.of(id), Set.of(), owner, Optional.empty());
  }

  public ResourceRequest withGranularity(Duration asked) {
    return new ResourceRequest(tenant, family, entityTypes, entityId, attributes, owningConnection, Optional.of(asked));
  }
}

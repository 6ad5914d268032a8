package nl.sleutelbos.store;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * One instance of an attribute in an entity's temporal history: what the attribute was at one
 * moment. The store indexes the entity, the attribute and the three times; the document (the
 * instance in the NGSI-LD layer's internal form) is opaque to it.
 *
 * @param entityId the entity the instance belongs to
 * @param attribute the attribute's expanded IRI
 * @param datasetId the instance's datasetId, or empty for the default instance
 * @param instanceId a URI that names this instance, unique within the entity's history
 * @param observedAt when the value was observed, if the instance says so
 * @param createdAt when the attribute was created
 * @param modifiedAt when this instance was written
 * @param number the value as a number when it is one, for aggregation in the store
 * @param document the instance as JSON text
 */
public record AttributeInstance(
    String entityId,
    String attribute,
    Optional<String> datasetId,
    String instanceId,
    Optional<Instant> observedAt,
    Instant createdAt,
    Instant modifiedAt,
    Optional<Double> number,
    String document) {
  public AttributeInstance {
    requireNonNull(entityId, "entityId is null");
    requireNonNull(attribute, "attribute is null");
    requireNonNull(datasetId, "datasetId is null");
    requireNonNull(instanceId, "instanceId is null");
    requireNonNull(observedAt, "observedAt is null");
    requireNonNull(createdAt, "createdAt is null");
    requireNonNull(modifiedAt, "modifiedAt is null");
    requireNonNull(number, "number is null");
    requireNonNull(document, "document is null");
  }
}

package nl.sleutelbos.ngsild.entity;

import java.util.Set;

/** Names with a fixed meaning in NGSI-LD entities and attributes (clause 4.5, 5.2). */
final class Members {
  static final String ID = "id";
  static final String TYPE = "type";
  static final String CONTEXT = "@context";
  static final String SCOPE = "scope";
  static final String VALUE = "value";
  static final String OBJECT = "object";
  static final String LANGUAGE_MAP = "languageMap";
  static final String DATASET_ID = "datasetId";
  static final String OBSERVED_AT = "observedAt";
  static final String UNIT_CODE = "unitCode";
  static final String CREATED_AT = "createdAt";
  static final String MODIFIED_AT = "modifiedAt";
  static final String INSTANCE_ID = "instanceId";

  static final String PROPERTY = "Property";
  static final String RELATIONSHIP = "Relationship";
  static final String GEO_PROPERTY = "GeoProperty";
  static final String LANGUAGE_PROPERTY = "LanguageProperty";

  static final Set<String> ATTRIBUTE_TYPES = Set.of(PROPERTY, RELATIONSHIP, GEO_PROPERTY, LANGUAGE_PROPERTY);

  /** Members of an attribute instance that are not sub-attributes. */
  static final Set<String> INSTANCE_MEMBERS = Set.of(
      TYPE, VALUE, OBJECT, LANGUAGE_MAP, DATASET_ID, OBSERVED_AT, UNIT_CODE, CREATED_AT, MODIFIED_AT,
      INSTANCE_ID, "objectType");

  /** Members of an entity that are not attributes. */
  static final Set<String> ENTITY_MEMBERS = Set.of(ID, TYPE, CONTEXT, SCOPE, CREATED_AT, MODIFIED_AT);

  /** The core context's geo-properties: a plain value under these names is still a GeoProperty. */
  static final Set<String> GEO_NAMES = Set.of("location", "observationSpace", "operationSpace");

  private Members() {}
}

-- Tenants are created by their first write and never share a row with another tenant.
CREATE TABLE tenant (
  name TEXT PRIMARY KEY,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;

-- One row per entity. Times are microseconds since the epoch; types are expanded IRIs joined by
-- newlines (an IRI holds no whitespace); doc is the entity in the NGSI-LD layer's internal form.
CREATE TABLE entity (
  tenant TEXT NOT NULL,
  id TEXT NOT NULL,
  types TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  modified_at INTEGER NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (tenant, id)
);

-- The type index: an entity has one row per type, so "type=A,B" is an index range per type.
CREATE TABLE entity_type (
  tenant TEXT NOT NULL,
  type TEXT NOT NULL,
  id TEXT NOT NULL,
  PRIMARY KEY (tenant, type, id)
) WITHOUT ROWID;

CREATE TABLE document (
  collection TEXT NOT NULL,
  key TEXT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (collection, key)
);

-- Attribute history (issue 3). Built for billions of instances, so each instance row is small:
-- entities and attribute IRIs are replaced by integer keys from two dictionaries, the instance
-- table is clustered by (entity, attribute, key time) without a rowid, so one entity's range is
-- one contiguous index range, and the key time doubles as observedAt (observed = 1).

-- Every entity that has history, with the types it was last written with (IRIs joined by newlines).
CREATE TABLE history_entity (
  key INTEGER PRIMARY KEY,
  tenant TEXT NOT NULL,
  id TEXT NOT NULL,
  types TEXT NOT NULL,
  UNIQUE (tenant, id)
);

-- The type index of history_entity, for type=... queries and retention by type.
CREATE TABLE history_type (
  tenant TEXT NOT NULL,
  type TEXT NOT NULL,
  entity INTEGER NOT NULL,
  PRIMARY KEY (tenant, type, entity)
) WITHOUT ROWID;

CREATE TABLE history_attribute (
  key INTEGER PRIMARY KEY,
  iri TEXT NOT NULL UNIQUE
);

-- t is the key time in microseconds: observedAt when observed = 1, else modifiedAt.
CREATE TABLE history_instance (
  entity INTEGER NOT NULL,
  attribute INTEGER NOT NULL,
  t INTEGER NOT NULL,
  instance_id TEXT NOT NULL,
  observed INTEGER NOT NULL,
  dataset_id TEXT,
  created_at INTEGER NOT NULL,
  modified_at INTEGER NOT NULL,
  number REAL,
  doc TEXT NOT NULL,
  PRIMARY KEY (entity, attribute, t, instance_id)
) WITHOUT ROWID;

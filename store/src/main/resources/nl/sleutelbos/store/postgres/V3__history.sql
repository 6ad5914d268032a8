-- Attribute history (issue 3). Entities and attribute IRIs get integer keys from two
-- dictionaries; instances live in a table range-partitioned by month on the key time t
-- (microseconds since the epoch: observedAt when observed, else modifiedAt). Partitions are
-- created on demand by the writer (history_instance_yYYYYmMM). Every key starts with the entity,
-- so the instance table can be distributed by entity with Citus.

CREATE TABLE history_entity (
  key bigserial PRIMARY KEY,
  tenant text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  types text[] NOT NULL,
  UNIQUE (tenant, id)
);

CREATE TABLE history_type (
  tenant text COLLATE "C" NOT NULL,
  type text COLLATE "C" NOT NULL,
  entity bigint NOT NULL,
  PRIMARY KEY (tenant, type, entity)
);

CREATE TABLE history_attribute (
  key serial PRIMARY KEY,
  iri text COLLATE "C" NOT NULL UNIQUE
);

CREATE TABLE history_instance (
  entity bigint NOT NULL,
  attribute integer NOT NULL,
  t bigint NOT NULL,
  instance_id text COLLATE "C" NOT NULL,
  observed boolean NOT NULL,
  dataset_id text COLLATE "C",
  created_at bigint NOT NULL,
  modified_at bigint NOT NULL,
  number double precision,
  doc text NOT NULL,
  PRIMARY KEY (entity, attribute, t, instance_id)
) PARTITION BY RANGE (t);

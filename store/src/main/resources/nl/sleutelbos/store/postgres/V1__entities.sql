-- Every text key sorts by COLLATE "C" (UTF-8 byte order, the order SQLite's BINARY gives), so ids
-- come back in the same order from both backends and on any server locale.
-- Every primary key that can hold the entity id does, so entity and entity_type can be
-- distributed (and colocated) by id with Citus.

-- Tenants are created by their first write and never share a row with another tenant.
CREATE TABLE tenant (
  name text COLLATE "C" PRIMARY KEY,
  created_at timestamptz NOT NULL
);

-- One row per entity. Times keep microseconds; doc is jsonb so queries can be pushed down.
CREATE TABLE entity (
  tenant text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  types text[] NOT NULL,
  created_at timestamptz NOT NULL,
  modified_at timestamptz NOT NULL,
  doc jsonb NOT NULL,
  PRIMARY KEY (tenant, id)
);

-- The type index: an entity has one row per type, so "type=A,B" is an index range per type.
CREATE TABLE entity_type (
  tenant text COLLATE "C" NOT NULL,
  type text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  PRIMARY KEY (tenant, type, id)
);

CREATE TABLE document (
  collection text COLLATE "C" NOT NULL,
  key text COLLATE "C" NOT NULL,
  body text NOT NULL,
  PRIMARY KEY (collection, key)
);

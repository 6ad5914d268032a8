-- Key custody (CustodyStorage). Device keys exist here only wrapped under a storage KEK (kek names
-- it, wrapped is the RFC 3394/5649 output); times are microseconds since the epoch, as on SQLite.
-- Text keys sort by COLLATE "C" so campaign cursors page in the same order on both backends.
-- Every table leads with device_id, so it can be distributed by device with Citus.
-- The minimal device record a rotation campaign selects by (supplier, batch, region).
CREATE TABLE custody_device (
  device_id text COLLATE "C" PRIMARY KEY,
  supplier text COLLATE "C" NOT NULL,
  batch text COLLATE "C" NOT NULL,
  region text COLLATE "C" NOT NULL
);
CREATE INDEX custody_device_supplier ON custody_device (supplier, device_id);
CREATE INDEX custody_device_batch ON custody_device (batch, device_id);
CREATE INDEX custody_device_region ON custody_device (region, device_id);
-- One row per key version; "all keys of a chunk of devices" is one range per device on the key.
CREATE TABLE custody_key (
  device_id text COLLATE "C" NOT NULL,
  role text COLLATE "C" NOT NULL,
  version integer NOT NULL,
  state text COLLATE "C" NOT NULL,
  provenance text COLLATE "C" NOT NULL,
  backend text NOT NULL,
  kek text NOT NULL,
  wrap_method text NOT NULL,
  wrapped bytea NOT NULL,
  created_at bigint NOT NULL,
  changed_at bigint NOT NULL,
  PRIMARY KEY (device_id, role, version)
);
-- Fleet-wide selections: every device with an ACTIVE FACTORY_IMPORTED key, in device order.
CREATE INDEX custody_key_provenance ON custody_key (provenance, state, device_id);
-- Campaign progress: the cursor is the last device whose keys are stored and delivered.
CREATE TABLE custody_campaign (
  campaign_id text COLLATE "C" PRIMARY KEY,
  spec text NOT NULL,
  status text NOT NULL,
  cursor text COLLATE "C" NOT NULL,
  devices_done bigint NOT NULL,
  devices_total bigint NOT NULL,
  devices_skipped bigint NOT NULL,
  keys_delivered bigint NOT NULL,
  reason text NOT NULL,
  created_at bigint NOT NULL,
  changed_at bigint NOT NULL
);

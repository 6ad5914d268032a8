-- Key custody (CustodyStorage). Device keys exist here only wrapped under a storage KEK (kek names
-- it, wrapped is the RFC 3394/5649 output); times are microseconds since the epoch.
-- The minimal device record a rotation campaign selects by (supplier, batch, region).
CREATE TABLE custody_device (
  device_id TEXT PRIMARY KEY,
  supplier TEXT NOT NULL,
  batch TEXT NOT NULL,
  region TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX custody_device_supplier ON custody_device (supplier, device_id);
CREATE INDEX custody_device_batch ON custody_device (batch, device_id);
CREATE INDEX custody_device_region ON custody_device (region, device_id);
-- One row per key version; "all keys of a chunk of devices" is one range per device on the key.
CREATE TABLE custody_key (
  device_id TEXT NOT NULL,
  role TEXT NOT NULL,
  version INTEGER NOT NULL,
  state TEXT NOT NULL,
  provenance TEXT NOT NULL,
  backend TEXT NOT NULL,
  kek TEXT NOT NULL,
  wrap_method TEXT NOT NULL,
  wrapped BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  changed_at INTEGER NOT NULL,
  PRIMARY KEY (device_id, role, version)
) WITHOUT ROWID;
-- Fleet-wide selections: every device with an ACTIVE FACTORY_IMPORTED key, in device order.
CREATE INDEX custody_key_provenance ON custody_key (provenance, state, device_id);
-- Campaign progress: the cursor is the last device whose keys are stored and delivered.
CREATE TABLE custody_campaign (
  campaign_id TEXT PRIMARY KEY,
  spec TEXT NOT NULL,
  status TEXT NOT NULL,
  cursor TEXT NOT NULL,
  devices_done INTEGER NOT NULL,
  devices_total INTEGER NOT NULL,
  devices_skipped INTEGER NOT NULL,
  keys_delivered INTEGER NOT NULL,
  reason TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  changed_at INTEGER NOT NULL
) WITHOUT ROWID;

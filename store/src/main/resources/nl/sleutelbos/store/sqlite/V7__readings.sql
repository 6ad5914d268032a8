-- Meter readings (ReadingStore): one row per telegram, keyed by (meter, time) so a re-delivered
-- telegram is ignored; the row is clustered by meter, so a meter's day is one range. seq orders
-- rows by commit for followers (the projector of latest values). Times are microseconds since
-- the epoch; vals is the caller's compact encoding of the measured values.
CREATE TABLE meter_reading (
  meter_id TEXT NOT NULL,
  observed_at INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  stored_at INTEGER NOT NULL,
  flags INTEGER NOT NULL,
  vals BLOB NOT NULL,
  PRIMARY KEY (meter_id, observed_at)
) WITHOUT ROWID;
CREATE UNIQUE INDEX meter_reading_seq ON meter_reading (seq);

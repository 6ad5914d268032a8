-- Meter readings (ReadingStore): one row per telegram, keyed by (meter, time) so a re-delivered
-- telegram is ignored; the key leads with meter_id, so the table can be distributed by meter.
-- seq orders rows by commit for followers (inserts are serialised by an advisory lock so that a
-- smaller seq never commits after a larger one). Times are microseconds since the epoch, as on
-- SQLite; vals is the caller's compact encoding of the measured values.
CREATE TABLE meter_reading (
  meter_id text COLLATE "C" NOT NULL,
  observed_at bigint NOT NULL,
  seq bigint NOT NULL,
  received_at bigint NOT NULL,
  stored_at bigint NOT NULL,
  flags integer NOT NULL,
  vals bytea NOT NULL,
  PRIMARY KEY (meter_id, observed_at)
);
CREATE UNIQUE INDEX meter_reading_seq ON meter_reading (seq);

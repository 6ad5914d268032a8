-- The change feed that subscriptions read (ChangeFeed). AUTOINCREMENT: a sequence is never
-- reused after a trim, so a subscriber's remembered position stays meaningful.
CREATE TABLE feed (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  types TEXT NOT NULL,
  kind TEXT NOT NULL,
  attributes TEXT NOT NULL,
  doc TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX feed_by_tenant ON feed (tenant, seq);

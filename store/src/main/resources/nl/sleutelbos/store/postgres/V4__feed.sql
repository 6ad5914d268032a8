-- The change feed that subscriptions read (ChangeFeed). Sequence order must be commit order, so
-- appenders take their numbers from the one feed_head row inside their transaction: its row lock
-- serialises them until commit. (A plain sequence hands out numbers at insert time, and a later
-- number could commit first; a reader that moved past it would miss the earlier one.)
CREATE TABLE feed_head (
  singleton boolean PRIMARY KEY CHECK (singleton),
  seq bigint NOT NULL
);
INSERT INTO feed_head (singleton, seq) VALUES (true, 0);

CREATE TABLE feed (
  seq bigint PRIMARY KEY,
  tenant text COLLATE "C" NOT NULL,
  entity_id text COLLATE "C" NOT NULL,
  types text[] NOT NULL,
  kind text NOT NULL,
  attributes text[] NOT NULL,
  doc text NOT NULL,
  at timestamptz NOT NULL
);
CREATE INDEX feed_by_tenant ON feed (tenant, seq);

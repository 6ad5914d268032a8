-- The audit tree as tiles instead of a row per node (issue 6): a tile is one row holding up to 256
-- consecutive complete-node hashes of one level, 32 bytes each, nodes (level, 256·tile) onwards.
-- An append extends the partial tile at the right edge of each level it reaches and starts new
-- ones, so it writes a handful of rows per level instead of two rows and a random index entry per
-- entry. A proof still reads O(log n) rows (one tile per node it needs; several share one).
CREATE TABLE audit_tile (
  level smallint NOT NULL,
  tile bigint NOT NULL,
  hashes bytea NOT NULL,
  PRIMARY KEY (level, tile)
);
-- Hashes do not compress: keep TOAST from trying on every rewrite of a partial tile.
ALTER TABLE audit_tile ALTER COLUMN hashes SET STORAGE EXTERNAL;
-- Leaf lookup by hash: the first 8 bytes of each leaf hash, keyed by epoch (2^14 leaves) first, so
-- an append inserts into the current epoch's few pages instead of anywhere in a tree of all leaves.
-- A lookup probes each epoch once; candidates are confirmed against the leaf hash in its tile.
CREATE TABLE audit_leaf (
  epoch integer NOT NULL,
  prefix bytea NOT NULL,
  idx bigint NOT NULL,
  PRIMARY KEY (epoch, prefix, idx)
);
-- Convert a log kept in the V5 layout; the hashes are copied byte for byte, so every root and
-- every checkpoint issued over it stays valid. Nodes of a level are contiguous from index 0.
INSERT INTO audit_tile (level, tile, hashes)
  SELECT level, idx >> 8, string_agg(hash, ''::bytea ORDER BY idx)
  FROM audit_node GROUP BY level, idx >> 8;
INSERT INTO audit_leaf (epoch, prefix, idx)
  SELECT (idx >> 14)::integer, substring(hash from 1 for 8), idx FROM audit_node WHERE level = 0;
DROP INDEX audit_leaf_by_hash;
DROP TABLE audit_node;

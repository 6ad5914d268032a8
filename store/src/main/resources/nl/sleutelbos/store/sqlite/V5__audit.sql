-- The audit log (AuditStorage): entries by position, the hashes of the Merkle tree's complete
-- subtrees (level 0 = leaf hashes) so that a proof reads O(log n) rows, and the signed checkpoints.
CREATE TABLE audit_entry (
  idx INTEGER PRIMARY KEY,
  entry BLOB NOT NULL
);
CREATE TABLE audit_node (
  level INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  hash BLOB NOT NULL,
  PRIMARY KEY (level, idx)
) WITHOUT ROWID;
CREATE TABLE audit_checkpoint (
  tree_size INTEGER PRIMARY KEY,
  note TEXT NOT NULL
);
-- Inclusion proofs by entry hash: which leaf has this hash.
CREATE INDEX audit_leaf_by_hash ON audit_node (hash) WHERE level = 0;

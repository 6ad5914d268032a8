-- The audit log (AuditStorage): entries by position, the hashes of the Merkle tree's complete
-- subtrees (level 0 = leaf hashes) so that a proof reads O(log n) rows, and the signed checkpoints.
CREATE TABLE audit_entry (
  idx bigint PRIMARY KEY,
  entry bytea NOT NULL
);
CREATE TABLE audit_node (
  level smallint NOT NULL,
  idx bigint NOT NULL,
  hash bytea NOT NULL,
  PRIMARY KEY (level, idx)
);
CREATE TABLE audit_checkpoint (
  tree_size bigint PRIMARY KEY,
  note text NOT NULL
);
-- Inclusion proofs by entry hash: which leaf has this hash.
CREATE INDEX audit_leaf_by_hash ON audit_node (hash) WHERE level = 0;

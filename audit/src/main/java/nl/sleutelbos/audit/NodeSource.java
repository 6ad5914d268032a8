package nl.sleutelbos.audit;

/**
 * Where {@link MerkleTree} reads the tree from: the hashes of complete (perfect, aligned)
 * subtrees. Node {@code (level, index)} is the root of leaves {@code [index·2^level,
 * (index+1)·2^level)}; level 0 holds the leaf hashes. A source only answers for nodes whose leaves
 * all exist, which is what makes every proof cost O(log n) reads.
 */
public interface NodeSource {
  /** The hash of complete subtree {@code (level, index)}; 32 bytes. */
  byte[] node(int level, long index);
}

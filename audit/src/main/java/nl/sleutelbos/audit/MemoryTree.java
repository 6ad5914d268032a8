package nl.sleutelbos.audit;

import java.util.ArrayList;
import java.util.List;

/**
 * A whole tree held in memory: every complete node, about 64 bytes per leaf. For tests, for
 * proofs served from a cache, and for checking a log small enough to hold; a stored log reads the
 * same nodes from the database instead.
 */
public final class MemoryTree implements NodeSource {
  private final List<List<byte[]>> levels = new ArrayList<>();
  private final Frontier frontier = new Frontier();

  /** Appends the leaf hash of the next entry. */
  public void appendLeafHash(byte[] leafHash) {
    frontier.append(leafHash, (level, index, hash) -> {
      while (levels.size() <= level) {
        levels.add(new ArrayList<>());
      }
      levels.get(level).add(hash);
    });
  }

  /** Appends an entry's encoded bytes, hashing them as a leaf. */
  public void append(byte[] entry) {
    appendLeafHash(TreeHash.leaf(entry));
  }

  public long size() {
    return frontier.size();
  }

  public byte[] root() {
    return frontier.root();
  }

  public byte[] root(long size) {
    checkSize(size);
    return MerkleTree.root(this, size);
  }

  public List<byte[]> inclusionProof(long index, long size) {
    checkSize(size);
    return MerkleTree.inclusionProof(this, index, size);
  }

  public List<byte[]> consistencyProof(long from, long to) {
    checkSize(to);
    return MerkleTree.consistencyProof(this, from, to);
  }

  @Override
  public byte[] node(int level, long index) {
    if (level >= levels.size() || index >= levels.get(level).size()) {
      throw new IllegalArgumentException("no complete node (" + level + ", " + index + ") in a tree of size " + size());
    }
    return levels.get(level).get((int) index);
  }

  private void checkSize(long size) {
    if (size > size()) {
      throw new IllegalArgumentException("tree size " + size + " > " + size());
    }
  }
}

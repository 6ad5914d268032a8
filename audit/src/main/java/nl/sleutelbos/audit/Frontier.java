package nl.sleutelbos.audit;

import java.util.Arrays;

/**
 * The right edge of a growing tree: one complete-subtree root per set bit of the size (a "compact
 * range" over [0, size)). Appending a leaf merges equal-height roots as a binary counter carries,
 * and reports each complete node it created, so a writer stores exactly the nodes that a
 * {@link NodeSource} must answer for; the root of the current size folds the edge from the right.
 * Not thread-safe; each log has one writer.
 */
public final class Frontier {
  /** Told about each complete node an append creates, leaf first. */
  @FunctionalInterface
  public interface NodeSink {
    void node(int level, long index, byte[] hash);
  }

  private final byte[][] roots = new byte[64][];
  private long size;

  public Frontier() {}

  /** A frontier for a tree whose complete nodes already exist in {@code nodes}. */
  public static Frontier of(NodeSource nodes, long size) {
    Frontier frontier = new Frontier();
    long start = 0;
    for (int level = 63; level >= 0; level--) {
      if ((size >>> level & 1) == 1) {
        frontier.roots[level] = nodes.node(level, start >>> level);
        start += 1L << level;
      }
    }
    frontier.size = size;
    return frontier;
  }

  public long size() {
    return size;
  }

  /** Adds the next leaf hash, telling {@code sink} about the leaf node and every node it completes. */
  public void append(byte[] leafHash, NodeSink sink) {
    byte[] hash = leafHash;
    long index = size;
    int level = 0;
    sink.node(0, index, hash);
    while ((size >>> level & 1) == 1) {
      hash = TreeHash.node(roots[level], hash);
      roots[level] = null;
      level++;
      index >>>= 1;
      sink.node(level, index, hash);
    }
    roots[level] = hash;
    size++;
  }

  /** {@code MTH} of the current tree. */
  public byte[] root() {
    byte[] root = null;
    for (int level = 0; level < 64; level++) {
      if (roots[level] != null) {
        root = root == null ? roots[level] : TreeHash.node(roots[level], root);
      }
    }
    return root == null ? TreeHash.empty() : root;
  }

  @Override
  public String toString() {
    return "Frontier[size=" + size + ", levels=" + Arrays.stream(roots).filter(r -> r != null).count() + "]";
  }
}

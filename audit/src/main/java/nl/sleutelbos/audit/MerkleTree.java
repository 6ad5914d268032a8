package nl.sleutelbos.audit;

import java.util.ArrayList;
import java.util.List;

/**
 * The RFC 9162 §2.1 tree functions over stored complete subtrees: the tree head {@code MTH}
 * (§2.1.1), the inclusion path {@code PATH} (§2.1.3.1) and the consistency proof {@code PROOF}
 * (§2.1.4.1). Each follows the RFC's recursion, splitting a range at the largest power of two below
 * its size; a range that is itself a complete subtree is one {@link NodeSource} read instead of a
 * recursion, so a root or proof reads O(log n) nodes.
 */
public final class MerkleTree {
  private MerkleTree() {}

  /** {@code MTH(D[0:size])}. */
  public static byte[] root(NodeSource nodes, long size) {
    if (size < 0) {
      throw new IllegalArgumentException("size < 0: " + size);
    }
    return size == 0 ? TreeHash.empty() : range(nodes, 0, size);
  }

  /** {@code PATH(index, D[0:size])}, the audit path from the leaf up, RFC order. */
  public static List<byte[]> inclusionProof(NodeSource nodes, long index, long size) {
    if (index < 0 || index >= size) {
      throw new IllegalArgumentException("index " + index + " outside a tree of size " + size);
    }
    List<byte[]> proof = new ArrayList<>(64);
    path(nodes, index, 0, size, proof);
    return proof;
  }

  /** {@code PROOF(from, D[0:to])}; empty when {@code from} is 0 or equals {@code to}. */
  public static List<byte[]> consistencyProof(NodeSource nodes, long from, long to) {
    if (from < 0 || from > to) {
      throw new IllegalArgumentException("no consistency proof from size " + from + " to " + to);
    }
    List<byte[]> proof = new ArrayList<>(64);
    if (from > 0 && from < to) {
      subproof(nodes, from, 0, to, true, proof);
    }
    return proof;
  }

  /** MTH of leaves [start, end), end > start. */
  static byte[] range(NodeSource nodes, long start, long end) {
    long n = end - start;
    if (Long.bitCount(n) == 1 && start % n == 0) {
      return nodes.node(Long.numberOfTrailingZeros(n), start / n);
    }
    long k = split(n);
    return TreeHash.node(range(nodes, start, start + k), range(nodes, start + k, end));
  }

  private static void path(NodeSource nodes, long m, long start, long end, List<byte[]> out) {
    long n = end - start;
    if (n == 1) {
      return;
    }
    long k = split(n);
    if (m < k) {
      path(nodes, m, start, start + k, out);
      out.add(range(nodes, start + k, end));
    } else {
      path(nodes, m - k, start + k, end, out);
      out.add(range(nodes, start, start + k));
    }
  }

  private static void subproof(
      NodeSource nodes, long m, long start, long end, boolean whole, List<byte[]> out) {
    long n = end - start;
    if (m == n) {
      if (!whole) {
        out.add(range(nodes, start, end));
      }
      return;
    }
    long k = split(n);
    if (m <= k) {
      subproof(nodes, m, start, start + k, whole, out);
      out.add(range(nodes, start + k, end));
    } else {
      subproof(nodes, m - k, start + k, end, false, out);
      out.add(range(nodes, start, start + k));
    }
  }

  /** The largest power of two smaller than n (n ≥ 2). */
  private static long split(long n) {
    return Long.highestOneBit(n - 1);
  }
}

package nl.sleutelbos.store.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import nl.sleutelbos.store.AuditStorage.Node;
import nl.sleutelbos.store.AuditStorage.NodeId;

/**
 * The tile layout of the audit tree, shared by both backends (schema {@code V8__audit_tiles}).
 *
 * <p>A tile is one row {@code (level, tile, hashes)}: the hashes of nodes {@code (level, 256·tile)}
 * onwards, {@value #HASH} bytes each, at most {@value #WIDTH} of them. Only the rightmost tile of
 * a level is ever partial, and an append only ever extends it or starts new tiles, so the rows an
 * append writes are a few per level, not one per node (the layout of C2SP tlog-tiles and Tessera,
 * except that every level is stored, so a proof needs no hashing to read a node).
 *
 * <p>Leaf lookup by hash goes through {@code audit_leaf (epoch, prefix, idx)}: the first
 * {@value #PREFIX} bytes of the leaf hash under its epoch of {@value #EPOCH_BITS}-bit index ranges.
 * Keyed by hash alone the index takes each append's keys at random places in a B-tree of every leaf
 * ever written, and each commit then rewrites about one page per entry (at a million leaves a
 * 1,000-entry commit dirtied ~1,000 pages of 4 KiB); keyed by epoch first, the inserts land in the
 * current epoch's ~80 pages. The price is on the lookup side: it probes every epoch (n / 16,384
 * probes, 611 at ten million) and confirms each candidate against the full leaf hash in its tile,
 * which also resolves prefix collisions. An LSM-style merge of finished epochs into larger ones
 * would bound the probes; lookup by hash is rare (proofs go by index), so it waits until needed.
 * The migration {@code V8} uses the same constant. The SQLite backend writes an epoch's rows only
 * once the epoch is complete, all at once and in key order ({@link #keyOrder}), and searches the
 * epoch still filling in its level-0 tiles ({@link #slotOf}); PostgreSQL writes each commit's rows.
 */
public final class AuditTiles {
  /** Hashes per tile. */
  public static final int WIDTH = 256;
  /** Bytes per hash. */
  public static final int HASH = 32;
  /** Bytes of the leaf hash kept in the lookup table. */
  public static final int PREFIX = 8;
  /** Leaves per lookup epoch, as a power of two. */
  public static final int EPOCH_BITS = 14;

  private AuditTiles() {}

  /**
   * Consecutive nodes of one level inside one tile: {@code hashes} goes at hash position
   * {@code offset} of tile {@code (level, tile)}. With offset 0 it starts a new tile row; otherwise
   * it extends a stored tile that holds exactly {@code offset} hashes.
   */
  public record Run(int level, long tile, int offset, byte[] hashes) {
    /** The stored tile length this run must find, in bytes (0: the tile must not exist). */
    public int expectedBytes() {
      return offset * HASH;
    }
  }

  /** One row of the leaf lookup table; ordered as the table's key (epoch, prefix, index). */
  public record LeafKey(long epoch, byte[] prefix, long index) implements Comparable<LeafKey> {
    @Override
    public int compareTo(LeafKey other) {
      int c = Long.compare(epoch, other.epoch);
      if (c == 0) {
        c = Arrays.compareUnsigned(prefix, other.prefix);
      }
      return c != 0 ? c : Long.compare(index, other.index);
    }
  }

  /**
   * The tile runs that store {@code nodes}, in (level, index) order. Nodes that are not
   * consecutive start a new run; the backend's length check then refuses a gap or a repeat.
   */
  public static List<Run> runs(List<Node> nodes) {
    // The appender lists each level's nodes in index order (levels interleaved), so grouping by
    // level keeps them sorted without a sort of every node; a level that is not gets sorted.
    List<List<Node>> levels = new ArrayList<>();
    for (Node node : nodes) {
      int level = node.id().level();
      while (levels.size() <= level) {
        levels.add(new ArrayList<>());
      }
      levels.get(level).add(node);
    }
    List<Run> runs = new ArrayList<>();
    for (List<Node> level : levels) {
      if (!inIndexOrder(level)) {
        level.sort(Comparator.comparingLong(n -> n.id().index()));
      }
      addRuns(level, runs);
    }
    return runs;
  }

  private static boolean inIndexOrder(List<Node> level) {
    for (int i = 1; i < level.size(); i++) {
      if (level.get(i - 1).id().index() > level.get(i).id().index()) {
        return false;
      }
    }
    return true;
  }

  /** Adds the runs of one level's nodes, sorted by index. */
  private static void addRuns(List<Node> sorted, List<Run> runs) {
    int i = 0;
    while (i < sorted.size()) {
      NodeId first = sorted.get(i).id();
      long tile = first.index() / WIDTH;
      int j = i + 1;
      while (j < sorted.size()) {
        NodeId id = sorted.get(j).id();
        if (id.index() != first.index() + (j - i) || id.index() / WIDTH != tile) {
          break;
        }
        j++;
      }
      byte[] hashes = new byte[(j - i) * HASH];
      for (int k = i; k < j; k++) {
        System.arraycopy(hash(sorted.get(k)), 0, hashes, (k - i) * HASH, HASH);
      }
      runs.add(new Run(first.level(), tile, (int) (first.index() % WIDTH), hashes));
      i = j;
    }
  }

  /** The lookup rows of the leaves (level-0 nodes) among {@code nodes}, in key order. */
  public static List<LeafKey> leafKeys(List<Node> nodes) {
    List<LeafKey> keys = new ArrayList<>();
    for (Node node : nodes) {
      if (node.id().level() == 0) {
        keys.add(new LeafKey(epoch(node.id().index()), prefix(hash(node)), node.id().index()));
      }
    }
    java.util.Collections.sort(keys);
    return keys;
  }

  public static long epoch(long index) {
    return index >>> EPOCH_BITS;
  }

  public static byte[] prefix(byte[] leafHash) {
    return Arrays.copyOf(leafHash, PREFIX);
  }
  /**
   * The first candidate (in order) whose stored leaf hash is this one: candidates come from the
   * 8-byte prefix, which can collide, so the full hash decides. One read for all candidates.
   */
  public static Optional<Long> confirmed(List<Long> candidates, byte[] leafHash,
      Function<Collection<NodeId>, Map<NodeId, byte[]>> nodes) {
    if (candidates.isEmpty()) {
      return Optional.empty();
    }
    Map<NodeId, byte[]> stored = nodes.apply(candidates.stream().map(i -> new NodeId(0, i)).toList());
    for (long index : candidates) {
      if (Arrays.equals(stored.get(new NodeId(0, index)), leafHash)) {
        return Optional.of(index);
      }
    }
    return Optional.empty();
  }


  /**
   * The positions of the hashes in {@code leaves} (consecutive {@value #HASH}-byte leaf hashes, at
   * most 2^{@value #EPOCH_BITS}), in the order of their lookup key: prefix, then position. Sorted
   * as plain longs, each the prefix's first 50 bits (sign flipped, so that signed order is unsigned
   * order) above the 14-bit position; prefixes equal in those 50 bits then go by position, which
   * only matters to how densely the rows pack, never to what is stored.
   */
  public static long[] keyOrder(byte[] leaves) {
    int count = leaves.length / HASH;
    if (count > 1 << EPOCH_BITS) {
      throw new IllegalArgumentException("more leaves than an epoch holds: " + count);
    }
    long positionMask = (1L << EPOCH_BITS) - 1;
    long[] keys = new long[count];
    for (int i = 0; i < count; i++) {
      long prefix = (long) LONG_BE.get(leaves, i * HASH);
      keys[i] = ((prefix & ~positionMask) | i) ^ Long.MIN_VALUE;
    }
    java.util.Arrays.sort(keys);
    for (int i = 0; i < count; i++) {
      keys[i] &= positionMask;
    }
    return keys;
  }

  private static final java.lang.invoke.VarHandle LONG_BE =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.BIG_ENDIAN);

  /** The position in {@code tile} of the first hash equal to {@code hash}, if any. */
  public static OptionalInt slotOf(byte[] tile, byte[] hash) {
    for (int slot = 0; (slot + 1) * HASH <= tile.length; slot++) {
      if (Arrays.equals(tile, slot * HASH, (slot + 1) * HASH, hash, 0, HASH)) {
        return OptionalInt.of(slot);
      }
    }
    return OptionalInt.empty();
  }

  /** The tiles, as (level, tile) node ids, that hold {@code ids}; each once. */
  public static Set<NodeId> tilesOf(Collection<NodeId> ids) {
    Set<NodeId> tiles = new LinkedHashSet<>();
    for (NodeId id : ids) {
      tiles.add(new NodeId(id.level(), id.index() / WIDTH));
    }
    return tiles;
  }

  /** The hashes of {@code ids} cut from the tiles read ({@link #tilesOf} keys); absent if not stored. */
  public static Map<NodeId, byte[]> cut(Collection<NodeId> ids, Map<NodeId, byte[]> tiles) {
    Map<NodeId, byte[]> out = new HashMap<>();
    for (NodeId id : ids) {
      byte[] tile = tiles.get(new NodeId(id.level(), id.index() / WIDTH));
      int offset = (int) (id.index() % WIDTH) * HASH;
      if (tile != null && offset + HASH <= tile.length) {
        out.put(id, Arrays.copyOfRange(tile, offset, offset + HASH));
      }
    }
    return out;
  }

  private static byte[] hash(Node node) {
    if (node.hash().length != HASH) {
      throw new IllegalArgumentException("audit node hash is not " + HASH + " bytes: " + node.hash().length);
    }
    return node.hash();
  }
}

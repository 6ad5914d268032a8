package nl.sleutelbos.store;

import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Durable storage of an append-only Merkle-tree log (the audit log): its entries as opaque bytes,
 * the hashes of its complete subtrees, and the signed checkpoints issued over it. The store knows
 * nothing of hashing; the audit module computes every hash and checks every proof.
 *
 * <p>Appends are atomic and durable on return, like {@link EntityStore#apply}: either all entries
 * and nodes of a call are stored or none. The store refuses an append that does not start exactly
 * at the current size, so a second writer can never fork or leave a gap in the log.
 */
public interface AuditStorage {

  /** An entry at its position in the log. */
  record Entry(long index, byte[] bytes) {
    public Entry {
      if (index < 0) {
        throw new IllegalArgumentException("index < 0: " + index);
      }
      requireNonNull(bytes, "bytes is null");
    }
  }

  /** Coordinates of a complete subtree: the root of leaves [index·2^level, (index+1)·2^level). */
  record NodeId(int level, long index) {
    public NodeId {
      if (level < 0 || level > 63 || index < 0) {
        throw new IllegalArgumentException("no such node: (" + level + ", " + index + ")");
      }
    }
  }

  /** The hash of a complete subtree. */
  record Node(NodeId id, byte[] hash) {
    public Node {
      requireNonNull(id, "id is null");
      requireNonNull(hash, "hash is null");
    }
  }

  /** A checkpoint (a signed note) over the first {@code treeSize} entries. */
  record Checkpoint(long treeSize, String note) {
    public Checkpoint {
      requireNonNull(note, "note is null");
    }
  }

  /**
   * Stores entries {@code [size(), size() + entries.size())} and the complete nodes they
   * complete, in one transaction.
   *
   * @throws StoreException if the first entry's index is not the current size
   */
  void append(List<Entry> entries, List<Node> nodes);

  /** The number of entries. */
  long size();

  /** Entries with index in [start, end), in order; fewer if the log is shorter. */
  List<Entry> entries(long start, long end);

  /** The stored hashes among {@code ids}, in one read; ids not (yet) stored are absent. */
  Map<NodeId, byte[]> nodes(Collection<NodeId> ids);

  /** The index of the first leaf whose hash (level-0 node) is {@code leafHash}, if any. */
  Optional<Long> leafIndex(byte[] leafHash);

  /** Keeps a checkpoint; a second one for the same tree size is ignored (returns false). */
  boolean addCheckpoint(Checkpoint checkpoint);

  /** The checkpoint with the largest tree size. */
  Optional<Checkpoint> latestCheckpoint();

  /** Every checkpoint kept, by tree size. */
  List<Checkpoint> checkpoints();
}

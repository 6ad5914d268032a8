package nl.sleutelbos.audit;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The offline verifier: recomputes the tree from a bundle's entries, checks every checkpoint's
 * signature and that the recomputed root at its size is the signed one (which makes all
 * checkpoints consistent with each other, being roots of one recomputed tree), and that the log
 * extends a checkpoint the auditor kept from an earlier visit. The first failure is reported with
 * the first index known to be bad.
 */
public final class BundleVerifier {
  /** What the verifier found: either sound, or the first bad index and why. */
  public record Verdict(long entries, int checkpoints, long firstBadIndex, String problem) {
    public boolean sound() {
      return problem == null;
    }
  }

  private final NoteVerifier notes;

  /** @param key the operator's key as the auditor pinned it (or, weaker, as the bundle states it) */
  public BundleVerifier(NoteKey key) {
    this.notes = new NoteVerifier(key);
  }

  public Verdict verify(AuditBundle bundle, Optional<SignedNote> trusted) {
    // Every checkpoint must be signed by the operator's key.
    TreeMap<Long, Checkpoint> bySize = new TreeMap<>();
    for (String note : bundle.checkpoints()) {
      try {
        Checkpoint c = notes.verifyCheckpoint(SignedNote.parse(note));
        bySize.put(c.treeSize(), c);
      } catch (AuditException | IllegalArgumentException e) {
        return bad(bundle, bySize, -1, "a checkpoint does not verify: " + e.getMessage());
      }
    }
    Checkpoint kept = null;
    if (trusted.isPresent()) {
      try {
        kept = notes.verifyCheckpoint(trusted.get());
      } catch (AuditException e) {
        return bad(bundle, bySize, -1, "the trusted checkpoint does not verify: " + e.getMessage());
      }
    }
    // Recompute the tree, leaf by leaf, taking the root at every size a checkpoint names.
    Map<Long, byte[]> roots = new HashMap<>();
    List<byte[]> leafHashes = new ArrayList<>(bundle.entries().size());
    Frontier frontier = new Frontier();
    roots.put(0L, frontier.root());
    long lastGood = 0;
    for (int i = 0; i < bundle.entries().size(); i++) {
      byte[] bytes = bundle.entries().get(i);
      AuditEntry entry;
      try {
        entry = AuditEntry.decode(bytes);
      } catch (IllegalArgumentException e) {
        return bad(bundle, bySize, i, "entry " + i + " is not a well-formed entry: " + e.getMessage());
      }
      if (entry.sequence() != i) {
        return bad(bundle, bySize, i, "entry at position " + i + " carries sequence " + entry.sequence()
            + ": entries are missing or out of order from index " + i);
      }
      byte[] leaf = TreeHash.leaf(bytes);
      leafHashes.add(leaf);
      frontier.append(leaf, (level, index, hash) -> {});
      long size = i + 1L;
      if (bySize.containsKey(size) || kept != null && kept.treeSize() == size) {
        roots.put(size, frontier.root());
      }
      Checkpoint c = bySize.get(size);
      if (c != null) {
        if (!MessageDigest.isEqual(roots.get(size), c.rootHash())) {
          long index = locate(bundle, leafHashes, lastGood, size);
          return bad(bundle, bySize, index, "the entries do not give the signed root of checkpoint " + size
              + (index >= 0 ? "; entry " + index + " differs from what the log hashed"
                  : "; an entry in [" + lastGood + ", " + size + ") was changed"));
        }
        lastGood = size;
      }
    }
    long n = bundle.entries().size();
    if (!bySize.isEmpty() && bySize.lastKey() > n) {
      return bad(bundle, bySize, n, "checkpoint " + bySize.lastKey() + " was signed over more entries than the "
          + n + " present: the log was truncated from index " + n);
    }
    if (kept != null) {
      if (kept.treeSize() > n) {
        return bad(bundle, bySize, n, "the trusted checkpoint covers " + kept.treeSize() + " entries but only "
            + n + " are present: the log was truncated from index " + n);
      }
      if (!MessageDigest.isEqual(roots.get(kept.treeSize()), kept.rootHash())) {
        return bad(bundle, bySize, kept.treeSize() - 1, "fork: the log's tree of size " + kept.treeSize()
            + " is not the one in the trusted checkpoint; history was rewritten at or before index " + (kept.treeSize() - 1));
      }
    }
    return new Verdict(n, bySize.size(), -1, null);
  }

  /** The first index in [from, to) whose entry does not hash to the log's stored leaf hash, or -1. */
  private static long locate(AuditBundle bundle, List<byte[]> leafHashes, long from, long to) {
    for (long i = from; i < to && i < bundle.storedLeafHashes().size(); i++) {
      if (!MessageDigest.isEqual(leafHashes.get((int) i), bundle.storedLeafHashes().get((int) i))) {
        return i;
      }
    }
    return -1;
  }

  private static Verdict bad(AuditBundle bundle, TreeMap<Long, Checkpoint> bySize, long index, String problem) {
    return new Verdict(bundle.entries().size(), bySize.size(), index, problem);
  }
}

package nl.sleutelbos.audit;

import static java.util.Objects.requireNonNull;

import java.util.Base64;

/**
 * A tree head in the C2SP {@code tlog-checkpoint} text form: the origin line, the tree size in
 * decimal, the base64 root hash, each ending in a newline. This text is what a checkpoint's
 * signed note signs.
 *
 * @param origin the log's unique name, a schema-less URL such as {@code sleutelbos.example/audit}
 */
public record Checkpoint(String origin, long treeSize, byte[] rootHash) {
  public Checkpoint {
    requireNonNull(origin, "origin is null");
    requireNonNull(rootHash, "rootHash is null");
    if (origin.isEmpty() || origin.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new IllegalArgumentException("origin must be one non-empty line without control characters");
    }
    if (treeSize < 0) {
      throw new IllegalArgumentException("treeSize < 0: " + treeSize);
    }
    if (rootHash.length != TreeHash.SIZE) {
      throw new IllegalArgumentException("root hash is not " + TreeHash.SIZE + " bytes: " + rootHash.length);
    }
    rootHash = rootHash.clone();
  }

  @Override
  public byte[] rootHash() {
    return rootHash.clone();
  }

  /** The note text: three lines, each ending in a newline. */
  public String text() {
    return origin + "\n" + treeSize + "\n" + Base64.getEncoder().encodeToString(rootHash) + "\n";
  }

  /**
   * Reads a checkpoint's note text. Extension lines after the root hash are allowed by the
   * format and ignored here; the signature covers them anyway.
   */
  public static Checkpoint parse(String text) {
    String[] lines = text.split("\n", -1);
    if (lines.length < 4 || !text.endsWith("\n")) {
      throw new IllegalArgumentException("a checkpoint has an origin, a size and a root hash line");
    }
    String size = lines[1];
    if (!size.matches("0|[1-9][0-9]{0,18}")) {
      throw new IllegalArgumentException("tree size is not a decimal without leading zeros: " + size);
    }
    byte[] root;
    try {
      root = Base64.getDecoder().decode(lines[2]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("root hash is not base64", e);
    }
    return new Checkpoint(lines[0], Long.parseLong(size), root);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Checkpoint c
        && c.origin.equals(origin) && c.treeSize == treeSize && java.util.Arrays.equals(c.rootHash, rootHash);
  }

  @Override
  public int hashCode() {
    return origin.hashCode() * 31 + Long.hashCode(treeSize);
  }

  @Override
  public String toString() {
    return "Checkpoint[" + origin + ", " + treeSize + ", " + Base64.getEncoder().encodeToString(rootHash) + "]";
  }
}

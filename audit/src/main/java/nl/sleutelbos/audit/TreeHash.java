package nl.sleutelbos.audit;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * RFC 9162 §2.1.1 hashing with SHA-256: a leaf is {@code H(0x00 || entry)}, an interior node
 * {@code H(0x01 || left || right)}, the empty tree {@code H()}. The distinct prefixes keep a leaf
 * from ever being passed off as an interior node (second-preimage resistance of the tree).
 */
public final class TreeHash {
  /** The size of every hash in the tree, in bytes. */
  public static final int SIZE = 32;

  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(TreeHash::sha256);

  private TreeHash() {}

  /** {@code SHA-256(0x00 || entry)}. */
  public static byte[] leaf(byte[] entry) {
    MessageDigest digest = SHA256.get();
    digest.update((byte) 0x00);
    return digest.digest(entry);
  }

  /** {@code SHA-256(0x01 || left || right)}. */
  public static byte[] node(byte[] left, byte[] right) {
    MessageDigest digest = SHA256.get();
    digest.update((byte) 0x01);
    digest.update(left);
    return digest.digest(right);
  }

  /** The root of the empty tree: {@code SHA-256()} of nothing. */
  public static byte[] empty() {
    return SHA256.get().digest();
  }

  /** Plain SHA-256, for the hash of an entry's details. */
  public static byte[] sha256(byte[] data) {
    return SHA256.get().digest(data);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}

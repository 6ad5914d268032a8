package nl.sleutelbos.custody;

import java.util.Arrays;

/**
 * Plaintext key material on its way into custody — the one door for it, named so that one grep
 * finds every place that handles raw key bytes. Nothing in custody ever produces one.
 * {@link #toString} never shows the bytes.
 */
public final class InsecureKeyMaterial implements AutoCloseable {
  private final byte[] bytes;

  private InsecureKeyMaterial(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Takes a copy of the material; the caller should wipe its own array. */
  public static InsecureKeyMaterial of(byte[] bytes) {
    if (bytes.length == 0) {
      throw new IllegalArgumentException("key material is empty");
    }
    return new InsecureKeyMaterial(bytes.clone());
  }

  /** A copy of the bytes, for backends only. */
  public byte[] insecureBytes() {
    return bytes.clone();
  }

  public int length() {
    return bytes.length;
  }

  /** Overwrites the material with zeros. */
  @Override
  public void close() {
    Arrays.fill(bytes, (byte) 0);
  }

  @Override
  public String toString() {
    return "InsecureKeyMaterial[" + bytes.length + " bytes]";
  }
}

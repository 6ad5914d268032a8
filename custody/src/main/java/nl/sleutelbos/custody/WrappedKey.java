package nl.sleutelbos.custody;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A key wrapped under a KEK: safe to store and to send, useless without the KEK. {@code kek} is
 * the label of a KEK in this custody, or, for a key wrapped for delivery, the description of the
 * device key that wraps it.
 */
public record WrappedKey(String kek, WrapMethod method, byte[] bytes) {
  public WrappedKey {
    requireNonNull(kek, "kek is null");
    requireNonNull(method, "method is null");
    requireNonNull(bytes, "bytes is null");
    if (bytes.length < 16 || bytes.length % 8 != 0) {
      throw new IllegalArgumentException("wrapped key length is not a multiple of 8 of at least 16: " + bytes.length);
    }
    bytes = bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The length of the key inside, for RFC 3394; an upper bound for RFC 5649. */
  public int keyBytes() {
    return bytes.length - 8;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WrappedKey w && kek.equals(w.kek) && method == w.method && Arrays.equals(bytes, w.bytes);
  }

  @Override
  public int hashCode() {
    return kek.hashCode() * 31 + Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "WrappedKey[kek=" + kek + ", method=" + method + ", bytes=" + HexFormat.of().formatHex(bytes) + "]";
  }
}

package nl.sleutelbos.custody;

import java.nio.ByteBuffer;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * The RFC 3394 §2.2.2 unwrap steps (and the RFC 5649 §4.2 single-block case) without the integrity
 * check, so a test can see the integrity value a backend wrote. Test-only: it returns A || P.
 */
final class RawKeyUnwrap {
  private RawKeyUnwrap() {}

  static byte[] unwrap(byte[] kek, byte[] wrapped) {
    try {
      Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
      aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(kek, "AES"));
      if (wrapped.length == 16) {
        return aes.doFinal(wrapped);
      }
      int n = wrapped.length / 8 - 1;
      byte[] a = java.util.Arrays.copyOfRange(wrapped, 0, 8);
      byte[][] r = new byte[n][];
      for (int i = 0; i < n; i++) {
        r[i] = java.util.Arrays.copyOfRange(wrapped, 8 * (i + 1), 8 * (i + 2));
      }
      for (int j = 5; j >= 0; j--) {
        for (int i = n; i >= 1; i--) {
          long t = (long) n * j + i;
          long aValue = ByteBuffer.wrap(a).getLong() ^ t;
          byte[] block = ByteBuffer.allocate(16).putLong(aValue).put(r[i - 1]).array();
          byte[] b = aes.doFinal(block);
          a = java.util.Arrays.copyOfRange(b, 0, 8);
          r[i - 1] = java.util.Arrays.copyOfRange(b, 8, 16);
        }
      }
      ByteBuffer out = ByteBuffer.allocate(wrapped.length).put(a);
      for (byte[] block : r) {
        out.put(block);
      }
      return out.array();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}

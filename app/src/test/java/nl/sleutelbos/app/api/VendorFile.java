package nl.sleutelbos.app.api;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * Builds vendor key files the way a vendor would: keys it knows, wrapped with the JDK under the
 * transport key the operator gave it. The test keeps the plaintext, so it can look for it later.
 */
final class VendorFile {
  private static final SecureRandom RANDOM = new SecureRandom();
  final byte[] transport;
  final List<byte[]> keys = new ArrayList<>();
  private final StringBuilder text = new StringBuilder("# sleutelbos-vendor-keys/1 from a test vendor\nmeter,role,wrap,key\n");

  VendorFile(byte[] transport) {
    this.transport = transport.clone();
  }

  static byte[] random(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return b;
  }

  /** Adds a fresh random AES-128 key for the meter and role, wrapped by the method. */
  VendorFile add(String meter, String role, String method) {
    byte[] key = random(16);
    keys.add(key);
    return line(meter + "," + role + "," + method + "," + HexFormat.of().withUpperCase().formatHex(wrap(transport, key, method)));
  }

  VendorFile line(String line) {
    text.append(line).append('\n');
    return this;
  }

  static byte[] wrap(byte[] kek, byte[] key, String method) {
    try {
      Cipher c = Cipher.getInstance(method.equals("rfc3394") ? "AES/KW/NoPadding" : "AES/KWP/NoPadding");
      c.init(Cipher.WRAP_MODE, new SecretKeySpec(kek, "AES"));
      return c.wrap(new SecretKeySpec(key, "AES"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  String text() {
    return text.toString();
  }

  String transportHex() {
    return HexFormat.of().formatHex(transport);
  }
}

package nl.sleutelbos.identity;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Client secrets stored as PBKDF2-HMAC-SHA256 hashes (RFC 8018 §5.2), in the self-describing form
 * {@code pbkdf2-sha256$<iterations>$<salt>$<hash>} so the work factor can be raised later without
 * breaking stored hashes. The secrets themselves are 256 random bits that we generate, not
 * passwords people choose, so the iteration count guards against a stolen database rather than
 * against guessing; it is set so a token request stays well under 100 ms on a small machine.
 */
final class SecretHash {
  static final int ITERATIONS = 100_000;
  private static final String PREFIX = "pbkdf2-sha256";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();

  private SecretHash() {}

  static String hash(String secret) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    return PREFIX + "$" + ITERATIONS + "$" + B64.encodeToString(salt) + "$"
        + B64.encodeToString(derive(secret, salt, ITERATIONS));
  }

  /** Whether the secret matches the stored hash; compares in constant time. */
  static boolean matches(String secret, String stored) {
    String[] parts = stored.split("\\$");
    if (parts.length != 4 || !parts[0].equals(PREFIX)) {
      throw new IllegalStateException("unknown secret hash format");
    }
    byte[] expected = Base64.getDecoder().decode(parts[3]);
    byte[] actual = derive(secret, Base64.getDecoder().decode(parts[2]), Integer.parseInt(parts[1]));
    return MessageDigest.isEqual(expected, actual);
  }

  private static byte[] derive(String secret, byte[] salt, int iterations) {
    try {
      PBEKeySpec spec = new PBEKeySpec(secret.toCharArray(), salt, iterations, 256);
      try {
        return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
      } finally {
        spec.clearPassword();
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is unavailable", e);
    }
  }

  /** A hash of a secret nobody knows, to spend the same time on unknown client ids. */
  static final String DECOY = hash(new String(new byte[] {1, 2, 3}, StandardCharsets.US_ASCII));
}

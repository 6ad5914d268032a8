package nl.sleutelbos.audit;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The public half of a checkpoint-signing key as the signed-note world names it.
 *
 * <p>Signature type {@code 0x02} of c2sp.org/signed-note: ECDSA (we use NIST P-256 with SHA-256),
 * as transparency-dev/witness implements it. For this type the spec makes the key ID the first
 * four bytes of SHA-256 over the DER SubjectPublicKeyInfo alone (not the name-prefixed hash the
 * spec recommends for Ed25519), and the signature is the ASN.1 DER {@code ECDSA-Sig-Value}. We
 * follow both so that other signed-note verifiers accept our checkpoints.
 *
 * <p>The text form, {@link #verifierKey()}, is {@code <name>+<8 hex key ID>+base64(0x02 || SPKI)}
 * in the style of Go's {@code note} verifier keys; it is what an auditor pins.
 */
public record NoteKey(String name, ECPublicKey publicKey) {
  static final byte TYPE_ECDSA = 0x02;

  public NoteKey {
    requireNonNull(name, "name is null");
    requireNonNull(publicKey, "publicKey is null");
    if (name.isEmpty() || name.contains(" ") || name.contains("+") || name.contains("\n")) {
      throw new IllegalArgumentException("key name must be non-empty without spaces or '+': " + name);
    }
    if (publicKey.getParams().getCurve().getField().getFieldSize() != 256) {
      throw new IllegalArgumentException("checkpoint keys are NIST P-256");
    }
  }

  /** The 32-bit key ID: SHA-256(DER SPKI)[:4], big-endian. */
  public int keyId() {
    byte[] hash = TreeHash.sha256(publicKey.getEncoded());
    return (hash[0] & 0xff) << 24 | (hash[1] & 0xff) << 16 | (hash[2] & 0xff) << 8 | hash[3] & 0xff;
  }

  /** {@code <name>+<key ID>+base64(0x02 || SPKI)}. */
  public String verifierKey() {
    byte[] spki = publicKey.getEncoded();
    byte[] typed = new byte[1 + spki.length];
    typed[0] = TYPE_ECDSA;
    System.arraycopy(spki, 0, typed, 1, spki.length);
    return name + "+" + HexFormat.of().toHexDigits(keyId()) + "+" + Base64.getEncoder().encodeToString(typed);
  }

  /** Reads a {@link #verifierKey()}; the key ID in it must match the key. */
  public static NoteKey parse(String verifierKey) {
    String[] parts = verifierKey.trim().split("\\+", 3); // base64 may contain '+'; names may not
    if (parts.length != 3) {
      throw new IllegalArgumentException("a verifier key is name+keyid+key");
    }
    byte[] typed;
    try {
      typed = Base64.getDecoder().decode(parts[2]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("verifier key is not base64", e);
    }
    if (typed.length < 2 || typed[0] != TYPE_ECDSA) {
      throw new IllegalArgumentException("verifier key is not of signature type 0x02 (ECDSA)");
    }
    ECPublicKey key;
    try {
      key = (ECPublicKey) KeyFactory.getInstance("EC")
          .generatePublic(new X509EncodedKeySpec(java.util.Arrays.copyOfRange(typed, 1, typed.length)));
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IllegalArgumentException("verifier key holds no EC public key", e);
    }
    NoteKey noteKey = new NoteKey(parts[0], key);
    if (!HexFormat.of().toHexDigits(noteKey.keyId()).equals(parts[1].toLowerCase())) {
      throw new IllegalArgumentException("verifier key ID " + parts[1] + " does not match its key");
    }
    return noteKey;
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}

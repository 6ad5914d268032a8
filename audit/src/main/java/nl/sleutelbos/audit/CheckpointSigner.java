package nl.sleutelbos.audit;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.ECKey;
import java.io.ByteArrayOutputStream;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.List;
import nl.sleutelbos.identity.Signer;

/**
 * Signs checkpoints as signed notes through a {@link Signer} handle, so the private key may live
 * in custody (an HSM) and never passes through here. The signer answers in the JOSE form (r || s);
 * signed-note type 0x02 wants ASN.1 DER, so this class re-encodes, which needs no key.
 */
public final class CheckpointSigner {
  private final Signer signer;
  private final NoteKey key;

  /** @param origin the log's origin line, also the key name in its signature lines */
  public CheckpointSigner(String origin, Signer signer) {
    this.signer = requireNonNull(signer, "signer is null");
    if (!signer.algorithm().equals("ES256")) {
      throw new IllegalArgumentException("checkpoints are signed with ES256, not " + signer.algorithm());
    }
    try {
      ECPublicKey publicKey = ((ECKey) signer.publicKey()).toECPublicKey();
      this.key = new NoteKey(origin, publicKey);
    } catch (JOSEException | ClassCastException e) {
      throw new IllegalArgumentException("signer " + signer.keyId() + " holds no P-256 key", e);
    }
  }

  /** The public key auditors verify with. */
  public NoteKey key() {
    return key;
  }

  /** The checkpoint as a signed note with one signature line. */
  public SignedNote sign(Checkpoint checkpoint) {
    if (!checkpoint.origin().equals(key.name())) {
      throw new IllegalArgumentException("checkpoint of " + checkpoint.origin() + " for a key named " + key.name());
    }
    String text = checkpoint.text();
    byte[] raw = signer.sign(NoteKey.utf8(text));
    return new SignedNote(text, List.of(new SignedNote.Signature(key.name(), key.keyId(), der(raw))));
  }

  /** RFC 7518 §3.4 r || s to the DER {@code SEQUENCE { INTEGER r, INTEGER s }}. */
  static byte[] der(byte[] raw) {
    if (raw.length != 64) {
      throw new IllegalStateException("an ES256 signature is 64 bytes, got " + raw.length);
    }
    byte[] r = integer(Arrays.copyOfRange(raw, 0, 32));
    byte[] s = integer(Arrays.copyOfRange(raw, 32, 64));
    ByteArrayOutputStream out = new ByteArrayOutputStream(72);
    out.write(0x30);
    out.write(r.length + s.length);
    out.writeBytes(r);
    out.writeBytes(s);
    return out.toByteArray();
  }

  private static byte[] integer(byte[] unsigned) {
    int start = 0;
    while (start < unsigned.length - 1 && unsigned[start] == 0) {
      start++;
    }
    boolean pad = (unsigned[start] & 0x80) != 0; // a set top bit would read as negative
    int length = unsigned.length - start + (pad ? 1 : 0);
    byte[] out = new byte[2 + length];
    out[0] = 0x02;
    out[1] = (byte) length;
    System.arraycopy(unsigned, start, out, 2 + (pad ? 1 : 0), unsigned.length - start);
    return out;
  }
}

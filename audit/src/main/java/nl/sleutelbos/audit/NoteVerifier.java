package nl.sleutelbos.audit;

import static java.util.Objects.requireNonNull;

import java.security.GeneralSecurityException;
import java.security.Signature;

/**
 * Verifies signed notes against one trusted key, by the rules of c2sp.org/signed-note:
 * signatures from other keys (another name or key ID) are ignored; a signature from the trusted
 * key that fails rejects the whole note; a note without a good signature from it is rejected.
 */
public final class NoteVerifier {
  private final NoteKey key;

  public NoteVerifier(NoteKey key) {
    this.key = requireNonNull(key, "key is null");
  }

  public NoteKey key() {
    return key;
  }

  /** The checkpoint the note signs, once its signature by the trusted key holds. */
  public Checkpoint verifyCheckpoint(SignedNote note) throws CheckpointException {
    verify(note);
    Checkpoint checkpoint;
    try {
      checkpoint = Checkpoint.parse(note.text());
    } catch (IllegalArgumentException e) {
      throw new CheckpointException("signed note is not a checkpoint: " + e.getMessage());
    }
    if (!checkpoint.origin().equals(key.name())) {
      throw new CheckpointException("checkpoint of origin " + checkpoint.origin() + ", expected " + key.name());
    }
    return checkpoint;
  }

  /** Checks the note's signature by the trusted key. */
  public void verify(SignedNote note) throws CheckpointException {
    boolean verified = false;
    for (SignedNote.Signature s : note.signatures()) {
      if (!s.keyName().equals(key.name()) || s.keyId() != key.keyId()) {
        continue;
      }
      if (!valid(note.text(), s.signature())) {
        throw new CheckpointException("signature by " + key.name() + " does not verify");
      }
      verified = true;
    }
    if (!verified) {
      throw new CheckpointException("note carries no signature by " + key.name());
    }
  }

  private boolean valid(String text, byte[] der) {
    try {
      Signature ecdsa = Signature.getInstance("SHA256withECDSA");
      ecdsa.initVerify(key.publicKey());
      ecdsa.update(NoteKey.utf8(text));
      return ecdsa.verify(der);
    } catch (GeneralSecurityException e) {
      return false; // a malformed signature is as bad as a wrong one
    }
  }
}

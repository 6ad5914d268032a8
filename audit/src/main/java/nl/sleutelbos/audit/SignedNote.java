package nl.sleutelbos.audit;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A C2SP signed note: a text ending in a newline, a blank line, then one line per signature,
 * {@code — <key name> base64(4-byte key ID || signature)}. Parsing checks the shape only; whether
 * a signature is good is {@link NoteVerifier}'s question.
 */
public record SignedNote(String text, List<Signature> signatures) {
  private static final String DASH = "\u2014 ";

  /** One signature line. */
  public record Signature(String keyName, int keyId, byte[] signature) {
    public Signature {
      requireNonNull(keyName, "keyName is null");
      requireNonNull(signature, "signature is null");
      if (keyName.isEmpty() || keyName.contains(" ") || keyName.contains("+") || keyName.contains("\n")) {
        throw new IllegalArgumentException("key name must be non-empty without spaces or '+': " + keyName);
      }
      signature = signature.clone();
    }

    @Override
    public byte[] signature() {
      return signature.clone();
    }

    String line() {
      byte[] blob = new byte[4 + signature.length];
      blob[0] = (byte) (keyId >>> 24);
      blob[1] = (byte) (keyId >>> 16);
      blob[2] = (byte) (keyId >>> 8);
      blob[3] = (byte) keyId;
      System.arraycopy(signature, 0, blob, 4, signature.length);
      return DASH + keyName + " " + Base64.getEncoder().encodeToString(blob) + "\n";
    }
  }

  public SignedNote {
    requireNonNull(text, "text is null");
    signatures = List.copyOf(signatures);
    if (!text.endsWith("\n") || text.endsWith("\n\n")) {
      // A text ending in a blank line could not be told apart from the signature separator.
      throw new IllegalArgumentException("note text must end in exactly one newline");
    }
    if (signatures.isEmpty()) {
      throw new IllegalArgumentException("a signed note has at least one signature");
    }
  }

  /** The note as served and stored. */
  public String format() {
    StringBuilder out = new StringBuilder(text).append('\n');
    signatures.forEach(s -> out.append(s.line()));
    return out.toString();
  }

  /** Reads a note; the text is everything before the last blank line. */
  public static SignedNote parse(String note) {
    if (note.chars().anyMatch(c -> c < 0x20 && c != '\n')) {
      throw new IllegalArgumentException("a signed note contains no control characters but newline");
    }
    int split = note.lastIndexOf("\n\n");
    if (split < 0 || !note.endsWith("\n")) {
      throw new IllegalArgumentException("no blank line between note text and signatures");
    }
    String text = note.substring(0, split + 1);
    List<Signature> signatures = new ArrayList<>();
    for (String line : note.substring(split + 2).split("\n")) {
      if (!line.startsWith(DASH)) {
        throw new IllegalArgumentException("signature line does not start with an em dash: " + line);
      }
      String[] parts = line.substring(DASH.length()).split(" ", -1);
      if (parts.length != 2) {
        throw new IllegalArgumentException("signature line is not '— name signature': " + line);
      }
      byte[] blob;
      try {
        blob = Base64.getDecoder().decode(parts[1]);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("signature is not base64: " + line, e);
      }
      if (blob.length < 5) {
        throw new IllegalArgumentException("signature is shorter than a key ID: " + line);
      }
      int keyId = (blob[0] & 0xff) << 24 | (blob[1] & 0xff) << 16 | (blob[2] & 0xff) << 8 | blob[3] & 0xff;
      signatures.add(new Signature(parts[0], keyId, java.util.Arrays.copyOfRange(blob, 4, blob.length)));
    }
    return new SignedNote(text, signatures);
  }
}

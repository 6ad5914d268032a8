package nl.sleutelbos.audit;

import static java.util.Objects.requireNonNull;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;

/**
 * One record of an act of control. The leaf of the Merkle tree is {@link #encode()}, a canonical
 * byte form: the same entry always gives the same bytes, and different entries never do, so the
 * leaf hash commits to every field.
 *
 * <p>Encoding, version 1: byte {@code 0x01}; sequence (int64 big-endian); time as epoch seconds
 * (int64) and nanoseconds (int32); then actor subject, actor organisation, action, target, outcome
 * name, reason and request id, each as a uint32 big-endian byte length followed by UTF-8; then the
 * 32 raw bytes of the SHA-256 of the details. Length prefixes rather than separators make the form
 * unambiguous whatever the strings contain.
 *
 * @param sequence the leaf index, from 0
 * @param detailsSha256 SHA-256 of the action's details, lower-case hex; the details themselves
 *     stay with the action (they may be personal data) while the log commits to them
 */
public record AuditEntry(
    long sequence,
    Instant time,
    Actor actor,
    String action,
    String target,
    Outcome outcome,
    String reason,
    String requestId,
    String detailsSha256) {

  private static final byte VERSION = 0x01;
  private static final HexFormat HEX = HexFormat.of();

  /** Who acted: the authenticated subject and the organisation it acts for. */
  public record Actor(String subject, String organisation) {
    public Actor {
      requireNonNull(subject, "subject is null");
      requireNonNull(organisation, "organisation is null");
    }
  }

  /** How the action ended. A refused action is recorded as much as a performed one. */
  public enum Outcome {
    SUCCEEDED,
    DENIED,
    FAILED,
    /**
     * Recorded before the act, which runs only once this entry is durable; the act's own result
     * went to the caller. What a route records when it cannot hold its answer back.
     */
    ATTEMPTED
  }

  public AuditEntry {
    if (sequence < 0) {
      throw new IllegalArgumentException("sequence < 0: " + sequence);
    }
    requireNonNull(time, "time is null");
    requireNonNull(actor, "actor is null");
    requireNonNull(action, "action is null");
    requireNonNull(target, "target is null");
    requireNonNull(outcome, "outcome is null");
    requireNonNull(reason, "reason is null");
    requireNonNull(requestId, "requestId is null");
    requireNonNull(detailsSha256, "detailsSha256 is null");
    if (!isDigest(detailsSha256)) {
      throw new IllegalArgumentException("detailsSha256 is not 64 lower-case hex digits: " + detailsSha256);
    }
  }

  /** 64 characters, each of {@code 0-9a-f}. (A loop: the log checks every entry it numbers.) */
  private static boolean isDigest(String hex) {
    if (hex.length() != 2 * TreeHash.SIZE) {
      return false;
    }
    for (int i = 0; i < hex.length(); i++) {
      char ch = hex.charAt(i);
      if ((ch < '0' || ch > '9') && (ch < 'a' || ch > 'f')) {
        return false;
      }
    }
    return true;
  }

  /** The SHA-256 of details, in the form {@link #detailsSha256} holds. */
  public static String digestOf(byte[] details) {
    return HEX.formatHex(TreeHash.sha256(details));
  }

  /** This entry at another position: the log assigns the sequence when it appends. */
  public AuditEntry withSequence(long newSequence) {
    return new AuditEntry(newSequence, time, actor, action, target, outcome, reason, requestId, detailsSha256);
  }

  /** The canonical bytes, the Merkle leaf. */
  public byte[] encode() {
    // Sized first and written in place: the appender encodes every entry it numbers.
    byte[][] fields = {
        utf8(actor.subject()), utf8(actor.organisation()), utf8(action), utf8(target), utf8(outcome.name()),
        utf8(reason), utf8(requestId)};
    int size = 1 + 8 + 8 + 4 + fields.length * 4 + TreeHash.SIZE;
    for (byte[] field : fields) {
      size += field.length;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.put(VERSION).putLong(sequence).putLong(time.getEpochSecond()).putInt(time.getNano());
    for (byte[] field : fields) {
      out.putInt(field.length).put(field);
    }
    for (int i = 0; i < detailsSha256.length(); i += 2) {
      out.put((byte) (Character.digit(detailsSha256.charAt(i), 16) << 4 | Character.digit(detailsSha256.charAt(i + 1), 16)));
    }
    return out.array();
  }

  private static byte[] utf8(String field) {
    return field.getBytes(StandardCharsets.UTF_8);
  }

  /** The RFC 9162 leaf hash of this entry. */
  public byte[] leafHash() {
    return TreeHash.leaf(encode());
  }

  /** Reads the canonical form back; anything but exactly one well-formed entry is refused. */
  public static AuditEntry decode(byte[] bytes) {
    try {
      ByteBuffer in = ByteBuffer.wrap(bytes);
      if (in.get() != VERSION) {
        throw new IllegalArgumentException("not a version 1 audit entry");
      }
      long sequence = in.getLong();
      Instant time = Instant.ofEpochSecond(in.getLong(), in.getInt());
      String subject = readString(in);
      String organisation = readString(in);
      String action = readString(in);
      String target = readString(in);
      Outcome outcome = Outcome.valueOf(readString(in));
      String reason = readString(in);
      String requestId = readString(in);
      byte[] details = new byte[TreeHash.SIZE];
      in.get(details);
      if (in.hasRemaining()) {
        throw new IllegalArgumentException("trailing bytes after an audit entry");
      }
      return new AuditEntry(sequence, time, new Actor(subject, organisation), action, target, outcome,
          reason, requestId, HEX.formatHex(details));
    } catch (BufferUnderflowException | java.time.DateTimeException e) {
      throw new IllegalArgumentException("truncated or malformed audit entry", e);
    }
  }

  private static String readString(ByteBuffer in) {
    int length = in.getInt();
    if (length < 0 || length > in.remaining()) {
      throw new IllegalArgumentException("string length " + Integer.toUnsignedString(length) + " exceeds the entry");
    }
    ByteBuffer slice = in.slice(in.position(), length);
    in.position(in.position() + length);
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(slice)
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("field is not UTF-8", e);
    }
  }
}

package nl.sleutelbos.custody;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * DLMS/COSEM security suite 0 (AES-GCM-128) for xDLMS APDUs, with the keys held in custody
 * (DLMS UA 1000-2 "Green Book" §9.2.7.2 cryptographic protection with AES-GCM).
 *
 * <p>The protected form is the security header (security control byte SC, 4-byte invocation
 * counter IC) followed by the protected information: {@code SC || IC || C || T}. The IV is the
 * sender's 8-byte system title followed by IC; the tag T is 12 bytes. Supported SC values:
 * {@code 0x30} (authenticated encryption: A = SC || AK) and {@code 0x10} (authentication only:
 * A = SC || AK || APDU, nothing encrypted). Encryption without authentication ({@code 0x20}) is
 * refused: it gives no integrity, and Sleutelbos never sends or accepts it.
 */
public final class DlmsSuite0 {
  /** Authentication and encryption. */
  public static final int AUTHENTICATED_ENCRYPTION = 0x30;
  /** Authentication only. */
  public static final int AUTHENTICATION_ONLY = 0x10;
  private static final int TAG = 12;

  /**
   * One side of a DLMS association: its system title, the keys it protects with, and the id of
   * its invocation counter (one per encryption key).
   */
  public record Party(String counterId, byte[] systemTitle, WrappedKey encryptionKey, WrappedKey authenticationKey) {
    public Party {
      requireNonNull(counterId, "counterId is null");
      requireNonNull(encryptionKey, "encryptionKey is null");
      requireNonNull(authenticationKey, "authenticationKey is null");
      if (systemTitle.length != 8) {
        throw new IllegalArgumentException("system title is not 8 bytes: " + systemTitle.length);
      }
      systemTitle = systemTitle.clone();
    }

    @Override
    public byte[] systemTitle() {
      return systemTitle.clone();
    }
  }

  private final KeyCustody custody;
  private final InvocationCounters counters;

  public DlmsSuite0(KeyCustody custody, InvocationCounters counters) {
    this.custody = requireNonNull(custody, "custody is null");
    this.counters = requireNonNull(counters, "counters is null");
  }

  /** Protects an APDU sent by {@code sender} with its next invocation counter. */
  public byte[] protect(Party sender, int securityControl, byte[] apdu) {
    byte sc = checkControl(securityControl);
    long ic = counters.next(sender.counterId());
    byte[] iv = iv(sender, ic);
    ByteBuffer out;
    if (sc == AUTHENTICATED_ENCRYPTION) {
      byte[] sealed = custody.gcmEncrypt(sender.encryptionKey(), iv, aad(sc, sender, new byte[0]), apdu, TAG);
      out = ByteBuffer.allocate(5 + sealed.length).put(sc).putInt((int) ic).put(sealed);
    } else {
      byte[] tag = custody.gcmEncrypt(sender.encryptionKey(), iv, aad(sc, sender, apdu), new byte[0], TAG);
      out = ByteBuffer.allocate(5 + apdu.length + TAG).put(sc).putInt((int) ic).put(apdu).put(tag);
    }
    return out.array();
  }

  /**
   * Checks and opens what {@code sender} protected, returning the APDU. Fails with
   * {@code INTEGRITY} when the tag does not verify and with {@code INVALID} for a replayed or
   * lowered invocation counter or an unsupported security control byte; the counter is recorded
   * only after the tag verified.
   */
  public byte[] unprotect(Party sender, byte[] protectedApdu) {
    if (protectedApdu.length < 5 + TAG) {
      throw new CustodyException(CustodyException.Reason.INVALID, "shorter than a security header and a tag: " + protectedApdu.length);
    }
    ByteBuffer in = ByteBuffer.wrap(protectedApdu);
    byte sc = checkControl(in.get() & 0xFF);
    long ic = in.getInt() & 0xFFFF_FFFFL;
    counters.requireFresh(sender.counterId(), ic);
    byte[] rest = Arrays.copyOfRange(protectedApdu, 5, protectedApdu.length);
    byte[] iv = iv(sender, ic);
    byte[] apdu;
    if (sc == AUTHENTICATED_ENCRYPTION) {
      apdu = custody.gcmDecrypt(sender.encryptionKey(), iv, aad(sc, sender, new byte[0]), rest, TAG);
    } else {
      apdu = Arrays.copyOf(rest, rest.length - TAG);
      custody.gcmDecrypt(sender.encryptionKey(), iv, aad(sc, sender, apdu), Arrays.copyOfRange(rest, apdu.length, rest.length), TAG);
    }
    counters.accept(sender.counterId(), ic);
    return apdu;
  }

  private static byte checkControl(int sc) {
    if (sc != AUTHENTICATED_ENCRYPTION && sc != AUTHENTICATION_ONLY) {
      throw new CustodyException(CustodyException.Reason.INVALID,
          String.format("security control 0x%02X is not suite 0 with authentication (0x30, 0x10)", sc));
    }
    return (byte) sc;
  }

  private static byte[] iv(Party sender, long ic) {
    return ByteBuffer.allocate(12).put(sender.systemTitle()).putInt((int) ic).array();
  }

  /** A = SC || AK, followed by the APDU when it is only authenticated. */
  private static List<AadPart> aad(byte sc, Party sender, byte[] apdu) {
    return List.of(new AadPart.Bytes(new byte[] {sc}), new AadPart.KeyValue(sender.authenticationKey()), new AadPart.Bytes(apdu));
  }
}

package nl.sleutelbos.metering.dsmr;

/**
 * CRC-16/ARC (polynomial 0x8005 reflected, initial value 0, no final xor), the checksum DSMR 4
 * and later put after the {@code !} of a P1 telegram. It covers every byte from the {@code /} of
 * the header up to and including the {@code !} (P1 companion standard 5.0.2, section 6.2).
 * The check value of {@code "123456789"} is {@code 0xBB3D}.
 */
public final class Crc16Arc {

  private static final int[] TABLE = new int[256];

  static {
    for (int i = 0; i < 256; i++) {
      int crc = i;
      for (int bit = 0; bit < 8; bit++) {
        crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0xA001 : crc >>> 1;
      }
      TABLE[i] = crc;
    }
  }

  private Crc16Arc() {
  }

  /** The CRC of {@code bytes[from, to)}, as an unsigned value in 0..0xFFFF. */
  public static int of(byte[] bytes, int from, int to) {
    int crc = 0;
    for (int i = from; i < to; i++) {
      crc = (crc >>> 8) ^ TABLE[(crc ^ bytes[i]) & 0xFF];
    }
    return crc;
  }

  /** The CRC of all of {@code bytes}. */
  public static int of(byte[] bytes) {
    return of(bytes, 0, bytes.length);
  }

  /** The CRC of {@code text} whose characters are all in ISO-8859-1 (each char is one byte). */
  public static int of(CharSequence text) {
    int crc = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c > 0xFF) {
        throw new IllegalArgumentException("not ISO-8859-1 at " + i + ": U+" + Integer.toHexString(c));
      }
      crc = (crc >>> 8) ^ TABLE[(crc ^ c) & 0xFF];
    }
    return crc;
  }

  /** The CRC as the four upper-case hex digits a telegram carries. */
  public static String format(int crc) {
    String hex = Integer.toHexString(crc & 0xFFFF).toUpperCase(java.util.Locale.ROOT);
    return "0000".substring(hex.length()) + hex;
  }
}

package nl.sleutelbos.metering.dsmr;

/**
 * CRC-16/ARC (polynomial 0x8005 reflected, initial value 0, no final xor), the checksum DSMR 4
 * and later put after the {@code !} of a P1 telegram. It covers every byte from the {@code /} of
 * the header up to and including the {@code !} (P1 companion standard 5.0.2, section 6.2).
 * The check value of {@code "123456789"} is {@code 0xBB3D}.
 */
public final class Crc16Arc {

  /*
   * Slicing-by-8 (Kounavis and Berry, "A Systematic Approach to Building High Performance
   * Software-Based CRC Generators", 2005): TABLES[k][x] is the CRC of byte x followed by k zero
   * bytes, so eight input bytes are folded in with eight independent lookups instead of a chain of
   * eight dependent ones. The CRC is the parser's largest single cost per telegram.
   */
  private static final int[][] TABLES = new int[8][256];
  private static final int[] TABLE = TABLES[0];

  static {
    for (int i = 0; i < 256; i++) {
      int crc = i;
      for (int bit = 0; bit < 8; bit++) {
        crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0xA001 : crc >>> 1;
      }
      TABLE[i] = crc;
    }
    for (int k = 1; k < 8; k++) {
      for (int i = 0; i < 256; i++) {
        int previous = TABLES[k - 1][i];
        TABLES[k][i] = (previous >>> 8) ^ TABLE[previous & 0xFF];
      }
    }
  }

  private Crc16Arc() {
  }

  /** The CRC of {@code bytes[from, to)}, as an unsigned value in 0..0xFFFF. */
  public static int of(byte[] bytes, int from, int to) {
    int[] t0 = TABLE;
    int[] t1 = TABLES[1];
    int[] t2 = TABLES[2];
    int[] t3 = TABLES[3];
    int[] t4 = TABLES[4];
    int[] t5 = TABLES[5];
    int[] t6 = TABLES[6];
    int[] t7 = TABLES[7];
    int crc = 0;
    int i = from;
    for (; i + 8 <= to; i += 8) {
      int low = (crc ^ bytes[i]) & 0xFF;
      int high = ((crc >>> 8) ^ bytes[i + 1]) & 0xFF;
      crc = t7[low] ^ t6[high] ^ t5[bytes[i + 2] & 0xFF] ^ t4[bytes[i + 3] & 0xFF]
          ^ t3[bytes[i + 4] & 0xFF] ^ t2[bytes[i + 5] & 0xFF] ^ t1[bytes[i + 6] & 0xFF] ^ t0[bytes[i + 7] & 0xFF];
    }
    for (; i < to; i++) {
      crc = (crc >>> 8) ^ t0[(crc ^ bytes[i]) & 0xFF];
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

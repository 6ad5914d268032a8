package nl.sleutelbos.metering.dsmr;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The sliced CRC equals the bit-by-bit definition of CRC-16/ARC on any input and any range. */
class Crc16ArcProperties {

  /** CRC-16/ARC straight from its definition: reflected polynomial 0xA001, initial 0, no final xor. */
  private static int reference(byte[] bytes, int from, int to) {
    int crc = 0;
    for (int i = from; i < to; i++) {
      crc ^= bytes[i] & 0xFF;
      for (int bit = 0; bit < 8; bit++) {
        crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0xA001 : crc >>> 1;
      }
    }
    return crc;
  }

  @Property(tries = 2000)
  void slicedEqualsBitwise(@ForAll @Size(max = 300) byte[] bytes, @ForAll @IntRange(max = 300) int a,
                           @ForAll @IntRange(max = 300) int b) {
    int from = Math.min(a, b) % (bytes.length + 1);
    int to = Math.max(from, Math.max(a, b) % (bytes.length + 1));
    assertThat(Crc16Arc.of(bytes, from, to)).isEqualTo(reference(bytes, from, to));
    assertThat(Crc16Arc.of(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1)))
        .isEqualTo(reference(bytes, 0, bytes.length));
  }
}

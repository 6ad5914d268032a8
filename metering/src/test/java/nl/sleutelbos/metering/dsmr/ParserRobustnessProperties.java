package nl.sleutelbos.metering.dsmr;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

/**
 * Whatever the input, the parser either returns a telegram or throws {@link TelegramException}:
 * random bytes, noise made of telegram characters, and mutated telegrams re-signed with a valid
 * CRC (so the mutation reaches the object parser instead of stopping at the checksum).
 */
class ParserRobustnessProperties {

  private static final String ALPHABET = "0123456789-:.()*!/\\\r\nkWhVAms3GJSW ";

  /** Parses; returns normally on TelegramException; anything else thrown fails the property. */
  private static Telegram parseOrNull(byte[] input) {
    try {
      return DsmrParser.parse(input);
    } catch (TelegramException e) {
      assertThat(e.reason()).isNotNull();
      assertThat(e.line()).isNotNegative();
      return null;
    }
  }

  @Property(tries = 3000)
  void randomBytesOnlyEverFailWithTelegramException(@ForAll @Size(max = 2000) byte[] input) {
    parseOrNull(input);
  }

  @Property(tries = 3000)
  void telegramShapedNoiseOnlyEverFailsWithTelegramException(@ForAll("noise") String noise) {
    parseOrNull(noise.getBytes(StandardCharsets.ISO_8859_1));
    parseOrNull(sign(noise.getBytes(StandardCharsets.ISO_8859_1)));
  }

  @Property(tries = 3000)
  void mutatedAndResignedTelegramsOnlyEverFailWithTelegramException(
      @ForAll("telegrams") Telegram telegram, @ForAll("edits") List<int[]> edits) {
    byte[] bytes = TelegramWriter.write(telegram).getBytes(StandardCharsets.ISO_8859_1);
    for (int[] edit : edits) {
      bytes = apply(bytes, edit);
    }
    parseOrNull(bytes);
    Telegram parsed = parseOrNull(sign(bytes));
    // The mutations must reach past the CRC into the object parser, both ways.
    Statistics.label("re-signed").collect(parsed == null ? "refused" : "accepted");
    Statistics.label("re-signed").coverage(c -> {
      c.check("accepted").percentage(p -> p > 5);
      c.check("refused").percentage(p -> p > 5);
    });
  }

  @Property(tries = 1000)
  void realTelegramsMutatedAndResignedOnlyEverFailWithTelegramException(
      @ForAll("fixtures") String fixture, @ForAll("edits") List<int[]> edits) {
    byte[] bytes = Fixtures.bytes(fixture);
    for (int[] edit : edits) {
      bytes = apply(bytes, edit);
    }
    parseOrNull(sign(bytes));
  }

  @Provide
  Arbitrary<String> fixtures() {
    return Arbitraries.of("dsmr-5.0.2-example.txt", "kaifa-dsmr42.txt", "sagemcom-t210d-dsmr5.txt",
        "dsmr22-iskra.txt", "dsmr3-iskra.txt", "landis-gyr-e350-dsmr42.txt");
  }

  @Provide
  Arbitrary<Telegram> telegrams() {
    return TelegramArbitraries.telegrams();
  }

  @Provide
  Arbitrary<String> noise() {
    Arbitrary<String> body = Arbitraries.strings().withChars(ALPHABET.toCharArray()).ofMaxLength(300);
    return body.map(s -> "/ISk5\\2MT382-1000\r\n\r\n" + s);
  }

  /** Edits as {kind, position (scaled to the input), value}: 0 replace, 1 insert, 2 delete. */
  @Provide
  Arbitrary<List<int[]>> edits() {
    Arbitrary<Integer> value = Arbitraries.oneOf(Arbitraries.of(ALPHABET.chars().boxed().toList()),
        Arbitraries.integers().between(0, 255));
    return Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 1_000_000), value)
        .as((kind, position, v) -> new int[] {kind, position, v})
        .list().ofMinSize(1).ofMaxSize(4);
  }

  private static byte[] apply(byte[] bytes, int[] edit) {
    if (bytes.length == 0) {
      return new byte[] {(byte) edit[2]};
    }
    int at = edit[1] % bytes.length;
    return switch (edit[0]) {
      case 0 -> {
        byte[] copy = bytes.clone();
        copy[at] = (byte) edit[2];
        yield copy;
      }
      case 1 -> {
        byte[] copy = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, copy, 0, at);
        copy[at] = (byte) edit[2];
        System.arraycopy(bytes, at, copy, at + 1, bytes.length - at);
        yield copy;
      }
      default -> {
        byte[] copy = new byte[bytes.length - 1];
        System.arraycopy(bytes, 0, copy, 0, at);
        System.arraycopy(bytes, at + 1, copy, at, bytes.length - at - 1);
        yield copy;
      }
    };
  }

  /** Replaces whatever follows the first '!' by the CRC of '/'..'!', so the parse gets past the checksum. */
  private static byte[] sign(byte[] bytes) {
    int slash = -1;
    int bang = -1;
    for (int i = 0; i < bytes.length; i++) {
      if (slash < 0 && bytes[i] == '/') {
        slash = i;
      }
      if (slash >= 0 && bytes[i] == '!') {
        bang = i;
        break;
      }
    }
    if (bang < 0) {
      return bytes;
    }
    String crc = Crc16Arc.format(Crc16Arc.of(bytes, slash, bang + 1)) + "\r\n";
    byte[] signed = new byte[bang + 1 + crc.length()];
    System.arraycopy(bytes, 0, signed, 0, bang + 1);
    System.arraycopy(crc.getBytes(StandardCharsets.ISO_8859_1), 0, signed, bang + 1, crc.length());
    return signed;
  }
}

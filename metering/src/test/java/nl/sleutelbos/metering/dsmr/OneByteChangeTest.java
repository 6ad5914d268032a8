package nl.sleutelbos.metering.dsmr;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * A one-byte change anywhere from the {@code /} to the last CRC digit of a real telegram is
 * refused: CRC-16 detects every error burst of up to 16 bits, and the CRC itself is upper-case
 * hex only. (DSMR 2.2/3 telegrams carry no CRC, so for them only the parse can object.)
 */
class OneByteChangeTest {

  private static final List<String> SIGNED = List.of("dsmr-5.0.2-example.txt", "iskra-am550-dsmr5.txt",
      "iskra-mt382-dsmr5.txt", "kaifa-dsmr42.txt", "landis-gyr-e350-dsmr42.txt",
      "landis-gyr-e350-dsmr42-summer.txt", "sagemcom-t210d-dsmr5.txt");

  private static boolean accepted(byte[] telegram) {
    try {
      DsmrParser.parse(telegram);
      return true;
    } catch (TelegramException e) {
      return false;
    }
  }

  private static int lastCrcDigit(byte[] telegram) {
    for (int i = 0; i < telegram.length; i++) {
      if (telegram[i] == '!') {
        return i + 4;
      }
    }
    throw new AssertionError("no '!'");
  }

  @Test
  void everyByteReplacedByEveryOtherValueFailsTheStandardsExample() {
    byte[] telegram = Fixtures.bytes("dsmr-5.0.2-example.txt");
    assertThat(accepted(telegram)).isTrue();
    int end = lastCrcDigit(telegram);
    for (int i = 0; i <= end; i++) {
      byte original = telegram[i];
      for (int value = 0; value < 256; value++) {
        if ((byte) value == original) {
          continue;
        }
        telegram[i] = (byte) value;
        assertThat(accepted(telegram)).as("byte %d set to %d", i, value).isFalse();
      }
      telegram[i] = original;
    }
  }

  @Test
  void everyByteOfEveryRealTelegramIsCovered() {
    for (String name : SIGNED) {
      byte[] telegram = Fixtures.bytes(name);
      assertThat(accepted(telegram)).as(name).isTrue();
      int end = lastCrcDigit(telegram);
      for (int i = 0; i <= end; i++) {
        byte original = telegram[i];
        for (int flip : new int[] {0x01, 0x20, 0x80, 0x11}) {
          telegram[i] = (byte) (original ^ flip);
          assertThat(accepted(telegram)).as("%s byte %d xor %x", name, i, flip).isFalse();
        }
        telegram[i] = original;
      }
    }
  }

  @Test
  void droppingOrDoublingAByteFailsToo() {
    byte[] telegram = Fixtures.bytes("sagemcom-t210d-dsmr5.txt");
    int end = lastCrcDigit(telegram);
    for (int i = 0; i <= end; i++) {
      byte[] dropped = new byte[telegram.length - 1];
      System.arraycopy(telegram, 0, dropped, 0, i);
      System.arraycopy(telegram, i + 1, dropped, i, telegram.length - i - 1);
      assertThat(accepted(dropped)).as("without byte %d", i).isFalse();
      byte[] doubled = new byte[telegram.length + 1];
      System.arraycopy(telegram, 0, doubled, 0, i + 1);
      System.arraycopy(telegram, i, doubled, i + 1, telegram.length - i);
      assertThat(accepted(doubled)).as("byte %d twice", i).isFalse();
    }
  }
}

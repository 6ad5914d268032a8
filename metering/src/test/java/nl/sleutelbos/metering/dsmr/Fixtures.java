package nl.sleutelbos.metering.dsmr;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Telegrams kept byte for byte (CR LF line ends) in test resources. */
final class Fixtures {
  private Fixtures() {
  }

  static byte[] bytes(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Telegram parse(String name) throws TelegramException {
    return DsmrParser.parse(bytes(name));
  }
}

package nl.sleutelbos.metering.dsmr;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Writing and parsing are inverse over arbitrary telegrams. */
class TelegramProperties {

  @Provide
  Arbitrary<Telegram> telegrams() {
    return TelegramArbitraries.telegrams();
  }

  @Property(tries = 2000)
  void parseUndoesWrite(@ForAll("telegrams") Telegram telegram) throws TelegramException {
    String written = TelegramWriter.write(telegram);
    Telegram parsed = DsmrParser.parse(written);
    assertThat(parsed).isEqualTo(telegram);
    assertThat(TelegramWriter.write(parsed)).isEqualTo(written);
  }

  @Property(tries = 500)
  void writtenTelegramsCarryTheirCrcAndCrLfLines(@ForAll("telegrams") Telegram telegram) {
    String written = TelegramWriter.write(telegram);
    int bang = written.indexOf('!');
    assertThat(written.substring(bang + 1, bang + 5)).isEqualTo(Crc16Arc.format(Crc16Arc.of(written.substring(0, bang + 1))));
    assertThat(written).startsWith(telegram.header() + "\r\n\r\n").endsWith("\r\n");
    assertThat(written.replace("\r\n", "")).doesNotContain("\r").doesNotContain("\n");
  }
}

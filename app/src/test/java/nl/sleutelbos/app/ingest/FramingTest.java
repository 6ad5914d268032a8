package nl.sleutelbos.app.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import nl.sleutelbos.metering.dsmr.DsmrParser;
import nl.sleutelbos.metering.dsmr.Telegram;
import nl.sleutelbos.metering.dsmr.TelegramWriter;
import nl.sleutelbos.ngsild.NgsiLdException;
import org.junit.jupiter.api.Test;

/** A text/plain body split into telegrams read straight from its bytes. */
class FramingTest {
  private static final Instant NOW = Instant.parse("2026-11-27T03:00:00Z");

  private static String telegram(String meter) {
    return TelegramWriter.write(Telegram.builder("/ISk5\\2MT382-1000").version("50").timestamp(NOW)
        .equipmentId(meter).build());
  }

  @Test
  void telegramsBackToBackAreSlicesOfTheBodyThatParse() throws Exception {
    String a = telegram("M-1");
    String b = telegram("M-2");
    byte[] body = ("\r\n" + a + "\n \t" + b + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);

    List<Submission> out = Framing.plain(body, NOW);

    assertThat(out).extracting(Submission::telegram).containsExactly(a, b);
    assertThat(out).allSatisfy(s -> assertThat(s.bytes()).isSameAs(body));
    assertThat(DsmrParser.parse(out.get(1).bytes(), out.get(1).offset(), out.get(1).length()).equipmentId())
        .contains("M-2");
  }

  @Test
  void aBodyWhoseFramingIsWrongIsRefusedNamingTheTelegram() {
    String a = telegram("M-1");
    assertThatThrownBy(() -> Framing.plain((a + "hello").getBytes(StandardCharsets.ISO_8859_1), NOW))
        .isInstanceOf(NgsiLdException.class).hasMessageContaining("telegram 2");
    assertThatThrownBy(() -> Framing.plain(a.substring(0, a.indexOf('!')).getBytes(StandardCharsets.ISO_8859_1), NOW))
        .isInstanceOf(NgsiLdException.class).hasMessageContaining("no line starting with '!'");
    assertThatThrownBy(() -> Framing.plain(" \r\n".getBytes(StandardCharsets.ISO_8859_1), NOW))
        .isInstanceOf(NgsiLdException.class).hasMessageContaining("no telegram");
  }
}

package nl.sleutelbos.metering.dsmr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import nl.sleutelbos.metering.dsmr.TelegramException.Reason;

/** What the parser refuses, with the reason and the line it names; and what it tolerates. */
class ParseErrorsTest {

  private static final String HEAD = "/ISk5\\2MT382-1000\r\n\r\n1-3:0.2.8(50)\r\n";

  /** The telegram {@code body + "!"} with its CRC. */
  static String signed(String body) {
    String upToBang = body + "!";
    return upToBang + Crc16Arc.format(Crc16Arc.of(upToBang)) + "\r\n";
  }

  private static TelegramException refused(CharSequence telegram) {
    try {
      DsmrParser.parse(telegram);
    } catch (TelegramException e) {
      return e;
    }
    throw new AssertionError("accepted: " + telegram);
  }

  @Test
  void aTelegramMustStartWithSlashAndEndWithBang() {
    assertThat(refused("1-0:1.8.1(000001.000*kWh)\r\n!").reason()).isEqualTo(Reason.FRAMING);
    assertThat(refused("").reason()).isEqualTo(Reason.FRAMING);
    assertThat(refused(HEAD + "1-0:1.8.1(000001.000*kWh)\r\n").reason()).isEqualTo(Reason.FRAMING);
    assertThat(refused("/X\r\n\r\n!").reason()).isEqualTo(Reason.FRAMING); // header too short
  }

  @Test
  void aWrongCrcIsRefusedNamingBothValues() {
    String good = signed(HEAD + "1-0:1.8.1(000001.000*kWh)\r\n");
    String bad = good.replace("000001.000", "000001.001");
    TelegramException e = refused(bad);
    assertThat(e.reason()).isEqualTo(Reason.CRC_MISMATCH);
    assertThat(e.line()).isZero();
    assertThat(e.getMessage()).contains("the telegram says " + good.substring(good.indexOf('!') + 1, good.indexOf('!') + 5));
  }

  @Test
  void theCrcIsFourUpperCaseHexDigits() throws TelegramException {
    String good = signed(HEAD + "0-0:96.13.0()\r\n");
    String crc = good.substring(good.indexOf('!') + 1, good.indexOf('!') + 5);
    assertThat(DsmrParser.parse(good).version()).contains("50");
    assertThat(refused(good.replace("!" + crc, "!" + crc.substring(0, 3))).reason()).isEqualTo(Reason.FRAMING);
    assertThat(refused(good.replace("!" + crc, "!" + crc + "0")).reason()).isEqualTo(Reason.FRAMING);
    String lower = signed(HEAD + "0-0:96.13.0(AB)\r\n"); // CRC with a letter? find one that has
    for (int i = 0; !lower.substring(lower.indexOf('!')).matches("(?s)!.*[A-F].*"); i++) {
      lower = signed(HEAD + "0-0:96.13.0(" + i + ")\r\n");
    }
    String bang = lower.substring(lower.indexOf('!'), lower.indexOf('!') + 5);
    assertThat(refused(lower.replace(bang, bang.toLowerCase())).reason()).isEqualTo(Reason.FRAMING);
  }

  @Test
  void dsmr4AndLaterRequireACrc() {
    TelegramException e = refused(HEAD + "1-0:1.8.1(000001.000*kWh)\r\n!\r\n");
    assertThat(e.reason()).isEqualTo(Reason.CRC_MISSING);
    assertThat(e.getMessage()).contains("version 50");
  }

  @Test
  void aWrongUnitIsRefusedOnItsLine() {
    TelegramException e = refused(signed(HEAD + "0-0:96.14.0(0001)\r\n1-0:1.8.1(000001.000*kW)\r\n"));
    assertThat(e.reason()).isEqualTo(Reason.BAD_UNIT);
    assertThat(e.line()).isEqualTo(5);
    assertThat(e.getMessage()).isEqualTo("line 5: unit 'kW' in 1-0:1.8.1, expected kWh [BAD_UNIT]");
    assertThat(refused(signed(HEAD + "1-0:32.7.0(230.0)\r\n")).reason()).isEqualTo(Reason.BAD_UNIT);
    assertThat(refused(signed(HEAD + "1-0:99.97.0(1)(0-0:96.7.19)(101208152415W)(0000000240*min)\r\n")).reason())
        .isEqualTo(Reason.BAD_UNIT);
    assertThat(refused(signed(HEAD + "0-1:24.2.1(101209112500W)(12785.123*l)\r\n")).reason())
        .isEqualTo(Reason.BAD_UNIT);
  }

  @Test
  void unitsAreComparedIgnoringTheCaseOfLetters() throws TelegramException {
    Telegram t = DsmrParser.parse(signed(HEAD + "1-0:1.8.1(000001.000*KWH)\r\n0-1:24.2.1(101209112500W)(1.000*M3)\r\n"));
    assertThat(t.energyDeliveredTariff1()).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("1"));
    assertThat(t.mbus(1).orElseThrow().unit()).contains(Unit.M3);
  }

  @Test
  void malformedLinesAndValuesNameTheirLine() {
    TelegramException e = refused(signed(HEAD + "1-0:1.8.1(000001.000*kWh)\r\nhello\r\n"));
    assertThat(e.reason()).isEqualTo(Reason.MALFORMED_LINE);
    assertThat(e.line()).isEqualTo(5);
    assertThat(refused(signed(HEAD + "1-0:1.8.1(000001.000*kWh\r\n")).reason()).isEqualTo(Reason.MALFORMED_LINE);
    assertThat(refused(signed(HEAD + "1-0:1.8.1(000001.000*kWh) \r\n")).reason()).isEqualTo(Reason.MALFORMED_LINE);
    assertThat(refused(signed(HEAD + "1-0:1.8.1(1*kWh)(2*kWh)\r\n")).reason()).isEqualTo(Reason.MALFORMED_LINE);
    assertThat(refused(signed(HEAD + "1-0:1.8.1(0000-1.000*kWh)\r\n")).reason()).isEqualTo(Reason.BAD_VALUE);
    assertThat(refused(signed(HEAD + "1-0:1.8.1(1.*kWh)\r\n")).reason()).isEqualTo(Reason.BAD_VALUE);
    assertThat(refused(signed(HEAD + "0-0:96.14.0(x)\r\n")).reason()).isEqualTo(Reason.BAD_VALUE);
    assertThat(refused(signed(HEAD + "1-0:1.8.1(1234567890123456789*kWh)\r\n")).reason()).isEqualTo(Reason.BAD_VALUE);
  }

  @Test
  void badTimestampsAreRefused() {
    for (String time : List.of("101309113020W", "101232113020W", "101209243020W", "101209116020W",
        "101209113060W", "1012091130W", "101209113020X", "190229000000W")) {
      TelegramException e = refused(signed(HEAD + "0-0:1.0.0(" + time + ")\r\n"));
      assertThat(e.reason()).as(time).isEqualTo(Reason.BAD_VALUE);
      assertThat(e.line()).isEqualTo(4);
    }
  }

  @Test
  void aPowerFailureLogMustHoldWhatItAnnounces() {
    TelegramException e = refused(signed(HEAD + "1-0:99.97.0(2)(0-0:96.7.19)(101208152415W)(0000000240*s)\r\n"));
    assertThat(e.reason()).isEqualTo(Reason.BAD_VALUE);
    assertThat(e.getMessage()).contains("announces 2 failures but has 4 values");
  }

  @Test
  void aKnownObjectTwiceIsRefused() {
    TelegramException e = refused(signed(HEAD + "1-0:1.8.1(000001.000*kWh)\r\n1-0:1.8.1(000002.000*kWh)\r\n"));
    assertThat(e.reason()).isEqualTo(Reason.DUPLICATE_OBJECT);
    assertThat(e.line()).isEqualTo(5);
    assertThat(refused(signed(HEAD + "0-1:24.2.1(101209112500W)(1.000*m3)\r\n0-1:24.2.3(101209112500W)(1.000*m3)\r\n"))
        .reason()).isEqualTo(Reason.DUPLICATE_OBJECT);
  }

  @Test
  void unknownObjectsAreKeptWithTheirRawValues() throws TelegramException {
    Telegram t = DsmrParser.parse(signed(HEAD
        + "0-0:96.1.4(50217)\r\n1-0:1.8.0(000002.000*kWh)\r\n1-0:1.4.0(00.123*kW)\r\n0-5:24.2.1(x)(y)\r\n"
        + "1-0:31.4.0(999*A)\r\n"));
    assertThat(t.unknown()).containsExactly(
        new CosemObject("0-0:96.1.4", List.of("50217")),
        new CosemObject("1-0:1.8.0", List.of("000002.000*kWh")),
        new CosemObject("1-0:1.4.0", List.of("00.123*kW")),
        new CosemObject("0-5:24.2.1", List.of("x", "y")),
        new CosemObject("1-0:31.4.0", List.of("999*A")));
    assertThat(t.mbus()).isEmpty();
  }

  @Test
  void whitespaceAroundTheTelegramAndBareLineFeedsAreTolerated() throws TelegramException {
    String telegram = signed(HEAD + "1-0:1.8.1(000001.000*kWh)\r\n");
    assertThat(DsmrParser.parse("\r\n  " + telegram + "\r\n\r\n").energyDeliveredTariff1()).isPresent();
    Telegram dsmr22 = DsmrParser.parse(new String(Fixtures.bytes("dsmr22-iskra.txt"), StandardCharsets.ISO_8859_1)
        .replace("\r\n", "\n"));
    assertThat(dsmr22.mbus(1).orElseThrow().value()).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("1.001"));
    assertThat(refused(telegram + "x").reason()).isEqualTo(Reason.FRAMING);
  }

  @Test
  void charactersBeyondOneByteAreRefused() {
    assertThat(refused("/ISk5\\2MT382-1000\r\n\r\n0-0:96.13.0(€)\r\n!").reason()).isEqualTo(Reason.FRAMING);
    assertThat(refused("/ISk5\\2MT382-1000\r\n\r\n0-0:96.13.0(?€)\r\n!").getMessage())
        .isEqualTo("character U+20ac at offset 34 is not a byte [FRAMING]");
    assertThat(refused(new StringBuilder("/ISk5\\2MT382-1000\r\n\r\n0-0:96.13.0(€)\r\n!")).reason())
        .isEqualTo(Reason.FRAMING);
  }

  @Test
  void byteArrayAndRangeParseTheSame() throws TelegramException {
    byte[] spec = Fixtures.bytes("dsmr-5.0.2-example.txt");
    byte[] padded = new byte[spec.length + 10];
    System.arraycopy(spec, 0, padded, 5, spec.length);
    padded[0] = 'x';
    padded[padded.length - 1] = 'x';
    assertThat(DsmrParser.parse(padded, 5, spec.length)).isEqualTo(DsmrParser.parse(spec));
    assertThatThrownBy(() -> DsmrParser.parse(padded)).isInstanceOf(TelegramException.class);
  }
}

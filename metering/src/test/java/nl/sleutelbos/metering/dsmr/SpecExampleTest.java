package nl.sleutelbos.metering.dsmr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/**
 * The example telegram of the DSMR 5.0.2 P1 companion standard (section 6.12), read with exact
 * values. The standard prints !EF2F, which does not match its own example; the fixture carries the
 * CRC-16/ARC of the content as printed (E47C).
 */
class SpecExampleTest {

  private static BigDecimal d(String value) {
    return new BigDecimal(value);
  }

  @Test
  void readsEveryObjectOfTheStandardsExample() throws TelegramException {
    Telegram t = Fixtures.parse("dsmr-5.0.2-example.txt");

    assertEquals("/ISk5\\2MT382-1000", t.header());
    assertEquals("ISk", t.manufacturer());
    assertEquals(Optional.of("50"), t.version());
    assertEquals(Optional.of(Instant.parse("2010-12-09T10:30:20Z")), t.timestamp());
    assertEquals(Optional.of("K8EG004046395507"), t.equipmentId());
    assertEquals(Optional.of(d("123456.789")), t.energyDeliveredTariff1());
    assertEquals(Optional.of(d("123456.789")), t.energyDeliveredTariff2());
    assertEquals(Optional.of(d("123456.789")), t.energyReturnedTariff1());
    assertEquals(Optional.of(d("123456.789")), t.energyReturnedTariff2());
    assertEquals(Optional.of(2), t.tariffIndicator());
    assertEquals(Optional.of(d("1.193")), t.powerDelivered());
    assertEquals(Optional.of(d("0.000")), t.powerReturned());
    assertEquals(Optional.of(4L), t.shortPowerFailures());
    assertEquals(Optional.of(2L), t.longPowerFailures());
    assertEquals(List.of(
        new PowerFailure(Instant.parse("2010-12-08T14:24:15Z"), Duration.ofSeconds(240)),
        new PowerFailure(Instant.parse("2010-12-08T14:10:04Z"), Duration.ofSeconds(301))),
        t.powerFailureLog());
    assertEquals(new PhaseReadings(Optional.of(d("220.1")), Optional.of(d("1")), Optional.of(d("1.111")),
        Optional.of(d("4.444")), Optional.of(2L), Optional.of(0L)), t.l1());
    assertEquals(new PhaseReadings(Optional.of(d("220.2")), Optional.of(d("2")), Optional.of(d("2.222")),
        Optional.of(d("5.555")), Optional.of(1L), Optional.of(3L)), t.l2());
    assertEquals(new PhaseReadings(Optional.of(d("220.3")), Optional.of(d("3")), Optional.of(d("3.333")),
        Optional.of(d("6.666")), Optional.of(0L), Optional.of(0L)), t.l3());
    assertEquals(Optional.of("0123456789:;<=>?".repeat(5)), t.textMessage());
    assertEquals(List.of(MbusReading.of(1, MbusReading.GAS, "2222ABCD123456789",
        Instant.parse("2010-12-09T10:25:00Z"), d("12785.123"), Unit.M3)), t.mbus());
    assertTrue(t.unknown().isEmpty());
    assertEquals(Optional.empty(), t.threshold());
  }

  @Test
  void writesTheExampleBackByteForByte() throws TelegramException {
    byte[] original = Fixtures.bytes("dsmr-5.0.2-example.txt");
    Telegram t = DsmrParser.parse(original);
    assertEquals(new String(original, java.nio.charset.StandardCharsets.ISO_8859_1), TelegramWriter.write(t));
    assertEquals(t, DsmrParser.parse(TelegramWriter.write(t)));
  }

  @Test
  void crcIsCrc16Arc() {
    assertEquals(0xBB3D, Crc16Arc.of("123456789"));
  }
}

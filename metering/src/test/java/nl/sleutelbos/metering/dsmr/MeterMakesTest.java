package nl.sleutelbos.metering.dsmr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Real telegrams of the common makes and of DSMR 2.2 and 3, read with exact values (see SOURCES.md). */
class MeterMakesTest {

  private static Optional<BigDecimal> d(String value) {
    return Optional.of(new BigDecimal(value));
  }

  private static Instant at(String instant) {
    return Instant.parse(instant);
  }

  @Test
  void kaifaDsmr42() throws TelegramException {
    Telegram t = Fixtures.parse("kaifa-dsmr42.txt");
    assertEquals("/KFM5KAIFA-METER", t.header());
    assertEquals("KFM", t.manufacturer());
    assertEquals(Optional.of("42"), t.version());
    assertEquals(Optional.of(at("2016-11-13T19:57:57Z")), t.timestamp());
    assertEquals(d("1581.123"), t.energyDeliveredTariff1());
    assertEquals(d("1435.706"), t.energyDeliveredTariff2());
    assertEquals(d("0.000"), t.energyReturnedTariff1());
    assertEquals(d("0.000"), t.energyReturnedTariff2());
    assertEquals(Optional.of(2), t.tariffIndicator());
    assertEquals(d("2.027"), t.powerDelivered());
    assertEquals(Optional.of(15L), t.shortPowerFailures());
    assertEquals(Optional.of(7L), t.longPowerFailures());
    // Kaifa fills unused log entries with 2000-01-01 and nonsense durations; they are read as sent.
    assertEquals(List.of(
        new PowerFailure(at("2000-01-04T17:03:20Z"), Duration.ofSeconds(237126)),
        new PowerFailure(at("2000-01-01T00:00:01Z").minusSeconds(3600), Duration.ofSeconds(2147583646L)),
        new PowerFailure(at("2000-01-01T23:00:03Z"), Duration.ofSeconds(2317482647L))),
        t.powerFailureLog());
    assertEquals(Optional.empty(), t.l1().voltage());
    assertEquals(d("0"), t.l1().current());
    assertEquals(d("6"), t.l2().current());
    assertEquals(d("2"), t.l3().current());
    assertEquals(d("0.170"), t.l1().powerDelivered());
    assertEquals(d("1.247"), t.l2().powerDelivered());
    assertEquals(d("0.209"), t.l3().powerDelivered());
    assertEquals(Optional.of(0L), t.l3().voltageSwells());
    assertEquals(Optional.of(""), t.textMessageCode());
    assertEquals(Optional.of(""), t.textMessage());
    MbusReading gas = t.mbus(1).orElseThrow();
    assertEquals(Optional.of(MbusReading.GAS), gas.deviceType());
    assertEquals(Optional.of("4819243993373755377509728609491464"), gas.equipmentId()); // not hex text: kept
    assertEquals(Optional.of(at("2016-11-29T19:00:00Z")), gas.timestamp());
    assertEquals(d("981.443"), gas.value());
    assertEquals(Optional.of(Unit.M3), gas.unit());
  }

  @Test
  void landisGyrE350Dsmr42OnePhase() throws TelegramException {
    Telegram t = Fixtures.parse("landis-gyr-e350-dsmr42.txt");
    assertEquals("XMX", t.manufacturer());
    assertEquals(Optional.of(at("2017-01-08T15:11:07Z")), t.timestamp());
    assertEquals(Optional.of("E0031003001699515"), t.equipmentId());
    assertEquals(d("2074.842"), t.energyDeliveredTariff1());
    assertEquals(d("881.383"), t.energyDeliveredTariff2());
    assertEquals(d("10.981"), t.energyReturnedTariff1());
    assertEquals(d("28.031"), t.energyReturnedTariff2());
    assertEquals(Optional.of(1), t.tariffIndicator());
    assertEquals(d("0.494"), t.powerDelivered());
    assertEquals(List.of(
        new PowerFailure(at("2016-03-15T17:42:19Z"), Duration.ofSeconds(310)),
        new PowerFailure(at("2016-02-07T15:48:37Z"), Duration.ofSeconds(981)),
        new PowerFailure(at("2015-11-18T07:56:23Z"), Duration.ofSeconds(502496))),
        t.powerFailureLog());
    assertEquals(d("3"), t.l1().current());
    assertEquals(d("0.494"), t.l1().powerDelivered());
    assertTrue(t.l2().isEmpty());
    assertTrue(t.l3().isEmpty());
    assertEquals(List.of(MbusReading.of(1, 3, "G0019340221198415", at("2017-01-08T15:00:00Z"),
        new BigDecimal("1234.000"), Unit.M3)), t.mbus());
  }

  @Test
  void landisGyrE350InSummerTime() throws TelegramException {
    Telegram t = Fixtures.parse("landis-gyr-e350-dsmr42-summer.txt");
    assertEquals(Optional.of(at("2019-09-27T19:47:07Z")), t.timestamp());
    assertEquals(at("2019-09-27T19:00:00Z"), t.mbus(1).orElseThrow().timestamp().orElseThrow());
    assertEquals(d("3749.001"), t.mbus(1).orElseThrow().value());
    assertEquals(new PowerFailure(at("2017-09-05T08:45:26Z"), Duration.ofSeconds(3233)),
        t.powerFailureLog().get(2));
  }

  @Test
  void iskraAm550Dsmr5WithoutGas() throws TelegramException {
    Telegram t = Fixtures.parse("iskra-am550-dsmr5.txt");
    assertEquals("/ISK5\\2M550T-1013", t.header());
    assertEquals(Optional.of("50"), t.version());
    assertEquals(Optional.of(at("2021-03-07T11:37:21Z")), t.timestamp());
    assertEquals(Optional.of("E0054007476941719"), t.equipmentId());
    assertEquals(d("2236.186"), t.energyDeliveredTariff1());
    assertEquals(d("1755.060"), t.energyDeliveredTariff2());
    assertEquals(d("781.784"), t.energyReturnedTariff1());
    assertEquals(d("1871.581"), t.energyReturnedTariff2());
    assertEquals(d("0.662"), t.powerReturned());
    assertEquals(List.of(
        new PowerFailure(at("2019-09-11T13:49:33Z"), Duration.ofSeconds(336)),
        new PowerFailure(at("2020-10-17T06:16:00Z"), Duration.ofSeconds(861))),
        t.powerFailureLog());
    assertEquals(new PhaseReadings(d("233.7"), d("3"), d("0.000"), d("0.900"), Optional.of(3L),
        Optional.of(1L)), t.l1());
    assertEquals(d("233.6"), t.l2().voltage());
    assertEquals(d("230.9"), t.l3().voltage());
    assertTrue(t.mbus().isEmpty());
  }

  @Test
  void iskraMt382Dsmr5WithTwoMbusChannels() throws TelegramException {
    Telegram t = Fixtures.parse("iskra-mt382-dsmr5.txt");
    assertEquals(Optional.of(at("2017-01-02T18:20:02Z")), t.timestamp());
    assertEquals(List.of(), t.powerFailureLog()); // "(0)(0-0:96.7.19)"
    assertEquals(d("230.0"), t.l1().voltage()); // written 0230.0
    assertEquals(d("0.48"), t.l1().current()); // decimals where the standard has none
    assertEquals(d("0.86"), t.l3().current());
    assertEquals(List.of(
        MbusReading.of(1, 3, "2222ABCD123456789", at("2017-01-02T15:10:05Z"), new BigDecimal("0.107"),
            Unit.M3),
        new MbusReading(2, Optional.of(3), Optional.of(""), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty())),
        t.mbus());
  }

  @Test
  void sagemcomT210dDsmr5WithTenPowerFailures() throws TelegramException {
    Telegram t = Fixtures.parse("sagemcom-t210d-dsmr5.txt");
    assertEquals("/Ene5\\T210-D ESMR5.0", t.header());
    assertEquals("Ene", t.manufacturer());
    assertEquals(Optional.of(at("2023-02-15T14:57:33Z")), t.timestamp());
    assertEquals(Optional.of("E0048000038005719"), t.equipmentId());
    assertEquals(d("9086.173"), t.energyDeliveredTariff1());
    assertEquals(d("5000.127"), t.energyDeliveredTariff2());
    assertEquals(d("6556.488"), t.energyReturnedTariff1());
    assertEquals(d("13660.840"), t.energyReturnedTariff2());
    assertEquals(d("0.391"), t.powerReturned());
    assertEquals(Optional.of(88L), t.shortPowerFailures());
    assertEquals(Optional.of(40L), t.longPowerFailures());
    assertEquals(10, t.powerFailureLog().size());
    assertEquals(new PowerFailure(at("2022-05-23T13:14:34Z"), Duration.ofSeconds(4058)), t.powerFailureLog().get(0));
    assertEquals(new PowerFailure(at("2019-10-16T06:33:19Z"), Duration.ofSeconds(62004)), t.powerFailureLog().get(9));
    assertEquals(Optional.of(70L), t.l3().voltageSwells());
    assertEquals(d("0.226"), t.l3().powerReturned());
    assertEquals(d("239.0"), t.l3().voltage());
  }

  @Test
  void dsmr22GasValueOnTheNextLineAndNoCrc() throws TelegramException {
    Telegram t = Fixtures.parse("dsmr22-iskra.txt");
    assertEquals(Optional.empty(), t.version());
    assertEquals(Optional.empty(), t.timestamp());
    assertEquals(Optional.of("00000000000000"), t.equipmentId()); // decodes to control bytes: kept as sent
    assertEquals(d("1.001"), t.energyDeliveredTariff1());
    assertEquals(d("1.01"), t.powerDelivered());
    assertEquals(d("0.00"), t.powerReturned());
    assertEquals(Optional.of(new Quantity(new BigDecimal("999.00"), Unit.KW)), t.threshold());
    assertEquals(Optional.of(1), t.switchPosition());
    // 2016-11-07 19:00 local time without S/W: winter time, UTC+1
    assertEquals(List.of(new MbusReading(1, Optional.of(3), Optional.of("000000000000"),
        Optional.of(at("2016-11-07T18:00:00Z")), d("1.001"), Optional.of(Unit.M3), Optional.of(1))),
        t.mbus());
  }

  @Test
  void dsmr3ThresholdInAmpereAndMessageCode() throws TelegramException {
    Telegram t = Fixtures.parse("dsmr3-iskra.txt");
    assertEquals(Optional.of("K8EG004046395507"), t.equipmentId());
    assertEquals(d("12345.678"), t.energyReturnedTariff2());
    assertEquals(d("1.19"), t.powerDelivered());
    assertEquals(Optional.of(new Quantity(new BigDecimal("16"), Unit.A)), t.threshold());
    assertEquals(Optional.of("303132333435363738"), t.textMessageCode());
    assertEquals(Optional.of("0123456789:;<=>?".repeat(5)), t.textMessage());
    assertEquals(List.of(new MbusReading(1, Optional.of(3), Optional.of("2222ABCD123456789"),
        Optional.of(at("2009-02-12T15:00:00Z")), d("1.001"), Optional.of(Unit.M3), Optional.of(1))),
        t.mbus());
  }
}

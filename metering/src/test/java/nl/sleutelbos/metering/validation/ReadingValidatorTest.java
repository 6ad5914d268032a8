package nl.sleutelbos.metering.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import nl.sleutelbos.metering.dsmr.MbusReading;
import nl.sleutelbos.metering.dsmr.PhaseReadings;
import nl.sleutelbos.metering.dsmr.Telegram;
import nl.sleutelbos.metering.dsmr.TelegramException;
import nl.sleutelbos.metering.dsmr.TelegramWriter;
import nl.sleutelbos.metering.dsmr.Unit;

class ReadingValidatorTest {

  static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");
  static final ConnectionCapacity HOUSEHOLD = ConnectionCapacity.parse("3x25A");
  private final ReadingValidator validator = new ReadingValidator();

  static BigDecimal d(String v) {
    return new BigDecimal(v);
  }

  static PhaseReadings phase(String volts, String amperes, String kw) {
    return new PhaseReadings(Optional.of(d(volts)), Optional.of(d(amperes)), Optional.of(d(kw)),
        Optional.of(d("0.000")), Optional.of(0L), Optional.of(0L));
  }

  /** An ordinary household telegram at {@code time}, its registers grown by {@code kWh} and {@code m3}. */
  static Telegram reading(Instant time, String kWh, String m3) {
    return Telegram.builder("/ISk5\\2MT382-1000").version("50").timestamp(time).equipmentId("E0044007131610217")
        .energyDeliveredTariff1(d("1000.000").add(d(kWh))).energyDeliveredTariff2(d("2000.000"))
        .energyReturnedTariff1(d("10.000")).energyReturnedTariff2(d("20.000")).tariffIndicator(2)
        .powerDelivered(d("1.193")).powerReturned(d("0.000"))
        .l1(phase("229.8", "3", "0.700")).l2(phase("231.0", "1", "0.300")).l3(phase("230.4", "1", "0.193"))
        .mbus(MbusReading.of(1, MbusReading.GAS, "G0019340221198415", time.minusSeconds(300),
            d("500.000").add(d(m3)), Unit.M3))
        .build();
  }

  private Verdict.Accepted accept(Optional<MeterState> previous, Instant receivedAt, Telegram telegram) {
    return validator.validate(previous, HOUSEHOLD, receivedAt, telegram);
  }

  @Test
  void anOrdinaryReadingIsAcceptedWithoutFlagsAndBecomesTheState() {
    Verdict.Accepted first = accept(Optional.empty(), T0.plusSeconds(2), reading(T0, "0", "0"));
    assertThat(first.flags()).isEmpty();
    assertThat(first.isFlagged()).isFalse();
    assertThat(first.next()).isEqualTo(new MeterState(T0, Map.of("1-0:1.8.1", d("1000.000"),
        "1-0:1.8.2", d("2000.000"), "1-0:2.8.1", d("10.000"), "1-0:2.8.2", d("20.000"),
        "0-1:24.2.1", d("500.000"))));

    Instant t1 = T0.plus(Duration.ofMinutes(15));
    Verdict.Accepted second = accept(Optional.of(first.next()), t1, reading(t1, "0.250", "0.012"));
    assertThat(second.flags()).isEmpty();
    assertThat(second.next().lastTimestamp()).isEqualTo(t1);
    assertThat(second.next().registers()).containsEntry("1-0:1.8.1", d("1000.250"));
  }

  @Test
  void aCrcFailureOrGarbageIsRejectedWithItsReason() {
    String good = TelegramWriter.write(reading(T0, "0", "0"));
    Verdict crc = validator.validate(Optional.empty(), HOUSEHOLD, T0, good.replace("001000.000", "000900.000"));
    assertThat(crc).isInstanceOfSatisfying(Verdict.Rejected.class,
        r -> assertThat(r.reason()).isEqualTo(TelegramException.Reason.CRC_MISMATCH));
    Verdict garbage = validator.validate(Optional.empty(), HOUSEHOLD, T0, new byte[] {1, 2, 3});
    assertThat(garbage).isInstanceOfSatisfying(Verdict.Rejected.class,
        r -> assertThat(r.reason()).isEqualTo(TelegramException.Reason.FRAMING));
    assertThat(validator.validate(Optional.empty(), HOUSEHOLD, T0, good)).isInstanceOf(Verdict.Accepted.class);
  }

  @Test
  void aRolledBackRegisterIsFlaggedOnceAndTheStateFollowsTheMeter() {
    MeterState before = accept(Optional.empty(), T0, reading(T0, "5", "3")).next();
    Instant t1 = T0.plus(Duration.ofMinutes(15));
    Verdict.Accepted rolledBack = accept(Optional.of(before), t1, reading(t1, "4.999", "3"));
    assertThat(rolledBack.flags()).containsExactly(QualityFlag.REGISTER_DECREASED);
    assertThat(rolledBack.details()).containsExactly("REGISTER_DECREASED: 1-0:1.8.1 went from 1005.000 to 1004.999");

    Instant t2 = t1.plus(Duration.ofMinutes(15));
    assertThat(accept(Optional.of(rolledBack.next()), t2, reading(t2, "5.1", "3")).flags()).isEmpty();

    Verdict.Accepted gasBack = accept(Optional.of(before), t1, reading(t1, "5", "2.5"));
    assertThat(gasBack.details()).containsExactly("REGISTER_DECREASED: 0-1:24.2.1 went from 503.000 to 502.500");
  }

  @Test
  void timestampsBeyondTheTolerancesAreFlagged() {
    ValidationConfig c = validator.config();
    assertThat(accept(Optional.empty(), T0, reading(T0.plus(c.futureTolerance()), "0", "0")).flags()).isEmpty();
    assertThat(accept(Optional.empty(), T0, reading(T0.plus(c.futureTolerance()).plusSeconds(1), "0", "0")).flags())
        .containsExactly(QualityFlag.TIMESTAMP_IN_FUTURE);
    assertThat(accept(Optional.empty(), T0, reading(T0.minus(c.maxAge()), "0", "0")).flags()).isEmpty();
    assertThat(accept(Optional.empty(), T0, reading(T0.minus(c.maxAge()).minusSeconds(1), "0", "0")).flags())
        .containsExactly(QualityFlag.TIMESTAMP_TOO_OLD);
  }

  @Test
  void anOlderOrRepeatedTelegramIsOutOfOrderAndLeavesTheStateAlone() {
    Instant t1 = T0.plus(Duration.ofMinutes(15));
    MeterState state = accept(Optional.empty(), t1, reading(t1, "5", "3")).next();
    Verdict.Accepted older = accept(Optional.of(state), t1, reading(T0, "0", "0"));
    assertThat(older.flags()).containsExactly(QualityFlag.OUT_OF_ORDER); // registers not compared
    assertThat(older.next()).isEqualTo(state);
    assertThat(accept(Optional.of(state), t1, reading(t1, "5", "3")).flags()).containsExactly(QualityFlag.OUT_OF_ORDER);
  }

  @Test
  void silenceOfMoreThanTheAllowedMissedIntervalsIsAGap() {
    MeterState state = accept(Optional.empty(), T0, reading(T0, "0", "0")).next();
    Instant justInTime = T0.plus(Duration.ofMinutes(45));
    assertThat(accept(Optional.of(state), justInTime, reading(justInTime, "1", "1")).flags()).isEmpty();
    Instant late = justInTime.plusSeconds(1);
    Verdict.Accepted gap = accept(Optional.of(state), late, reading(late, "1", "1"));
    assertThat(gap.flags()).containsExactly(QualityFlag.GAP);
    assertThat(gap.details()).containsExactly("GAP: PT45M1S since the last accepted telegram, expected every PT15M");
  }

  @Test
  void powerOrCurrentAboveTheConnectionIsFlagged() {
    // 3x25 A at 230 V carries 17.25 kW; with 10 % tolerance 18.975 kW, 27.5 A, 6.325 kW per phase.
    Telegram fine = reading(T0, "0", "0").toBuilder().powerDelivered(d("18.975")).build();
    assertThat(accept(Optional.empty(), T0, fine).flags()).isEmpty();
    Telegram tooMuch = fine.toBuilder().powerDelivered(d("18.976")).build();
    Verdict.Accepted v = accept(Optional.empty(), T0, tooMuch);
    assertThat(v.flags()).containsExactly(QualityFlag.POWER_ABOVE_CAPACITY);
    assertThat(v.details()).containsExactly(
        "POWER_ABOVE_CAPACITY: power delivered 18.976 kW above 18.975 kW for 3x25A");
    assertThat(accept(Optional.empty(), T0, fine.toBuilder().l2(phase("230.0", "28", "0.300")).build()).flags())
        .containsExactly(QualityFlag.POWER_ABOVE_CAPACITY);
    assertThat(accept(Optional.empty(), T0, fine.toBuilder().l3(phase("230.0", "1", "6.326")).build()).flags())
        .containsExactly(QualityFlag.POWER_ABOVE_CAPACITY);
    assertThat(accept(Optional.empty(), T0, fine.toBuilder().powerReturned(d("19.000")).build()).flags())
        .containsExactly(QualityFlag.POWER_ABOVE_CAPACITY);
    assertThat(validator.validate(Optional.empty(), ConnectionCapacity.parse("1x35"), T0, fine).flags())
        .containsExactly(QualityFlag.POWER_ABOVE_CAPACITY);
  }

  @Test
  void voltagesOutsideEn50160AreFlagged() {
    Telegram base = reading(T0, "0", "0");
    assertThat(accept(Optional.empty(), T0, base.toBuilder().l1(phase("207.0", "1", "0.1"))
        .l2(phase("253.0", "1", "0.1")).build()).flags()).isEmpty();
    assertThat(accept(Optional.empty(), T0, base.toBuilder().l1(phase("206.9", "1", "0.1")).build()).details())
        .containsExactly("VOLTAGE_OUT_OF_RANGE: L1 voltage 206.9 V outside 207..253 V");
    assertThat(accept(Optional.empty(), T0, base.toBuilder().l3(phase("253.1", "1", "0.1")).build()).flags())
        .containsExactly(QualityFlag.VOLTAGE_OUT_OF_RANGE);
  }

  @Test
  void severalFindingsAreAllReported() {
    MeterState state = accept(Optional.empty(), T0, reading(T0, "5", "0")).next();
    Instant late = T0.plus(Duration.ofHours(2));
    Telegram t = reading(late, "4", "0").toBuilder().powerDelivered(d("30.000")).l1(phase("180.0", "3", "0.1")).build();
    assertThat(accept(Optional.of(state), late, t).flags()).containsExactlyInAnyOrder(QualityFlag.REGISTER_DECREASED,
        QualityFlag.GAP, QualityFlag.POWER_ABOVE_CAPACITY, QualityFlag.VOLTAGE_OUT_OF_RANGE);
  }

  @Test
  void aTelegramWithoutTimeIsTakenAtItsReceipt() {
    Telegram dsmr3 = reading(T0, "0", "0").toBuilder().timestamp(null).version(null).build();
    Verdict.Accepted v = accept(Optional.empty(), T0, dsmr3);
    assertThat(v.flags()).isEmpty();
    assertThat(v.next().lastTimestamp()).isEqualTo(T0);
  }

  @Test
  void configurationAndCapacityRefuseNonsense() {
    assertThatThrownBy(() -> ConnectionCapacity.parse("3 by 25")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ConnectionCapacity(2, 25)).hasMessage("phases is 1 or 3: 2");
    assertThat(ConnectionCapacity.parse("1 x 35 A")).isEqualTo(new ConnectionCapacity(1, 35));
    assertThat(HOUSEHOLD.maxPowerKw(d("230"))).isEqualByComparingTo("17.25");
    assertThatThrownBy(() -> new ValidationConfig(Duration.ofMinutes(5), Duration.ofHours(1), Duration.ZERO, 2,
        d("230"), d("0.1"), d("0.1"))).hasMessage("expectedInterval <= 0: PT0S");
    assertThat(ValidationConfig.DEFAULTS.gapAfter()).isEqualTo(Duration.ofMinutes(45));
  }
}

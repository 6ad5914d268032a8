package nl.sleutelbos.metering.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

import nl.sleutelbos.metering.dsmr.Telegram;
import nl.sleutelbos.metering.dsmr.TelegramWriter;

/** The validator over a meter's series of readings and over arbitrary input. */
class ReadingValidatorProperties {

  private final ReadingValidator validator = new ReadingValidator();

  /** Steps of a series: seconds after the previous telegram, kWh and m3 consumed meanwhile (in thousandths). */
  @Provide
  Arbitrary<List<long[]>> series() {
    return Arbitraries.longs().between(1, 45 * 60).array(long[].class).ofSize(3)
        .map(a -> new long[] {a[0], a[1] % 5000, a[2] % 2000}).list().ofMinSize(1).ofMaxSize(30);
  }

  @Property(tries = 300)
  void anHonestMeterReportingOnTimeIsNeverFlagged(@ForAll("series") List<long[]> steps) {
    Instant time = ReadingValidatorTest.T0;
    BigDecimal kWh = BigDecimal.ZERO.setScale(3);
    BigDecimal m3 = BigDecimal.ZERO.setScale(3);
    Optional<MeterState> state = Optional.empty();
    for (long[] step : steps) {
      time = time.plusSeconds(step[0]);
      kWh = kWh.add(BigDecimal.valueOf(step[1], 3));
      m3 = m3.add(BigDecimal.valueOf(step[2], 3));
      Telegram t = ReadingValidatorTest.reading(time, kWh.toPlainString(), m3.toPlainString());
      Verdict v = validator.validate(state, ReadingValidatorTest.HOUSEHOLD, time.plusSeconds(1), TelegramWriter.write(t));
      assertThat(v).isInstanceOf(Verdict.Accepted.class);
      Verdict.Accepted accepted = (Verdict.Accepted) v;
      assertThat(accepted.flags()).isEmpty();
      assertThat(accepted.next().lastTimestamp()).isEqualTo(time);
      state = Optional.of(accepted.next());
    }
  }

  @Property(tries = 300)
  void anyRollBackOfTheDeliveredRegisterIsFlagged(@ForAll @LongRange(min = 1, max = 1_000_000) long thousandths,
                          @ForAll @IntRange(min = 1, max = 45 * 60) int seconds) {
    Instant t0 = ReadingValidatorTest.T0;
    MeterState state = validator.validate(Optional.empty(), ReadingValidatorTest.HOUSEHOLD, t0,
        ReadingValidatorTest.reading(t0, "1000", "0")).next();
    Instant t1 = t0.plusSeconds(seconds);
    String less = BigDecimal.valueOf(1_000_000 - thousandths, 3).toPlainString();
    Verdict.Accepted v = validator.validate(Optional.of(state), ReadingValidatorTest.HOUSEHOLD, t1,
        ReadingValidatorTest.reading(t1, less, "0"));
    assertThat(v.flags()).containsExactly(QualityFlag.REGISTER_DECREASED);
  }

  @Property(tries = 300)
  void theStateNeverMovesBackInTime(@ForAll @LongRange(min = -7 * 86_400, max = 7 * 86_400) long offset) {
    Instant t0 = ReadingValidatorTest.T0;
    MeterState state = validator.validate(Optional.empty(), ReadingValidatorTest.HOUSEHOLD, t0,
        ReadingValidatorTest.reading(t0, "0", "0")).next();
    Instant t = t0.plusSeconds(offset);
    Verdict.Accepted v = validator.validate(Optional.of(state), ReadingValidatorTest.HOUSEHOLD, t0,
        ReadingValidatorTest.reading(t, "0", "0"));
    assertThat(v.next().lastTimestamp()).isAfterOrEqualTo(t0);
    assertThat(v.flags().contains(QualityFlag.OUT_OF_ORDER)).isEqualTo(offset <= 0);
    assertThat(v.flags().contains(QualityFlag.GAP)).isEqualTo(Duration.ofSeconds(offset).compareTo(Duration.ofMinutes(45)) > 0);
  }

  @Property(tries = 300)
  void theFlagsAloneAreTheFlagsOfTheWholeVerdict(@ForAll @LongRange(min = -7 * 86_400, max = 7 * 86_400) long offset,
                          @ForAll @LongRange(min = 0, max = 2_000_000) long thousandths,
                          @ForAll @IntRange(min = 1, max = 200) int amperes) {
    Instant t0 = ReadingValidatorTest.T0;
    MeterState state = validator.validate(Optional.empty(), ReadingValidatorTest.HOUSEHOLD, t0,
        ReadingValidatorTest.reading(t0, "1000", "500")).next();
    Instant t = t0.plusSeconds(offset);
    String kWh = BigDecimal.valueOf(thousandths, 3).toPlainString();
    Telegram telegram = ReadingValidatorTest.reading(t, kWh, kWh);
    ConnectionCapacity capacity = new ConnectionCapacity(3, amperes);
    for (Optional<MeterState> previous : List.of(Optional.<MeterState>empty(), Optional.of(state))) {
      // Receipt far from the telegram's time too, so that both clock checks are exercised.
      for (Instant received : List.of(t0, t.plusSeconds(1), t0.minus(Duration.ofDays(30)))) {
        assertThat(validator.flags(previous, capacity, received, telegram))
            .isEqualTo(validator.validate(previous, capacity, received, telegram).flags());
      }
    }
  }

  @Property(tries = 1000)
  void arbitraryInputIsAcceptedOrRejectedNeverThrown(@ForAll @Size(max = 1500) byte[] input) {
    Verdict v = validator.validate(Optional.empty(), ReadingValidatorTest.HOUSEHOLD, ReadingValidatorTest.T0, input);
    assertThat(v).isNotNull();
  }

  /** Around each bound, to a thousandth and exactly on it: the flags are the exact decimal comparisons. */
  @Property(tries = 1000)
  void boundsAreComparedExactly(@ForAll @IntRange(min = -3000, max = 3000) int thousandths,
                                @ForAll @IntRange(min = 0, max = 3) int bound) {
    BigDecimal offset = BigDecimal.valueOf(thousandths, 3);
    BigDecimal low = new BigDecimal("207.000");
    BigDecimal high = new BigDecimal("253.0");
    BigDecimal maxKw = new BigDecimal("18.97500");
    BigDecimal maxAmperes = new BigDecimal("27.50");
    Telegram usual = ReadingValidatorTest.reading(ReadingValidatorTest.T0, "0", "0");
    Telegram t = switch (bound) {
      case 0 -> usual.toBuilder().l1(ReadingValidatorTest.phase(low.add(offset).toPlainString(), "3", "0.700")).build();
      case 1 -> usual.toBuilder().l1(ReadingValidatorTest.phase(high.add(offset).toPlainString(), "3", "0.700")).build();
      case 2 -> usual.toBuilder().powerDelivered(maxKw.add(offset)).build();
      default -> usual.toBuilder().l1(ReadingValidatorTest.phase("230.0", maxAmperes.add(offset).toPlainString(), "0.700"))
          .build();
    };
    boolean voltageOut = bound == 0 && offset.signum() < 0 || bound == 1 && offset.signum() > 0;
    boolean overCapacity = bound >= 2 && offset.signum() > 0;

    java.util.Set<QualityFlag> flags = validator.flags(Optional.empty(), ReadingValidatorTest.HOUSEHOLD,
        ReadingValidatorTest.T0, t);

    assertThat(flags.contains(QualityFlag.VOLTAGE_OUT_OF_RANGE)).isEqualTo(voltageOut);
    assertThat(flags.contains(QualityFlag.POWER_ABOVE_CAPACITY)).isEqualTo(overCapacity);
  }
}

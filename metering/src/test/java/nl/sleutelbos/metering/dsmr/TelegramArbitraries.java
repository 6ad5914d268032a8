package nl.sleutelbos.metering.dsmr;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Combinators;

/**
 * Arbitrary telegrams in the domain the writer round-trips: quantities with at least the scale
 * DSMR 5 writes, times in whole seconds in 2000..2099, printable equipment ids.
 */
final class TelegramArbitraries {

  private TelegramArbitraries() {
  }

  static Arbitrary<Telegram> telegrams() {
    return Builders.withBuilder(() -> Telegram.builder("/ISk5\\2MT382-1000"))
        .use(headers()).in(Telegram.Builder::header)
        .use(Arbitraries.of("50", "42", "40", "22")).withProbability(0.9).in(Telegram.Builder::version)
        .use(instants()).withProbability(0.9).in(Telegram.Builder::timestamp)
        .use(printable(0, 40)).withProbability(0.9).in(Telegram.Builder::equipmentId)
        .use(decimals(3)).withProbability(0.9).in(Telegram.Builder::energyDeliveredTariff1)
        .use(decimals(3)).withProbability(0.9).in(Telegram.Builder::energyDeliveredTariff2)
        .use(decimals(3)).withProbability(0.9).in(Telegram.Builder::energyReturnedTariff1)
        .use(decimals(3)).withProbability(0.9).in(Telegram.Builder::energyReturnedTariff2)
        .use(Arbitraries.integers().between(0, 9999)).withProbability(0.9).in(Telegram.Builder::tariffIndicator)
        .use(decimals(3)).withProbability(0.9).in(Telegram.Builder::powerDelivered)
        .use(decimals(3)).withProbability(0.9).in(Telegram.Builder::powerReturned)
        .use(thresholds()).withProbability(0.2).in(Telegram.Builder::threshold)
        .use(Arbitraries.integers().between(0, 9)).withProbability(0.2).in(Telegram.Builder::switchPosition)
        .use(counts()).withProbability(0.9).in(Telegram.Builder::shortPowerFailures)
        .use(counts()).withProbability(0.9).in(Telegram.Builder::longPowerFailures)
        .use(failures().list().ofMaxSize(10)).withProbability(0.8).in(Telegram.Builder::powerFailureLog)
        .use(phases()).withProbability(0.9).in(Telegram.Builder::l1)
        .use(phases()).withProbability(0.7).in(Telegram.Builder::l2)
        .use(phases()).withProbability(0.7).in(Telegram.Builder::l3)
        .use(Arbitraries.strings().alpha().numeric().ofMaxLength(16)).withProbability(0.2)
        .in(Telegram.Builder::textMessageCode)
        .use(Arbitraries.strings().withCharRange('\0', '\u00ff').ofMaxLength(100)).withProbability(0.5)
        .in(Telegram.Builder::textMessage)
        .use(mbusDevices()).in((b, devices) -> {
          devices.forEach(b::mbus);
          return b;
        })
        .use(unknownObjects()).withProbability(0.3).in((b, objects) -> {
          objects.forEach(b::addUnknown);
          return b;
        })
        .build(Telegram.Builder::build);
  }

  static Arbitrary<String> headers() {
    Arbitrary<String> maker = Arbitraries.strings().alpha().ofLength(3);
    Arbitrary<String> model = Arbitraries.strings().alpha().numeric().withChars("\\-_. ").ofMaxLength(20);
    return Combinators.combine(maker, Arbitraries.integers().between(0, 9), model)
        .as((m, baud, rest) -> "/" + m + baud + rest);
  }

  static Arbitrary<Instant> instants() {
    return Arbitraries.longs()
        .between(Instant.parse("2000-01-02T00:00:00Z").getEpochSecond(),
            Instant.parse("2099-12-30T00:00:00Z").getEpochSecond())
        .map(Instant::ofEpochSecond);
  }

  static Arbitrary<String> printable(int min, int max) {
    return Arbitraries.strings().withCharRange(' ', '~').ofMinLength(min).ofMaxLength(max);
  }

  /** Non-negative decimals with at least {@code scale} decimals (the writer widens fewer). */
  static Arbitrary<BigDecimal> decimals(int scale) {
    return Combinators.combine(Arbitraries.longs().between(0, 999_999_999_999L), Arbitraries.integers().between(0, 2))
        .as((unscaled, extra) -> BigDecimal.valueOf(unscaled, scale + extra));
  }

  static Arbitrary<Long> counts() {
    return Arbitraries.longs().between(0, 99_999_999L);
  }

  static Arbitrary<Quantity> thresholds() {
    return Arbitraries.oneOf(decimals(1).map(v -> new Quantity(v, Unit.KW)), decimals(0).map(v -> new Quantity(v, Unit.A)));
  }

  static Arbitrary<PowerFailure> failures() {
    return Combinators.combine(instants(), Arbitraries.longs().between(0, 9_999_999_999L))
        .as((end, seconds) -> new PowerFailure(end, Duration.ofSeconds(seconds)));
  }

  static Arbitrary<PhaseReadings> phases() {
    return Combinators.combine(decimals(1).optional(), decimals(0).optional(), decimals(3).optional(),
            decimals(3).optional(), counts().optional(), counts().optional())
        .as(PhaseReadings::new);
  }

  static Arbitrary<List<MbusReading>> mbusDevices() {
    Arbitrary<Boolean> present = Arbitraries.of(true, false);
    return Combinators.combine(present, present, present, present, device(1), device(2), device(3), device(4))
        .as((p1, p2, p3, p4, d1, d2, d3, d4) -> {
          List<MbusReading> devices = new ArrayList<>();
          if (p1) devices.add(d1);
          if (p2) devices.add(d2);
          if (p3) devices.add(d3);
          if (p4) devices.add(d4);
          return devices;
        });
  }

  /** A device always has its type, so the writer writes at least one line for it. */
  static Arbitrary<MbusReading> device(int channel) {
    Arbitrary<Optional<Object[]>> reading = Combinators.combine(instants(), decimals(3),
            Arbitraries.of(Unit.M3, Unit.GJ, Unit.KWH))
        .as((time, value, unit) -> new Object[] {time, value, unit}).optional(0.8);
    return Combinators.combine(Arbitraries.of(MbusReading.GAS, MbusReading.HEAT, MbusReading.WATER, 12),
            printable(0, 34).optional(0.9), reading, Arbitraries.integers().between(0, 1).optional(0.1))
        .as((type, id, r, valve) -> new MbusReading(channel, Optional.of(type), id,
            r.map(v -> (Instant) v[0]), r.map(v -> (BigDecimal) v[1]), r.map(v -> (Unit) v[2]), valve));
  }

  static Arbitrary<List<CosemObject>> unknownObjects() {
    Arbitrary<String> obis = Combinators.combine(Arbitraries.integers().between(0, 1),
            Arbitraries.integers().between(0, 9), Arbitraries.integers().between(100, 255),
            Arbitraries.integers().between(0, 255), Arbitraries.integers().between(0, 255))
        .as((a, b, c, d, e) -> a + "-" + b + ":" + c + "." + d + "." + e);
    Arbitrary<String> value = Arbitraries.strings().withCharRange(' ', '\u00ff').ofMaxLength(20)
        .filter(s -> s.chars().noneMatch(ch -> ch == '(' || ch == ')' || ch == '!'));
    return Combinators.combine(obis, value.list().ofMinSize(1).ofMaxSize(3))
        .as(CosemObject::new).list().ofMaxSize(4);
  }
}

package nl.sleutelbos.app.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Builders;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import nl.sleutelbos.identity.Organisation;
import nl.sleutelbos.metering.dsmr.DsmrParser;
import nl.sleutelbos.metering.dsmr.MbusReading;
import nl.sleutelbos.metering.dsmr.PhaseReadings;
import nl.sleutelbos.metering.dsmr.Telegram;
import nl.sleutelbos.metering.dsmr.TelegramException;
import nl.sleutelbos.metering.dsmr.TelegramWriter;
import nl.sleutelbos.metering.dsmr.Unit;
import nl.sleutelbos.ngsild.Json;

/**
 * The decoder writes a telegram's row straight from the parsed telegram: these properties hold it
 * to the row the measures make ({@link ReadingCodec#encode} of a {@link Reading} built measure by
 * measure, as the decoder did before), and hold the registers the ingest remembers to those the
 * judge reads back from a stored row.
 */
class DsmrRowProperties {
  private static final Instant RECEIVED = Instant.parse("2026-11-27T06:00:00.123456Z");

  @Property(tries = 500)
  void theRowIsTheOneTheMeasuresMake(@ForAll("telegrams") Telegram written) throws Exception {
    Reading reading = decode(written);
    Telegram t = (Telegram) reading.source();

    Reading measured = new Reading(0, reading.meterId(), reading.time(), RECEIVED, measures(t), reading.subMeters(), t);
    byte[] expected = ReadingCodec.encode(measured);

    assertThat(ReadingCodec.encode(reading)).isEqualTo(expected);
    assertThat(reading.measures()).hasSameSizeAs(measured.measures())
        .isEqualTo(ReadingCodec.decode(expected).measures());
    assertThat(ReadingCodec.decode(ReadingCodec.encode(reading)).subMeters()).isEqualTo(reading.subMeters());
  }

  @Property(tries = 500)
  void theRegistersKeptAreTheOnesReadBack(@ForAll("telegrams") Telegram written) throws Exception {
    Telegram t = (Telegram) decode(written).source();
    Map<String, BigDecimal> kept = DsmrJudge.registers(t);
    Map<String, BigDecimal> readBack = DsmrJudge.registers(measures(t).stream().filter(MeterStates::isRegister).toList());

    assertThat(kept.keySet()).isEqualTo(readBack.keySet());
    kept.forEach((obis, v) -> assertThat(v).isEqualByComparingTo(readBack.get(obis)));
  }

  @Property(tries = 2000)
  void aNameIsWhatTheOrganisationPatternSays(@ForAll("ids") String id) {
    assertThat(Organisation.isName(id)).isEqualTo(Organisation.NAME.matcher(id).matches());
  }

  private static Reading decode(Telegram written) throws Exception {
    Submission s = Submission.of(Optional.empty(), RECEIVED, TelegramWriter.write(written));
    Telegram parsed;
    try {
      parsed = DsmrParser.parse(s.bytes());
    } catch (TelegramException e) {
      Assume.that(false); // a value the parser refuses (too many digits): no row to compare
      throw e;
    }
    Assume.that(parsed.equipmentId().filter(Organisation::isName).isPresent());
    return new DsmrDecoder().decode(0, s);
  }

  /** The measures of a telegram, one by one, as the decoder made them before it wrote rows. */
  private static List<Reading.Measure> measures(Telegram t) {
    List<Reading.Measure> m = new ArrayList<>();
    number(m, "energyConsumed", DsmrDecoder.TARIFF1, "c1", t.energyDeliveredTariff1(), "KWH", false);
    number(m, "energyConsumed", DsmrDecoder.TARIFF2, "c2", t.energyDeliveredTariff2(), "KWH", false);
    number(m, "energyProduced", DsmrDecoder.TARIFF1, "p1", t.energyReturnedTariff1(), "KWH", false);
    number(m, "energyProduced", DsmrDecoder.TARIFF2, "p2", t.energyReturnedTariff2(), "KWH", false);
    number(m, "activePower", null, "ap", t.powerDelivered(), "KWT", true);
    number(m, "activePowerProduced", null, "pp", t.powerReturned(), "KWT", true);
    for (int p = 1; p <= 3; p++) {
      PhaseReadings phase = t.phase(p);
      String dataset = "urn:ngsi-ld:dataset:L" + p;
      number(m, "voltage", dataset, "v" + p, phase.voltage(), "VLT", true);
      number(m, "current", dataset, "i" + p, phase.current(), "AMP", true);
      count(m, "voltageSags", dataset, "sg" + p, phase.voltageSags());
      count(m, "voltageSwells", dataset, "sw" + p, phase.voltageSwells());
    }
    t.tariffIndicator().ifPresent(v -> m.add(measure("tariff", null, "t", Json.NODES.numberNode(v), null)));
    count(m, "powerFailures", null, "pf", t.shortPowerFailures());
    count(m, "longPowerFailures", null, "lf", t.longPowerFailures());
    t.textMessage().ifPresent(v -> m.add(measure("textMessage", null, "tm", Json.NODES.textNode(v), null)));
    t.version().ifPresent(v -> m.add(measure("dsmrVersion", null, "dv", Json.NODES.textNode(v), null)));
    return m;
  }

  private static void number(List<Reading.Measure> out, String attribute, String dataset, String code,
      Optional<BigDecimal> value, String unit, boolean history) {
    value.ifPresent(v -> out.add(new Reading.Measure(attribute, Optional.ofNullable(dataset), code,
        Json.NODES.numberNode(v.doubleValue()), Optional.of(unit), history)));
  }

  private static void count(List<Reading.Measure> out, String attribute, String dataset, String code,
      Optional<Long> value) {
    value.ifPresent(v -> out.add(measure(attribute, dataset, code, Json.NODES.numberNode(v), null)));
  }

  private static Reading.Measure measure(String attribute, String dataset, String code, JsonNode value, String unit) {
    return new Reading.Measure(attribute, Optional.ofNullable(dataset), code, value, Optional.ofNullable(unit), false);
  }

  @Provide
  Arbitrary<String> ids() {
    return Arbitraries.oneOf(Arbitraries.strings().withChars("AZaz09._-").ofMinLength(0).ofMaxLength(70),
        Arbitraries.strings().withCharRange(' ', '\u00ff').ofMaxLength(70));
  }

  /** Telegrams as meters send them, and some that no meter would: registers of up to 19 digits, long texts. */
  @Provide
  Arbitrary<Telegram> telegrams() {
    return Builders.withBuilder(() -> Telegram.builder("/ISk5\\2MT382-1000"))
        .use(Arbitraries.of("50", "42", "40")).withProbability(0.9).in(Telegram.Builder::version)
        .use(Arbitraries.longs().between(946_771_200L, 4_102_358_400L).map(Instant::ofEpochSecond))
        .withProbability(0.9).in(Telegram.Builder::timestamp)
        .use(Arbitraries.strings().withChars("AZaz09._-").ofMinLength(1).ofMaxLength(40)).in(Telegram.Builder::equipmentId)
        .use(decimals()).withProbability(0.9).in(Telegram.Builder::energyDeliveredTariff1)
        .use(decimals()).withProbability(0.9).in(Telegram.Builder::energyDeliveredTariff2)
        .use(decimals()).withProbability(0.9).in(Telegram.Builder::energyReturnedTariff1)
        .use(decimals()).withProbability(0.9).in(Telegram.Builder::energyReturnedTariff2)
        .use(Arbitraries.integers().between(0, 9999)).withProbability(0.9).in(Telegram.Builder::tariffIndicator)
        .use(decimals()).withProbability(0.9).in(Telegram.Builder::powerDelivered)
        .use(decimals()).withProbability(0.9).in(Telegram.Builder::powerReturned)
        .use(counts()).withProbability(0.9).in(Telegram.Builder::shortPowerFailures)
        .use(counts()).withProbability(0.9).in(Telegram.Builder::longPowerFailures)
        .use(phases()).withProbability(0.9).in(Telegram.Builder::l1)
        .use(phases()).withProbability(0.7).in(Telegram.Builder::l2)
        .use(phases()).withProbability(0.7).in(Telegram.Builder::l3)
        .use(Arbitraries.strings().withCharRange(' ', '\u00ff').ofMaxLength(300)).withProbability(0.3)
        .in(Telegram.Builder::textMessage)
        .use(devices()).in((b, devices) -> {
          devices.forEach(b::mbus);
          return b;
        })
        .build(Telegram.Builder::build);
  }

  private static Arbitrary<BigDecimal> decimals() {
    // Up to 17 digits, within the parser's 18 once written: beyond the 15 a double keeps exactly.
    return Combinators.combine(Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(9, Arbitraries.longs().between(0, 999_999_999L)),
            net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(0, 99_999_999_999_999_999L))),
            Arbitraries.integers().between(3, 4))
        .as(BigDecimal::valueOf);
  }

  private static Arbitrary<Long> counts() {
    return Arbitraries.longs().between(0, 99_999_999L);
  }

  private static Arbitrary<PhaseReadings> phases() {
    return Combinators.combine(decimals().optional(), decimals().optional(), decimals().optional(),
        decimals().optional(), counts().optional(), counts().optional()).as(PhaseReadings::new);
  }

  private static Arbitrary<List<MbusReading>> devices() {
    Arbitrary<MbusReading> device = Combinators.combine(Arbitraries.integers().between(1, 4),
            Arbitraries.of(MbusReading.GAS, MbusReading.HEAT, MbusReading.WATER, 12),
            Arbitraries.strings().withChars("AZaz09._-!").ofMinLength(1).ofMaxLength(30),
            Arbitraries.longs().between(946_771_200L, 4_102_358_400L).map(Instant::ofEpochSecond),
            decimals(), Arbitraries.of(Unit.M3, Unit.GJ, Unit.KWH))
        .as((channel, type, id, time, value, unit) -> new MbusReading(channel, Optional.of(type), Optional.of(id),
            Optional.of(time.truncatedTo(ChronoUnit.SECONDS)), Optional.of(value), Optional.of(unit), Optional.empty()));
    return device.list().ofMaxSize(4).uniqueElements(MbusReading::channel);
  }
}

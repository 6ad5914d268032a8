package nl.sleutelbos.metering.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import nl.sleutelbos.metering.dsmr.DsmrParser;
import nl.sleutelbos.metering.dsmr.MbusReading;
import nl.sleutelbos.metering.dsmr.PhaseReadings;
import nl.sleutelbos.metering.dsmr.Telegram;
import nl.sleutelbos.metering.dsmr.TelegramException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Whatever the fleet, the time and the seed, the head-end's parser reads back exactly what the simulator meant. */
class SimulatedTelegramProperties {
  @Property(tries = 60)
  void everyTelegramParsesToItsReading(@ForAll @IntRange(min = 1, max = 50) int meters,
      @ForAll @LongRange(min = 1_577_836_800L, max = 2_524_608_000L) long startSecond,
      @ForAll @IntRange(min = 1, max = 7200) int intervalSeconds, @ForAll long seed) throws TelegramException {
    FleetSimulator sim = new FleetSimulator(FleetSettings.of(meters, Instant.ofEpochSecond(startSecond))
        .withInterval(Duration.ofSeconds(intervalSeconds)).withSeed(seed));
    for (int i = 0; i < 2 * meters; i++) {
      SimTelegram t = sim.next();
      Reading r = t.reading();
      Telegram parsed = DsmrParser.parse(t.text());
      assertThat(parsed.header()).isEqualTo("/" + r.header());
      assertThat(parsed.version()).contains("50");
      assertThat(parsed.timestamp()).contains(r.timestamp());
      assertThat(parsed.equipmentId()).contains(t.meterId());
      assertThat(parsed.energyDeliveredTariff1()).contains(BigDecimal.valueOf(r.delivered1(), 3));
      assertThat(parsed.energyDeliveredTariff2()).contains(BigDecimal.valueOf(r.delivered2(), 3));
      assertThat(parsed.energyReturnedTariff1()).contains(BigDecimal.valueOf(r.returned1(), 3));
      assertThat(parsed.energyReturnedTariff2()).contains(BigDecimal.valueOf(r.returned2(), 3));
      assertThat(parsed.tariffIndicator()).contains(r.tariff());
      assertThat(parsed.powerDelivered()).contains(BigDecimal.valueOf(r.powerDelivered(), 3));
      assertThat(parsed.powerReturned()).contains(BigDecimal.valueOf(r.powerReturned(), 3));
      for (int p = 0; p < 3; p++) {
        PhaseReadings phase = parsed.phase(p + 1);
        if (p < r.phases().size()) {
          assertThat(phase.voltage()).contains(BigDecimal.valueOf(r.phases().get(p).voltage(), 1));
          assertThat(phase.voltage().get()).isBetween(new BigDecimal("215"), new BigDecimal("250"));
          assertThat(phase.current()).contains(BigDecimal.valueOf(r.phases().get(p).current()));
        } else {
          assertThat(phase.isEmpty()).isTrue();
        }
      }
      if (r.gas().isPresent()) {
        MbusReading gas = parsed.mbus(1).orElseThrow();
        assertThat(gas.deviceType()).contains(MbusReading.GAS);
        assertThat(gas.timestamp()).contains(r.gas().get().measuredAt());
        assertThat(gas.value()).contains(BigDecimal.valueOf(r.gas().get().litres(), 3));
      } else {
        assertThat(parsed.mbus()).isEmpty();
      }
    }
  }
}

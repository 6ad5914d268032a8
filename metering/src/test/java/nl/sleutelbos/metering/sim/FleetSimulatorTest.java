package nl.sleutelbos.metering.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FleetSimulatorTest {
  private static final ZoneId NL = ZoneId.of("Europe/Amsterdam");
  private static final Instant WINTER = LocalDateTime.parse("2026-01-12T00:00:00").atZone(NL).toInstant();
  private static final Instant SUMMER = LocalDateTime.parse("2026-06-22T00:00:00").atZone(NL).toInstant();

  private static List<SimTelegram> run(FleetSimulator sim, long telegrams) {
    List<SimTelegram> out = new ArrayList<>();
    for (long i = 0; i < telegrams; i++) {
      out.add(sim.next());
    }
    return out;
  }

  @Test
  void registersOnlyGrowAndTelegramsComeInTimeOrder() {
    FleetSimulator sim = new FleetSimulator(FleetSettings.of(50, WINTER));
    Map<String, Reading> last = new HashMap<>();
    Instant previous = Instant.MIN;
    for (SimTelegram t : run(sim, 50 * 96 * 3)) {
      assertThat(t.measuredAt()).isAfterOrEqualTo(previous);
      previous = t.measuredAt();
      Reading r = t.reading();
      Reading before = last.put(t.meterId(), r);
      if (before != null) {
        assertThat(r.delivered1()).isGreaterThanOrEqualTo(before.delivered1());
        assertThat(r.delivered2()).isGreaterThanOrEqualTo(before.delivered2());
        assertThat(r.returned1()).isGreaterThanOrEqualTo(before.returned1());
        assertThat(r.returned2()).isGreaterThanOrEqualTo(before.returned2());
        assertThat(r.timestamp()).isEqualTo(before.timestamp().plus(Duration.ofMinutes(15)));
        if (r.gas().isPresent()) {
          assertThat(r.gas().get().litres()).isGreaterThanOrEqualTo(before.gas().get().litres());
          assertThat(r.gas().get().measuredAt().getEpochSecond() % 3600).isZero();
        }
      }
      assertThat(t.faults()).isEmpty();
    }
    assertThat(last).hasSize(50);
  }

  @Test
  void aYearOfAHouseholdWithoutPanelsIsADutchYear() {
    int meters = 40;
    FleetSimulator sim = new FleetSimulator(FleetSettings.of(meters, Instant.parse("2025-01-01T00:00:00Z"))
        .withInterval(Duration.ofDays(1)));
    Fleet fleet = sim.fleet();
    Map<String, Reading> first = new HashMap<>();
    Map<String, Reading> previous = new HashMap<>();
    double total = 0;
    int households = 0;
    for (SimTelegram t : run(sim, meters * 366L)) {
      first.putIfAbsent(t.meterId(), t.reading());
      Reading before = previous.put(t.meterId(), t.reading());
      int i = sim.meterIndex(t.meterId());
      if (before != null && fleet.solarKwp(i) == 0) {
        double dayKwh = (t.reading().delivered() - before.delivered()) / 1000.0;
        assertThat(dayKwh).as("a day of %s", t.meterId()).isBetween(1.5, 25.0);
      }
    }
    for (int i = 0; i < meters; i++) {
      if (fleet.solarKwp(i) == 0) {
        String id = FleetSimulator.meterId(i);
        total += (previous.get(id).delivered() - first.get(id).delivered()) / 1000.0;
        households++;
      }
    }
    // A Dutch household without panels uses about 2,500 to 3,500 kWh a year.
    assertThat(households).isGreaterThan(20);
    assertThat(total / households).isBetween(2500.0, 3500.0);
  }

  @Test
  void householdsWithPanelsExportAtMiddayInSummerAndNeverAtNight() {
    int meters = 200;
    FleetSimulator sim = new FleetSimulator(FleetSettings.of(meters, SUMMER).withInterval(Duration.ofHours(1)));
    int solar = 0;
    int exportingAtOne = 0;
    for (SimTelegram t : run(sim, meters * 24L)) {
      int i = sim.meterIndex(t.meterId());
      int hour = t.measuredAt().atZone(NL).getHour();
      if (hour == 2) {
        assertThat(t.reading().powerReturned()).isZero();
      }
      if (hour == 13 && sim.fleet().solarKwp(i) > 0) {
        solar++;
        if (t.reading().powerReturned() > 0) {
          exportingAtOne++;
        }
      }
      if (sim.fleet().solarKwp(i) == 0) {
        assertThat(t.reading().powerReturned()).isZero();
        assertThat(t.reading().returned()).isZero();
      }
    }
    assertThat(solar).isBetween(40, 80); // about 30 % of 200 households
    assertThat(exportingAtOne).isGreaterThan(solar * 8 / 10);
  }

  @Test
  void winterEveningsDrawMoreThanSummerNightsAndGasFollowsTheCold() {
    int meters = 200;
    double winterEvening = fleetPower(WINTER.plus(Duration.ofHours(19)), meters);
    double summerNight = fleetPower(SUMMER.plus(Duration.ofHours(3)), meters);
    assertThat(winterEvening).isGreaterThan(2.5 * summerNight);
    assertThat(gasPerDay(WINTER, meters)).isGreaterThan(3 * gasPerDay(SUMMER, meters));
  }

  private static double fleetPower(Instant at, int meters) {
    FleetSimulator sim = new FleetSimulator(FleetSettings.of(meters, at).withSolarShare(0));
    return run(sim, meters).stream().mapToDouble(t -> t.reading().powerDelivered()).sum();
  }

  private static double gasPerDay(Instant day, int meters) {
    FleetSimulator sim = new FleetSimulator(FleetSettings.of(meters, day).withInterval(Duration.ofDays(1)));
    List<SimTelegram> two = run(sim, 2L * meters);
    double litres = 0;
    for (int i = 0; i < meters; i++) {
      if (two.get(i).reading().gas().isPresent()) {
        litres += two.get(meters + i).reading().gas().get().litres() - two.get(i).reading().gas().get().litres();
      }
    }
    return litres;
  }

  @Test
  void aFleetStartedAgainLaterNeverBeginsBelowWhereItStopped() {
    int meters = 30;
    FleetSimulator first = new FleetSimulator(FleetSettings.of(meters, WINTER.plus(Duration.ofHours(17))).withInterval(Duration.ofMinutes(1)));
    Map<String, Reading> last = new HashMap<>();
    for (SimTelegram t : run(first, meters * 240L)) { // the winter evening peak, four hours
      last.put(t.meterId(), t.reading());
    }
    FleetSimulator again = new FleetSimulator(FleetSettings.of(meters, WINTER.plus(Duration.ofHours(21)).plusSeconds(1)));
    for (SimTelegram t : run(again, meters)) {
      Reading before = last.get(t.meterId());
      assertThat(t.reading().delivered1()).isGreaterThanOrEqualTo(before.delivered1());
      assertThat(t.reading().delivered2()).isGreaterThanOrEqualTo(before.delivered2());
      assertThat(t.reading().returned()).isGreaterThanOrEqualTo(before.returned());
      if (t.reading().gas().isPresent()) {
        assertThat(t.reading().gas().get().litres()).isGreaterThanOrEqualTo(before.gas().get().litres());
      }
    }
  }

  @Test
  void theSameSeedGivesTheSameTelegramsAndAnotherSeedOthers() {
    FleetSettings settings = FleetSettings.of(20, WINTER);
    List<String> a = run(new FleetSimulator(settings), 200).stream().map(SimTelegram::text).toList();
    List<String> b = run(new FleetSimulator(settings), 200).stream().map(SimTelegram::text).toList();
    List<String> c = run(new FleetSimulator(settings.withSeed(7)), 200).stream().map(SimTelegram::text).toList();
    assertThat(a).isEqualTo(b);
    assertThat(a).isNotEqualTo(c);
  }

  @Test
  void aMillionMetersCanBeSimulated() {
    FleetSimulator sim = new FleetSimulator(FleetSettings.of(FleetSettings.MAX_METERS, WINTER));
    sim.next();
    assertThat(sim.timeOf(FleetSettings.MAX_METERS - 1)).isBefore(WINTER.plus(Duration.ofMinutes(15)));
    assertThat(sim.meterIndex("meter-1000000")).isEqualTo(999_999);
  }
}

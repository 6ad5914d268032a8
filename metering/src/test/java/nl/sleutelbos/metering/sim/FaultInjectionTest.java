package nl.sleutelbos.metering.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nl.sleutelbos.metering.dsmr.DsmrParser;
import nl.sleutelbos.metering.dsmr.Telegram;
import nl.sleutelbos.metering.dsmr.TelegramException;
import org.junit.jupiter.api.Test;

class FaultInjectionTest {
  private static final Instant START = Instant.parse("2026-03-02T06:00:00Z");

  private static List<SimTelegram> run(String faults, int meters, long telegrams) {
    FleetSimulator sim = new FleetSimulator(FleetSettings.of(meters, START).withFaults(FaultPlan.parse(faults)));
    List<SimTelegram> out = new ArrayList<>();
    for (long i = 0; i < telegrams; i++) {
      out.add(sim.next());
    }
    return out;
  }

  /** Whether the metering module's parser takes the telegram, or refuses it for its CRC (and nothing else). */
  private static boolean crcMatches(String text) {
    try {
      DsmrParser.parse(text);
      return true;
    } catch (TelegramException e) {
      assertThat(e.reason()).isEqualTo(TelegramException.Reason.CRC_MISMATCH);
      return false;
    }
  }

  @Test
  void crcErrorsGoExactlyIntoTheTelegramsMarkedAndAtTheRateAsked() {
    List<SimTelegram> telegrams = run("crc=0.1", 20, 4000);
    long marked = telegrams.stream().filter(t -> t.faults().contains(Fault.CRC)).count();
    for (SimTelegram t : telegrams) {
      assertThat(crcMatches(t.text())).as("telegram %d", t.sequence()).isEqualTo(!t.faults().contains(Fault.CRC));
    }
    assertThat(marked).isBetween(320L, 480L); // 10 % of 4,000, within four standard deviations
  }

  @Test
  void aRollBackShowsRegistersBelowTheMetersTelegramBeforeAndOnlyThen() {
    List<SimTelegram> telegrams = run("rollback=0.05", 10, 2000);
    Map<String, Reading> previous = new HashMap<>();
    int rollbacks = 0;
    for (SimTelegram t : telegrams) {
      Reading before = previous.put(t.meterId(), t.reading());
      if (before == null) {
        continue;
      }
      boolean lower = t.reading().delivered1() < before.delivered1() || t.reading().delivered2() < before.delivered2();
      assertThat(lower).as("telegram %d", t.sequence()).isEqualTo(t.faults().contains(Fault.ROLLBACK));
      if (lower) {
        rollbacks++;
        assertThat(before.delivered() - t.reading().delivered()).isGreaterThan(FaultPlan.ROLLBACK_WH);
      }
    }
    assertThat(rollbacks).isBetween(60, 140);
  }

  @Test
  void skewedClocksStampTheOffsetAskedOnTheTelegram() {
    List<SimTelegram> telegrams = run("skew=0.02,skew=meter-0003:-PT30M", 10, 3000);
    int random = 0;
    for (SimTelegram t : telegrams) {
      Duration offset = Duration.between(t.measuredAt(), t.reading().timestamp());
      boolean hour = t.faults().contains(Fault.SKEW) && !t.meterId().equals("meter-0003");
      if (t.meterId().equals("meter-0003")) {
        assertThat(offset).isIn(Duration.ofMinutes(-30), Duration.ofMinutes(30));
        assertThat(t.faults()).contains(Fault.SKEW);
      } else if (hour) {
        random++;
        assertThat(offset).isEqualTo(FaultPlan.SKEW_OFFSET);
      } else {
        assertThat(offset).isZero();
        assertThat(t.faults()).isEmpty();
      }
      assertThat(parse(t.text()).timestamp()).contains(t.reading().timestamp());
    }
    assertThat(random).isBetween(20, 90);
  }

  private static Telegram parse(String text) {
    try {
      return DsmrParser.parse(text);
    } catch (TelegramException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void anUnderReportingSensorReportsThePercentageLessThanTheHonestMeter() {
    List<SimTelegram> honest = run("", 5, 5 * 96);
    List<SimTelegram> manipulated = run("underreport=meter-0002:20", 5, 5 * 96);
    for (int i = 0; i < honest.size(); i++) {
      SimTelegram h = honest.get(i);
      SimTelegram m = manipulated.get(i);
      if (h.meterId().equals("meter-0002")) {
        assertThat(m.faults()).isEqualTo(Set.of(Fault.UNDERREPORT));
        assertThat(m.reading().powerDelivered()).isCloseTo((int) Math.round(h.reading().powerDelivered() * 0.8), within(1));
      } else {
        assertThat(m.text()).isEqualTo(h.text());
      }
    }
    long honestDay = energy(honest, "meter-0002");
    long manipulatedDay = energy(manipulated, "meter-0002");
    assertThat(manipulatedDay / (double) honestDay).isCloseTo(0.8, within(0.002));
  }

  private static long energy(List<SimTelegram> telegrams, String meter) {
    List<Reading> readings = telegrams.stream().filter(t -> t.meterId().equals(meter)).map(SimTelegram::reading).toList();
    Reading first = readings.getFirst();
    Reading last = readings.getLast();
    return last.delivered() - first.delivered() + last.returned() - first.returned();
  }

  @Test
  void theTextFormNamesWhatIsWrong() {
    FaultPlan plan = FaultPlan.parse("crc=0.01, rollback=0.001,skew=0.5,skew=meter-0007:3600,underreport=meter-0001:20,underreport=meter-0002:5.5");
    assertThat(plan.crcRate()).isEqualTo(0.01);
    assertThat(plan.rollbackRate()).isEqualTo(0.001);
    assertThat(plan.skewRate()).isEqualTo(0.5);
    assertThat(plan.skewedMeters()).isEqualTo(Map.of("meter-0007", Duration.ofHours(1)));
    assertThat(plan.underreport()).isEqualTo(Map.of("meter-0001", 20.0, "meter-0002", 5.5));
    assertThat(FaultPlan.parse("").isEmpty()).isTrue();
    assertThatThrownBy(() -> FaultPlan.parse("crc=2")).hasMessageContaining("crc must be a share of telegrams from 0 to 1: 2.0");
    assertThatThrownBy(() -> FaultPlan.parse("flood=1")).hasMessageContaining("unknown fault 'flood'");
    assertThatThrownBy(() -> FaultPlan.parse("underreport=meter-0001")).hasMessageContaining("underreport=METER:PERCENT");
    assertThatThrownBy(() -> FaultPlan.parse("underreport=meter-0001:100")).hasMessageContaining("below 100");
    assertThatThrownBy(() -> FaultPlan.parse("skew=meter-0001:soon")).hasMessageContaining("ISO-8601");
    assertThatThrownBy(() -> new FleetSimulator(FleetSettings.of(10, START).withFaults(FaultPlan.parse("underreport=meter-0011:5"))))
        .hasMessageContaining("no meter meter-0011 in a fleet of 10");
  }
}

package nl.sleutelbos.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import nl.sleutelbos.app.Main;
import nl.sleutelbos.metering.sim.Fault;
import nl.sleutelbos.metering.sim.FaultPlan;
import nl.sleutelbos.metering.sim.FleetSettings;
import nl.sleutelbos.metering.sim.FleetSimulator;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code sleutelbos sim} against a real server over HTTP: the head-end client is made with the
 * bootstrap administrator, every telegram is answered, the telegrams the simulator corrupted are
 * exactly the ones the ingest rejects, and the readings land on the meters' entities.
 */
class SimCommandTest extends ApiTestBase {
  private static final Pattern SUMMARY = Pattern.compile(
      "sent (\\d+) telegrams of (\\d+) meters over (\\w+): accepted (\\d+), flagged (\\d+), repeated (\\d+), rejected (\\d+), failed (\\d+)");

  record Run(int exit, String out, String err) {
    long count(int group) {
      Matcher m = SUMMARY.matcher(out);
      if (!m.find()) {
        throw new AssertionError("no summary in: " + out + err);
      }
      return Long.parseLong(m.group(group));
    }
  }

  private Run sim(String... args) {
    return sim(server.port(), dir, args);
  }

  /** Runs {@code sleutelbos sim} against the server on this port with this data directory. */
  static Run sim(int port, java.nio.file.Path dir, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = new String[args.length + 5];
    all[0] = "sim";
    all[1] = "--url";
    all[2] = "http://127.0.0.1:" + port;
    all[3] = "--data";
    all[4] = dir.toString();
    System.arraycopy(args, 0, all, 5, args.length);
    int exit = new CommandLine(new Main()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(all);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void theFleetsTelegramsReachTheMetersAndTheCorruptedOnesAreRejected() {
    Instant start = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);
    Run run = sim("--meters", "20", "--interval", "15m", "--start", start.toString(), "--speed", "100000",
        "--count", "100", "--faults", "crc=0.2", "--quiet");
    assertThat(run.exit()).as(run.out() + run.err()).isZero();
    assertThat(run.count(1)).isEqualTo(100);
    assertThat(run.count(8)).isZero();
    assertThat(run.count(4) + run.count(5) + run.count(6) + run.count(7)).isEqualTo(100);

    FleetSimulator same = new FleetSimulator(FleetSettings.of(20, start).withFaults(FaultPlan.parse("crc=0.2")));
    long corrupted = 0;
    for (int i = 0; i < 100; i++) {
      corrupted += same.next().faults().contains(Fault.CRC) ? 1 : 0;
    }
    assertThat(corrupted).isPositive();
    assertThat(run.count(7)).isEqualTo(corrupted);

    // The latest values follow the readings by a pass of their projector: wait for them (up to 30 s).
    Instant deadline = Instant.now().plusSeconds(30);
    Api.Response meter = api.get(V1 + "/entities/urn:ngsi-ld:Device:meter-0001?options=keyValues");
    while (meter.status() != 200 && Instant.now().isBefore(deadline)) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      meter = api.get(V1 + "/entities/urn:ngsi-ld:Device:meter-0001?options=keyValues");
    }
    assertThat(meter.status()).as(meter.toString()).isEqualTo(200);
    assertThat(meter.json().has("dateLastValueReported")).as(meter.toString()).isTrue();
  }

  @Test
  void aSecondRunReusesTheHeadEndClientAndRepeatsChangeNothing() {
    Instant start = Instant.now().minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.SECONDS);
    String[] args = {"--meters", "5", "--seed", "11", "--interval", "1m", "--start", start.toString(), "--speed", "100000",
        "--count", "10", "--quiet"};
    Run first = sim(args);
    assertThat(first.exit()).as(first.out() + first.err()).isZero();
    assertThat(first.count(4) + first.count(5)).isEqualTo(10);
    Run again = sim(args);
    assertThat(again.exit()).as(again.out() + again.err()).isZero();
    // The same telegrams again: every one is a repeat (the reading store keeps a meter's time once).
    assertThat(again.count(4) + again.count(5) + again.count(6) + again.count(7)).isEqualTo(10);
    assertThat(again.count(6)).isEqualTo(10);
    assertThat(api.get("/sleutelbos/v1/clients").json()).hasSize(2); // the bootstrap administrator and one head-end
  }

  @Test
  void badOptionsAreNamed() {
    Run run = sim("--faults", "flood=1");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("unknown fault 'flood'");
    Run transport = sim("--transport", "pigeon");
    assertThat(transport.err()).contains("--transport must be http or mqtt, not pigeon");
  }
}

package nl.sleutelbos.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/**
 * The simulator's honest fleet passes the ingest's validation without a flag, and a fault asked
 * for shows up there as the flag it should: a meter whose clock runs an hour ahead is flagged on
 * every telegram, and no other meter is.
 */
class SimValidationTest extends ApiTestBase {
  @Test
  void anHonestFleetIsCleanAndASkewedClockIsFlaggedOnEveryTelegram() {
    Instant start = Instant.now().minus(Duration.ofHours(6)).truncatedTo(ChronoUnit.SECONDS);
    SimCommandTest.Run honest = SimCommandTest.sim(server.port(), dir, "--meters", "20", "--interval", "15m",
        "--start", start.toString(), "--speed", "100000", "--count", "100", "--quiet");
    assertThat(honest.exit()).as(honest.out() + honest.err()).isZero();
    assertThat(honest.count(4)).as(honest.out() + api.get("/sleutelbos/v1/ingest/metrics").body()).isEqualTo(100);

    // Right after, on the same meters (no gap: the first run took 5 quarter-hours), meter-0003's clock an hour ahead.
    SimCommandTest.Run skewed = SimCommandTest.sim(server.port(), dir, "--meters", "20", "--interval", "15m",
        "--start", start.plus(Duration.ofMinutes(75)).toString(), "--speed", "100000", "--count", "100",
        "--faults", "skew=meter-0003:PT1H", "--quiet");
    assertThat(skewed.exit()).as(skewed.out() + skewed.err()).isZero();
    assertThat(skewed.count(5)).as(skewed.out()).isEqualTo(5);
    assertThat(skewed.count(4)).as(skewed.out()).isEqualTo(95);
    JsonNode metrics = api.get("/sleutelbos/v1/ingest/metrics").json();
    assertThat(metrics.path("flags").path("TIMESTAMP_IN_FUTURE").asLong()).as(metrics.toString()).isEqualTo(5);
  }
}

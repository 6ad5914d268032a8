package nl.sleutelbos.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine;

/**
 * Runs every benchmark for a moment so that none of them rots. Nothing here measures: the figures
 * come from the commands in docs/PERFORMANCE.md.
 */
class BenchmarkSmokeTest {
  static {
    // JMH refuses to start while another JMH run on the machine holds /tmp/jmh.lock; a smoke run
    // measures nothing, so it need not wait for (or fail beside) a concurrent build's benchmarks.
    System.setProperty("jmh.ignoreLock", "true");
  }

  @Test
  void theLoadGeneratorRunsEveryPhaseWithoutErrors() throws Exception {
    LoadGenerator load = new LoadGenerator();
    new CommandLine(load).parseArgs("--embedded", "sqlite", "--seconds", "1", "--concurrency", "2",
        "--population", "2000");
    assertThat(load.call()).isZero();
    List<LoadGenerator.Result> results = load.results();
    assertThat(results).extracting(LoadGenerator.Result::phase)
        .containsExactly("create", "upsert100", "upsert1000", "get", "query", "count");
    assertThat(results).allSatisfy(r -> {
      assertThat(r.requests()).as(r.phase()).isPositive();
      assertThat(r.errors()).as(r.phase()).isZero();
    });
  }

  @Test
  void theNotificationLoadDeliversEveryChange() throws Exception {
    NotificationLoad load = new NotificationLoad();
    new CommandLine(load).parseArgs("--backlog", "300", "--seconds", "1", "--concurrency", "2", "--transports",
        "http,mqtt");
    assertThat(load.call()).isZero();
    assertThat(load.results()).extracting(r -> r.transport() + " " + r.phase())
        .containsExactly("http drain", "http live", "mqtt drain", "mqtt live");
    assertThat(load.results()).allSatisfy(r -> assertThat(r.changes()).as(r.phase()).isPositive());
  }

  @Test
  void theJmhBenchmarksRun() throws Exception {
    assertThat(smoke(EntityServiceBenchmark.class, Map.of())).isEqualTo(4);
  }

  @Test
  void theTemporalBenchmarksRun() throws Exception {
    assertThat(smoke(TemporalBenchmark.class, Map.of())).isEqualTo(4);
  }

  @Test
  void theGeoBenchmarkRuns() throws Exception {
    Path dir = Files.createTempDirectory("geo-smoke");
    System.setProperty(GeoQueryBenchmark.DIR_PROPERTY, dir.toString());
    try {
      assertThat(smoke(GeoQueryBenchmark.class, Map.of("store", "sqlite", "population", "5000"))).isEqualTo(4);
    } finally {
      System.clearProperty(GeoQueryBenchmark.DIR_PROPERTY);
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  @Test
  void theTokenVerificationBenchmarkRuns() throws Exception {
    assertThat(smoke(TokenVerificationBenchmark.class, Map.of())).isEqualTo(3);
  }

  @Test
  void thePdpBenchmarkRuns() throws Exception {
    // decide, decideMiss and check, each in throughput and sample-time mode.
    assertThat(smoke(PdpBenchmark.class, Map.of())).isEqualTo(6);
  }

  @Test
  void theDsmrParserBenchmarkRuns() throws Exception {
    assertThat(smoke(DsmrParserBenchmark.class, Map.of())).isEqualTo(4);
  }

  /** Runs each of the benchmark's methods once, briefly, in this JVM; returns how many results came back. */
  @Test
  void theSimulatorBenchmarkRuns() throws Exception {
    assertThat(smoke(SimulatorBenchmark.class, Map.of("meters", "1000"))).isEqualTo(2);
  }

  private static int smoke(Class<?> benchmark, Map<String, String> params) throws Exception {
    var options = new OptionsBuilder()
        .include(benchmark.getSimpleName())
        .forks(0)
        .warmupIterations(0)
        .measurementIterations(1)
        .measurementTime(TimeValue.milliseconds(200));
    params.forEach(options::param);
    return new Runner(options.build()).run().size();
  }
}

package nl.sleutelbos.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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
    var options = new OptionsBuilder()
        .include(EntityServiceBenchmark.class.getSimpleName())
        .forks(0)
        .warmupIterations(0)
        .measurementIterations(1)
        .measurementTime(TimeValue.milliseconds(200))
        .build();
    assertThat(new Runner(options).run()).hasSize(4);
  }

  @Test
  void theTemporalBenchmarksRun() throws Exception {
    var options = new OptionsBuilder()
        .include(TemporalBenchmark.class.getSimpleName())
        .forks(0)
        .warmupIterations(0)
        .measurementIterations(1)
        .measurementTime(TimeValue.milliseconds(200))
        .build();
    assertThat(new Runner(options).run()).hasSize(4);
  }

  @Test
  void theGeoBenchmarkRuns() throws Exception {
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("geo-smoke");
    System.setProperty(GeoQueryBenchmark.DIR_PROPERTY, dir.toString());
    var options = new OptionsBuilder()
        .include(GeoQueryBenchmark.class.getSimpleName())
        .param("store", "sqlite")
        .param("population", "5000")
        .forks(0)
        .warmupIterations(0)
        .measurementIterations(1)
        .measurementTime(TimeValue.milliseconds(200))
        .build();
    try {
      assertThat(new Runner(options).run()).hasSize(4);
    } finally {
      System.clearProperty(GeoQueryBenchmark.DIR_PROPERTY);
      try (var files = java.nio.file.Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  @Test
  void theTokenVerificationBenchmarkRuns() throws Exception {
    var options = new OptionsBuilder()
        .include(TokenVerificationBenchmark.class.getSimpleName())
        .forks(0)
        .warmupIterations(0)
        .measurementIterations(1)
        .measurementTime(TimeValue.milliseconds(200))
        .build();
    assertThat(new Runner(options).run()).hasSize(3);
  }

  @Test
  void thePdpBenchmarkRuns() throws Exception {
    var options = new OptionsBuilder()
        .include(PdpBenchmark.class.getSimpleName())
        .forks(0)
        .warmupIterations(0)
        .measurementIterations(1)
        .measurementTime(TimeValue.milliseconds(200))
        .build();
    // decide and check, each in throughput and sample-time mode.
    assertThat(new Runner(options).run()).hasSize(4);
  }
}

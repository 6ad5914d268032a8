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

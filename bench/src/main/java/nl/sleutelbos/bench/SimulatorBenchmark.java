package nl.sleutelbos.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import nl.sleutelbos.app.sim.HttpTransport;
import nl.sleutelbos.metering.sim.FleetSettings;
import nl.sleutelbos.metering.sim.FleetSimulator;
import nl.sleutelbos.metering.sim.SimTelegram;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * The fleet simulator's own production rate on one core, so that it is known not to be the
 * bottleneck of an ingest measured at 50,000 telegrams/s. Workload: a fleet of {@code meters}
 * households (30 % with solar panels, 90 % with gas), one-second telegrams from 2026-01-12 on;
 * {@code telegram} makes one DSMR 5 telegram (advance the meter's registers, the values, the text
 * with its CRC); {@code ndjsonBatch} makes 500 and writes them as the HTTP sender's request body.
 * One thread: the sender's pacing loop is one thread.
 * <pre>
 * java -jar bench/target/benchmarks.jar SimulatorBenchmark -f 1 -wi 2 -i 3
 * java -cp bench/target/benchmarks.jar nl.sleutelbos.bench.SimulatorBenchmark   # heap for 1,000,000 meters
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class SimulatorBenchmark {
  private static final Instant START = Instant.parse("2026-01-12T00:00:00Z");
  private static final int BATCH = 500;

  @Param({"1000", "1000000"})
  public int meters;

  private FleetSimulator fleet;

  @Setup
  public void setUp() {
    fleet = new FleetSimulator(FleetSettings.of(meters, START).withInterval(Duration.ofSeconds(1)));
  }

  @Benchmark
  public SimTelegram telegram() {
    return fleet.next();
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public byte[] ndjsonBatch() {
    List<SimTelegram> batch = new ArrayList<>(BATCH);
    for (int i = 0; i < BATCH; i++) {
      batch.add(fleet.next());
    }
    return HttpTransport.ndjson(batch);
  }

  /** Prints the heap a fleet of 1,000,000 meters holds. */
  public static void main(String[] args) {
    Runtime rt = Runtime.getRuntime();
    long before = used(rt);
    FleetSimulator big = new FleetSimulator(FleetSettings.of(FleetSettings.MAX_METERS, START));
    big.next();
    long after = used(rt);
    System.out.printf("heap for %,d meters: %,d bytes (%.1f bytes a meter)%n", FleetSettings.MAX_METERS, after - before,
        (after - before) / (double) FleetSettings.MAX_METERS);
    if (big.position() != 1) {
      throw new AssertionError();
    }
  }

  private static long used(Runtime rt) {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }
}

package nl.sleutelbos.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.ngsild.context.LdContext;
import nl.sleutelbos.ngsild.entity.EntityReader;
import nl.sleutelbos.ngsild.temporal.AggregationMethod;
import nl.sleutelbos.ngsild.temporal.AggregationPeriod;
import nl.sleutelbos.ngsild.temporal.Representation;
import nl.sleutelbos.ngsild.temporal.TemporalQuery;
import nl.sleutelbos.ngsild.temporal.TemporalRequest;
import nl.sleutelbos.ngsild.temporal.TemporalResult;
import nl.sleutelbos.ngsild.temporal.TemporalService;
import nl.sleutelbos.ngsild.temporal.TemporalWriter;
import nl.sleutelbos.store.AttributeInstance;
import nl.sleutelbos.store.EntityStore;
import nl.sleutelbos.store.History;
import nl.sleutelbos.store.StoreConfig;
import nl.sleutelbos.store.Stores;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Attribute history on the embedded store, without HTTP. Workload: smart meters with one
 * quarter-hour power reading per instance ({@code {"type":"Property","value":...,"observedAt":...}}).
 * Setup loads one meter with a year of readings (35,040 instances) next to whatever the append
 * benchmarks write.
 * <ul>
 *   <li>{@code append}: batches of {@value #BATCH} instances (ten days of one meter) through
 *       {@link History#append}, 4 threads, so group commit merges them; scores are instances/s.
 *   <li>{@code temporalPost}: the same batch as a client's JSON body through the temporal POST path
 *       (parse, expand, validate, store); scores are instances/s.
 *   <li>{@code dayRead}: one meter's day (96 instances) read and rendered as the API answers it;
 *       sample time from one thread, for p99.
 *   <li>{@code yearToDays}: one meter's year aggregated to days (sum, avg, min, max) and rendered;
 *       sample time from one thread.
 * </ul>
 * <pre>
 * java -jar bench/target/benchmarks.jar TemporalBenchmark -f 1 -wi 2 -w 3s -i 5 -r 4s
 * </pre>
 */
@State(Scope.Benchmark)
@Threads(4)
public class TemporalBenchmark {
  static final int BATCH = 960;
  private static final Instant YEAR = Instant.parse("2025-01-01T00:00:00Z");
  private static final String POWER = "https://uri.etsi.org/ngsi-ld/default-context/power";
  private static final String METER = "https://uri.etsi.org/ngsi-ld/default-context/Meter";
  private static final String YEAR_METER = "urn:ngsi-ld:Meter:year";

  @Param({"sqlite"})
  public String store;

  private Path dir;
  private EntityStore entityStore;
  private TemporalService temporal;
  private final AtomicLong next = new AtomicLong();
  private TemporalRequest day;
  private TemporalRequest yearByDays;
  private final List<String> bodies = new ArrayList<>();

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("sleutelbos-jmh-temporal");
    entityStore = Stores.open(new StoreConfig.Sqlite(dir.resolve("bench.db")));
    temporal = new TemporalService(entityStore, Clock.systemUTC(), TemporalService.DEFAULT_MAX_INSTANCES);
    for (int from = 0; from < 35_040; from += BATCH) {
      entityStore.history().append("", YEAR_METER, List.of(METER), readings(YEAR_METER, from, Math.min(BATCH, 35_040 - from)));
    }
    day = new TemporalRequest(TemporalQuery.parse(Optional.of("between"), Optional.of("2025-06-01T00:00:00Z"),
        Optional.of("2025-06-02T00:00:00Z"), Optional.empty(), Optional.empty()), Set.of(POWER),
        Representation.NORMALIZED, Set.of(), Optional.empty(), false);
    yearByDays = new TemporalRequest(TemporalQuery.parse(Optional.of("between"), Optional.of("2025-01-01T00:00:00Z"),
        Optional.of("2026-01-01T00:00:00Z"), Optional.empty(), Optional.empty()), Set.of(POWER),
        Representation.AGGREGATED, Set.of(AggregationMethod.SUM, AggregationMethod.AVG, AggregationMethod.MIN,
            AggregationMethod.MAX), Optional.of(AggregationPeriod.parse("aggrPeriodDuration", "P1D")), false);
    for (int b = 0; b < 16; b++) {
      bodies.add(body(b * BATCH));
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    entityStore.close();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** n readings of the meter from quarter {@code from} of the year on; value = quarter / 10. */
  static List<AttributeInstance> readings(String meter, int from, int n) {
    List<AttributeInstance> out = new ArrayList<>(n);
    Instant now = Instant.now();
    for (int q = from; q < from + n; q++) {
      Instant at = YEAR.plus(Duration.ofMinutes(15L * q));
      out.add(new AttributeInstance(meter, POWER, Optional.empty(), "urn:ngsi-ld:i:" + meter.hashCode() + "-" + q,
          Optional.of(at), now, now, Optional.of(q / 10.0), "{\"type\":\"Property\"}"));
    }
    return out;
  }

  private static String body(int from) {
    StringBuilder b = new StringBuilder("{\"type\":\"Meter\",\"power\":[");
    for (int q = from; q < from + BATCH; q++) {
      if (q > from) {
        b.append(',');
      }
      b.append("{\"type\":\"Property\",\"value\":").append(q / 10.0).append(",\"observedAt\":\"")
          .append(YEAR.plus(Duration.ofMinutes(15L * q))).append("\"}");
    }
    return b.append("]}").toString();
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(BATCH)
  public boolean append() {
    String meter = "urn:ngsi-ld:Meter:a" + next.incrementAndGet();
    return entityStore.history().append("", meter, List.of(METER), readings(meter, 0, BATCH));
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(BATCH)
  public boolean temporalPost() {
    long n = next.incrementAndGet();
    String json = "{\"id\":\"urn:ngsi-ld:Meter:p" + n + "\"," + bodies.get((int) (n % bodies.size())).substring(1);
    var entity = EntityReader.temporal(LdContext.core()).entity(Json.parseClient(json.getBytes(StandardCharsets.UTF_8)));
    return temporal.createOrAdd("", entity);
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Threads(1)
  public byte[] dayRead() {
    TemporalResult result = temporal.retrieve("", YEAR_METER, day);
    return Json.writeBytes(new TemporalWriter(LdContext.core()).write(result.entities().get(0), day));
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Threads(1)
  public byte[] yearToDays() {
    TemporalResult result = temporal.retrieve("", YEAR_METER, yearByDays);
    return Json.writeBytes(new TemporalWriter(LdContext.core()).write(result.entities().get(0), yearByDays));
  }
}

package nl.sleutelbos.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import nl.sleutelbos.audit.AuditEntry;
import nl.sleutelbos.audit.AuditEvent;
import nl.sleutelbos.audit.AuditException;
import nl.sleutelbos.audit.StoredAuditLog;
import nl.sleutelbos.store.EntityStore;
import nl.sleutelbos.store.StoreConfig;
import nl.sleutelbos.store.Stores;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Proofs from the stored audit log at a large size.
 *
 * <p>Workload: a log of {@code size} entries (about 130 bytes each), loaded once in batches of
 * 8,192 through {@link StoredAuditLog#appendAll} and kept between runs; the load prints its rate,
 * which is the batched append figure. Each operation asks for an RFC 9162 proof against the whole
 * tree: {@code inclusion} of a random entry, {@code consistency} from a random earlier size. A proof
 * is one batched read of O(log n) stored nodes plus the hashing. {@code leafLookup} finds the index
 * of a random entry by its leaf hash (what an inclusion proof by hash does first): one probe per
 * 16,384-leaf epoch of the lookup table. Sample-time mode, so JMH prints
 * p50/p99 beside the mean.
 * <pre>
 * java -Djava.io.tmpdir=/tmp/audit-jmh -jar bench/target/benchmarks.jar AuditLogBenchmark -p store=sqlite,postgres -rf json
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
public class AuditLogBenchmark {
  static final int BATCH = 8192;

  @Param({"sqlite", "postgres"})
  public String store;

  @Param({"1000000"})
  public long size;

  @Param({"jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres"})
  public String jdbcUrl;

  private EntityStore entityStore;
  private StoredAuditLog log;
  private final SplittableRandom random = new SplittableRandom(7);
  private final byte[][] leafHashes = new byte[256][];

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    entityStore = Stores.open(config());
    log = StoredAuditLog.open(entityStore.audit());
    if (log.size() < size) {
      long started = System.nanoTime();
      long from = log.size();
      load(log, size);
      double seconds = (System.nanoTime() - started) / 1e9;
      System.out.printf("appended %,d audit entries to %s in %.1f s: %,.0f appends/s%n",
          size - from, store, seconds, (size - from) / seconds);
    }
    SplittableRandom picks = new SplittableRandom(11);
    for (int i = 0; i < leafHashes.length; i++) {
      long index = picks.nextLong(size);
      leafHashes[i] = log.entries(index, index + 1).getFirst().leafHash();
    }
  }

  private StoreConfig config() throws SQLException {
    if (store.equals("sqlite")) {
      String dir = System.getProperty(GeoQueryBenchmark.DIR_PROPERTY, System.getProperty("java.io.tmpdir"));
      return new StoreConfig.Sqlite(Path.of(dir, "sleutelbos-audit-bench-" + size, "bench.db"));
    }
    String schema = "audit_bench_" + size;
    try (Connection c = DriverManager.getConnection(jdbcUrl); Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
    }
    return new StoreConfig.Postgres(jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema);
  }

  /** Appends entries until the log holds {@code size}, a batch per commit. */
  static void load(StoredAuditLog log, long size) throws AuditException {
    while (log.size() < size) {
      long from = log.size();
      int n = (int) Math.min(BATCH, size - from);
      List<AuditEvent> batch = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        batch.add(event(from + i));
      }
      log.appendAll(batch);
    }
  }

  static AuditEvent event(long n) {
    return new AuditEvent(Instant.ofEpochSecond(1_790_000_000L + n / 100), new AuditEntry.Actor("svc-rollout", "Netbeheer Noord"),
        "firmware.cosign", "urn:ngsi-ld:Firmware:" + (n % 1000), AuditEntry.Outcome.SUCCEEDED, "",
        "req-" + n, "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
  }

  @Benchmark
  public List<byte[]> inclusion() {
    return log.inclusionProof(random.nextLong(size), size);
  }

  @Benchmark
  public List<byte[]> consistency() {
    return log.consistencyProof(1 + random.nextLong(size - 1), size);
  }

  @Benchmark
  public java.util.Optional<Long> leafLookup() {
    return log.indexOf(leafHashes[random.nextInt(leafHashes.length)]);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    log.close();
    entityStore.close();
  }
}

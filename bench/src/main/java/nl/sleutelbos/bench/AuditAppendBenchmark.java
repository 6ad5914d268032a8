package nl.sleutelbos.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Appends to the stored audit log on SQLite, durable on return.
 *
 * <p>{@code batched}: one thread appends 1,000 events per call ({@link StoredAuditLog#appendAll});
 * JMH counts each event as an operation, so the score is appends per second. {@code single}: 64
 * threads each append one event at a time and wait for its commit; the group commit puts the
 * waiting ones in the same transaction. {@code batchedByFour}: four threads each append 1,000
 * events per call, as several control-plane components (a key campaign's chunks, the API's
 * requests) do at once; the log's group commit writes what they have queued together. The log
 * starts empty in a fresh database each trial.
 * <pre>
 * java -Djava.io.tmpdir=/tmp/audit-jmh -jar bench/target/benchmarks.jar AuditAppendBenchmark -rf json
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
public class AuditAppendBenchmark {
  private static final int BATCH = 1000;

  private Path dir;
  private EntityStore entityStore;
  private StoredAuditLog log;
  private final List<AuditEvent> batch = new ArrayList<>();

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    dir = Files.createTempDirectory("sleutelbos-audit-append");
    entityStore = Stores.open(new StoreConfig.Sqlite(dir.resolve("bench.db")));
    log = StoredAuditLog.open(entityStore.audit());
    for (int i = 0; i < BATCH; i++) {
      batch.add(AuditLogBenchmark.event(i));
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public List<AuditEntry> batched() throws AuditException {
    return log.appendAll(batch);
  }

  @Benchmark
  @Threads(4)
  @OperationsPerInvocation(BATCH)
  public List<AuditEntry> batchedByFour() throws AuditException {
    return log.appendAll(batch);
  }

  @Benchmark
  @Threads(64)
  public AuditEntry single() throws AuditException {
    return log.append(batch.getFirst());
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    log.close();
    entityStore.close();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}

package nl.sleutelbos.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.ngsild.entity.BatchItem;
import nl.sleutelbos.ngsild.entity.Entity;
import nl.sleutelbos.ngsild.entity.EntityReader;
import nl.sleutelbos.ngsild.entity.EntityService;
import nl.sleutelbos.ngsild.entity.EntityWriter;
import nl.sleutelbos.ngsild.entity.View;
import nl.sleutelbos.store.EntityStore;
import nl.sleutelbos.store.StoreConfig;
import nl.sleutelbos.store.Stores;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * The entity service without HTTP, on the embedded store: what one request costs in the
 * NGSI-LD layer and the store. Workload: smart-meter entities of about 700 bytes (the same as the
 * load generator's); {@code get} and {@code render} read from 10,000 preloaded meters;
 * {@code create} and {@code upsert100} write new ones from 4 threads, so group commit batches them.
 * <pre>
 * java -jar bench/target/benchmarks.jar EntityServiceBenchmark -rf json
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(4)
public class EntityServiceBenchmark {
  private static final int PRELOADED = 10_000;


  @Param({"sqlite"})
  public String store;

  private Path dir;
  private EntityStore entityStore;
  private EntityService service;
  private final AtomicLong next = new AtomicLong();
  private EntityReader reader;
  private EntityWriter writer;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("sleutelbos-jmh");
    entityStore = Stores.open(new StoreConfig.Sqlite(dir.resolve("bench.db")));
    service = new EntityService(entityStore, Clock.systemUTC());
    reader = new EntityReader(nl.sleutelbos.ngsild.context.LdContext.core());
    writer = new EntityWriter(nl.sleutelbos.ngsild.context.LdContext.core());
    SplittableRandom r = new SplittableRandom(1);
    for (int from = 0; from < PRELOADED; from += 1000) {
      List<BatchItem> batch = new java.util.ArrayList<>();
      for (int i = from; i < from + 1000; i++) {
        batch.add(new BatchItem.Valid(parse(LoadGenerator.meter(r, "urn:ngsi-ld:Meter:p" + i))));
      }
      service.batchUpsert("", batch, true);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    entityStore.close();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private ObjectNode parse(String json) {
    return reader.entity(Json.parseClient(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  @Benchmark
  public void create() {
    SplittableRandom r = new SplittableRandom(next.incrementAndGet());
    service.create("", parse(LoadGenerator.meter(r, "urn:ngsi-ld:Meter:c" + next.incrementAndGet())));
  }

  @Benchmark
  public Object upsert100() {
    SplittableRandom r = new SplittableRandom(next.incrementAndGet());
    List<BatchItem> batch = new java.util.ArrayList<>(100);
    for (int i = 0; i < 100; i++) {
      batch.add(new BatchItem.Valid(parse(LoadGenerator.meter(r, "urn:ngsi-ld:Meter:u" + r.nextInt(100_000)))));
    }
    return service.batchUpsert("", batch, true);
  }

  @Benchmark
  public Entity get() {
    return service.retrieve("", "urn:ngsi-ld:Meter:p" + (next.incrementAndGet() % PRELOADED));
  }

  @Benchmark
  public byte[] render() {
    Entity e = service.retrieve("", "urn:ngsi-ld:Meter:p" + (next.incrementAndGet() % PRELOADED));
    return Json.writeBytes(writer.write(e, new View(nl.sleutelbos.ngsild.entity.Format.NORMALIZED, false, Set.of(), null)));
  }
}

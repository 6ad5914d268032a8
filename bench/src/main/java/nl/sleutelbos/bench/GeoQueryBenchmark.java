package nl.sleutelbos.bench;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.ngsild.context.LdContext;
import nl.sleutelbos.ngsild.entity.BatchItem;
import nl.sleutelbos.ngsild.entity.EntityQuery;
import nl.sleutelbos.ngsild.entity.EntityReader;
import nl.sleutelbos.ngsild.entity.EntitySelector;
import nl.sleutelbos.ngsild.entity.EntityService;
import nl.sleutelbos.ngsild.entity.QueryResult;
import nl.sleutelbos.ngsild.entity.TypeSelection;
import nl.sleutelbos.ngsild.geo.GeoIndexer;
import nl.sleutelbos.ngsild.geo.GeoQuery;
import nl.sleutelbos.ngsild.query.EntityPredicate;
import nl.sleutelbos.ngsild.query.QueryHints;
import nl.sleutelbos.store.EntityStore;
import nl.sleutelbos.store.GeoExtent;
import nl.sleutelbos.store.Selector;
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
 * Geo-queries over a large fleet, without HTTP: what the spatial index buys. Workload:
 * {@code population} smart meters of the load generator (about 700 bytes, a Point location
 * spread uniformly over the Netherlands' bounding box, 3.3–7.1°E × 50.7–53.5°N, about 12 meters
 * per km² at 1,000,000), loaded once and kept for later runs (SQLite file under
 * {@code java.io.tmpdir} or {@code -Dsleutelbos.bench.dir}, PostgreSQL schema {@code geo_bench_<population>}). Each call queries a
 * random spot:
 * <ul>
 *   <li>{@code near1km}: {@code type=Meter&georel=near;maxDistance==1000&geometry=Point} (about 39 matches);
 *   <li>{@code box}: {@code type=Meter&georel=within&geometry=Polygon}, a 0.02° × 0.02° square
 *       (1.4 km × 2.2 km, about 37 matches);
 *   <li>{@code candidates}: the store's part of {@code box} alone, the index scan and the fetch of
 *       the candidates by key, without parsing them;
 *   <li>{@code near1kmWithoutIndex}, the anchor: {@code near1km} with the geo-query as a plain
 *       filter, so every meter is read, parsed and tested — what a store without a spatial index
 *       does.
 * </ul>
 * Sample-time mode, so JMH prints p50/p99 beside the mean.
 * <pre>
 * java -Djava.io.tmpdir=/tmp/geo-jmh -jar bench/target/benchmarks.jar GeoQueryBenchmark -p store=sqlite,postgres -rf json
 * </pre>
 * (A tmpdir of its own keeps JMH's lock file, {@code jmh.lock}, from blocking other JMH runs on the
 * machine for the length of this one.)
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
public class GeoQueryBenchmark {
  static final String TENANT = "geo";
  /** Where the SQLite database is kept between runs; {@code java.io.tmpdir} if unset. */
  static final String DIR_PROPERTY = "sleutelbos.bench.dir";
  private static final String METER = "https://uri.etsi.org/ngsi-ld/default-context/Meter";
  private static final int BATCH = 1000;

  @Param({"sqlite", "postgres"})
  public String store;

  @Param({"1000000"})
  public int population;

  @Param({"jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres"})
  public String jdbcUrl;

  private EntityStore entityStore;
  private EntityService service;
  private final SplittableRandom random = new SplittableRandom(7);

  @Setup(Level.Trial)
  public void setUp() throws SQLException {
    entityStore = Stores.open(config());
    service = new EntityService(entityStore, Clock.systemUTC(), List.of(new GeoIndexer()));
    if (entityStore.get(TENANT, id(population - 1)).isEmpty()) {
      load();
    }
  }

  private StoreConfig config() throws SQLException {
    if (store.equals("sqlite")) {
      String dir = System.getProperty(DIR_PROPERTY, System.getProperty("java.io.tmpdir"));
      return new StoreConfig.Sqlite(Path.of(dir, "sleutelbos-geo-bench-" + population, "bench.db"));
    }
    // A schema of its own: the database's default schema may hold another version of the tables.
    String schema = "geo_bench_" + population;
    try (Connection c = DriverManager.getConnection(jdbcUrl); Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
    }
    return new StoreConfig.Postgres(jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema);
  }

  private static String id(int i) {
    return String.format("urn:ngsi-ld:Meter:g%07d", i);
  }

  /**
   * Loads the meters in id order, a batch per transaction, from a fixed seed. A load that was
   * interrupted resumes: batches whose last meter exists are skipped (their random draws are
   * still made, so every meter gets the same place as in an uninterrupted load).
   */
  private void load() throws SQLException {
    EntityReader reader = new EntityReader(LdContext.core());
    SplittableRandom r = new SplittableRandom(1);
    long started = System.nanoTime();
    for (int from = 0; from < population; from += BATCH) {
      int to = Math.min(population, from + BATCH);
      boolean done = entityStore.get(TENANT, id(to - 1)).isPresent();
      List<BatchItem> batch = new ArrayList<>(BATCH);
      for (int i = from; i < to; i++) {
        String meter = LoadGenerator.meter(r, id(i));
        if (!done) {
          batch.add(new BatchItem.Valid(reader.entity(Json.parseClient(meter.getBytes(StandardCharsets.UTF_8)))));
        }
      }
      if (!done) {
        service.batchUpsert(TENANT, batch, true);
      }
    }
    System.out.printf("loaded %,d meters into %s in %.1f s%n", population, store, (System.nanoTime() - started) / 1e9);
    if (store.equals("postgres")) {
      try (Connection c = DriverManager.getConnection(jdbcUrl + "&currentSchema=geo_bench_" + population);
          Statement st = c.createStatement()) {
        st.execute("ANALYZE"); // as autovacuum would shortly after a bulk load
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    entityStore.close();
  }

  private double[] spot() {
    return new double[] {3.4 + random.nextDouble() * 3.6, 50.8 + random.nextDouble() * 2.6};
  }

  private QueryResult query(GeoQuery geo) {
    EntitySelector meters = new EntitySelector(Set.of(), null, TypeSelection.parse(METER, t -> t));
    return service.query(TENANT, new EntityQuery(List.of(meters), Set.of(), EntityPredicate.all(), QueryHints.NONE,
        100, 0, false, Optional.of(geo)));
  }

  private GeoQuery near1kmOfASpot() {
    double[] p = spot();
    return GeoQuery.fromParameters(Optional.of("near;maxDistance==1000"), Optional.of("Point"),
        Optional.of("[" + p[0] + "," + p[1] + "]"), Optional.empty()).orElseThrow();
  }

  @Benchmark
  public QueryResult near1km() {
    return query(near1kmOfASpot());
  }

  @Benchmark
  public QueryResult near1kmWithoutIndex() {
    EntitySelector meters = new EntitySelector(Set.of(), null, TypeSelection.parse(METER, t -> t));
    return service.query(TENANT, new EntityQuery(List.of(meters), Set.of(), near1kmOfASpot(), QueryHints.NONE,
        100, 0, false));
  }

  @Benchmark
  public QueryResult box() {
    double[] p = spot();
    double w = p[0];
    double s = p[1];
    double e = w + 0.02;
    double n = s + 0.02;
    String ring = "[[[%s,%s],[%s,%s],[%s,%s],[%s,%s],[%s,%s]]]".formatted(w, s, e, s, e, n, w, n, w, s);
    return query(GeoQuery.fromParameters(Optional.of("within"), Optional.of("Polygon"), Optional.of(ring),
        Optional.empty()).orElseThrow());
  }

  @Benchmark
  public int candidates() {
    double[] p = spot();
    int[] n = {0};
    entityStore.scan(TENANT, Selector.ofTypes(Set.of(METER))
        .within(new GeoExtent(GeoQuery.LOCATION, p[0], p[1], p[0] + 0.02, p[1] + 0.02)), e -> {
          n[0]++;
          return true;
        });
    return n[0];
  }
}

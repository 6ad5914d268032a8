package nl.sleutelbos.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import nl.sleutelbos.app.Settings;
import nl.sleutelbos.app.Sleutelbos;
import nl.sleutelbos.store.StoreConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Whole-system load over HTTP against a Sleutelbos server, measuring what issue #2 asks for:
 * single creates/s, batch upserts (100 and 1,000 per request) in entities/s, GET by id/s, and
 * {@code type}+{@code q} queries/s over a loaded population, each with p50/p99 latency.
 *
 * <p>Workload: {@code --concurrency} client threads (virtual) each send requests back to back for
 * {@code --seconds} per phase, after a warm-up of the same length / 3. Entities are smart meters of
 * about 700 bytes (seven attributes, one GeoProperty). The query phase first upserts
 * {@code --population} meters into a tenant of its own; queries pick a random town and power
 * threshold ({@code type=Meter&q=town=="X";power>Y&limit=20}) and, separately, count all matches
 * of a selective query ({@code count=true&limit=0}), which scans every meter of the type.
 *
 * <p>Run against a server started in the same JVM ({@code --embedded sqlite|postgres}) or any
 * running server ({@code --target http://host:1026}). Fixed seed: every run sends the same requests.
 * <pre>
 * java -cp bench/target/benchmarks.jar nl.sleutelbos.bench.LoadGenerator --embedded sqlite
 * </pre>
 */
@Command(name = "load", mixinStandardHelpOptions = true, description = "HTTP load generator for the NGSI-LD API.")
public final class LoadGenerator implements Callable<Integer> {
  @Option(names = "--target", description = "Base URL of a running server, e.g. http://localhost:1026")
  String target;

  @Option(names = "--embedded", description = "Start a server in this JVM on sqlite or postgres instead of --target.")
  String embedded;

  @Option(names = "--jdbc-url", defaultValue = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres",
      description = "For --embedded postgres: the database (its tables are created if missing).")
  String jdbcUrl;

  @Option(names = "--seconds", defaultValue = "10", description = "Measured seconds per phase (default ${DEFAULT-VALUE}).")
  int seconds;

  @Option(names = "--concurrency", defaultValue = "16", description = "Client threads (default ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--population", defaultValue = "100000", description = "Meters loaded for the GET and query phases (default ${DEFAULT-VALUE}).")
  int population;

  @Option(names = "--phases", defaultValue = "create,upsert100,upsert1000,get,query,count",
      split = ",", description = "Phases to run (default ${DEFAULT-VALUE}); 'preload' only loads the population.")
  List<String> phases;

  @Option(names = "--credentials", description = "For --target: the client credentials file to get a bearer token with "
      + "(the server's <data dir>/bootstrap-admin.json).")
  Path credentials;

  @Option(names = "--tenant", description = "Tenant name prefix (default: a fresh one per run); "
      + "the population lives in <tenant>-pop.")
  String tenant;

  private static final String[] TOWNS = {"Utrecht", "Arnhem", "Zwolle", "Delft", "Groningen", "Almere", "Breda", "Tilburg"};
  private final HttpClient http = HttpClient.newBuilder()
      .executor(Executors.newVirtualThreadPerTaskExecutor())
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();
  private final AtomicLong sequence = new AtomicLong();
  private String base;
  private BearerToken bearer;
  private final List<Result> results = new ArrayList<>();

  /** One phase's outcome. */
  record Result(String phase, long requests, long entities, double seconds, double p50, double p99, long errors) {
    double requestsPerSecond() {
      return requests / seconds;
    }

    double entitiesPerSecond() {
      return entities / seconds;
    }
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new LoadGenerator()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Sleutelbos server = null;
    Path dir = null;
    try {
      if (embedded != null) {
        dir = Files.createTempDirectory("sleutelbos-load");
        StoreConfig store = switch (embedded) {
          case "sqlite" -> new StoreConfig.Sqlite(dir.resolve("load.db"));
          case "postgres" -> new StoreConfig.Postgres(jdbcUrl);
          default -> throw new CommandLine.ParameterException(new CommandLine(this), "--embedded sqlite|postgres");
        };
        server = Sleutelbos.start(new Settings("127.0.0.1", 0, dir, store, Settings.DEFAULT_MAX_BODY * 4, null));
        base = "http://127.0.0.1:" + server.port() + "/ngsi-ld/v1";
        bearer = new BearerToken(http, "http://127.0.0.1:" + server.port(), dir.resolve("bootstrap-admin.json"));
      } else if (target != null) {
        base = target.replaceAll("/+$", "") + "/ngsi-ld/v1";
        if (credentials == null) {
          throw new CommandLine.ParameterException(new CommandLine(this), "--target needs --credentials FILE");
        }
        bearer = new BearerToken(http, target.replaceAll("/+$", ""), credentials);
      } else {
        throw new CommandLine.ParameterException(new CommandLine(this), "give --target URL or --embedded sqlite|postgres");
      }
      String runTenant = tenant != null ? tenant : "load-" + Long.toHexString(System.nanoTime());
      System.out.printf(Locale.ROOT, "target %s, tenant %s, %d client threads, %d s per phase, %d cores, %s%n",
          embedded != null ? "embedded " + embedded : base, runTenant, concurrency, seconds,
          Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"));
      run(runTenant);
      print();
      return 0;
    } finally {
      if (server != null) {
        server.close();
      }
      if (dir != null) {
        try (var files = Files.walk(dir)) {
          files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }

  List<Result> results() {
    return results;
  }

  void run(String tenant) throws Exception {
    for (String phase : phases) {
      switch (phase) {
        case "create" -> phase("create", tenant, 1, r -> send(post("/entities", meter(r, nextId()), tenant), 201));
        case "upsert100" -> phase("upsert100", tenant, 100, r -> send(post("/entityOperations/upsert", batch(r, 100), tenant), 201));
        case "upsert1000" -> phase("upsert1000", tenant, 1000, r -> send(post("/entityOperations/upsert", batch(r, 1000), tenant), 201));
        case "preload" -> ensurePopulation(tenant + "-pop");
        case "get", "query", "count" -> {
          String populated = tenant + "-pop";
          ensurePopulation(populated);
          switch (phase) {
            case "get" -> phase("get", populated, 1, r ->
                send(get("/entities/urn:ngsi-ld:Meter:p" + r.nextInt(population), populated), 200));
            case "query" -> phase("query", populated, 1, r -> send(get("/entities?type=Meter&limit=20&q="
                + encode("town==\"" + TOWNS[r.nextInt(TOWNS.length)] + "\";power>" + r.nextInt(4000)), populated), 200));
            default -> phase("count", populated, 1, r -> send(get("/entities?type=Meter&limit=0&count=true&q="
                + encode("town==\"" + TOWNS[r.nextInt(TOWNS.length)] + "\";power>" + (3900 + r.nextInt(100))), populated), 200));
          }
        }
        default -> throw new IllegalArgumentException("unknown phase " + phase);
      }
    }
  }

  private boolean populated;

  private void ensurePopulation(String tenant) throws Exception {
    if (populated) {
      return;
    }
    long start = System.nanoTime();
    int batch = 1000;
    ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    List<Future<?>> futures = new ArrayList<>();
    for (int from = 0; from < population; from += batch) {
      int first = from;
      int n = Math.min(batch, population - from);
      futures.add(pool.submit(() -> {
        SplittableRandom r = new SplittableRandom(first);
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
          b.append(i == 0 ? "" : ",").append(meter(r, "urn:ngsi-ld:Meter:p" + (first + i)));
        }
        send(post("/entityOperations/upsert", b.append(']').toString(), tenant), 201);
        return null;
      }));
      if (futures.size() >= 4) {
        futures.remove(0).get();
      }
    }
    for (Future<?> f : futures) {
      f.get();
    }
    pool.close();
    populated = true;
    System.out.printf(Locale.ROOT, "loaded %,d meters for the read phases in %.1f s%n", population, (System.nanoTime() - start) / 1e9);
  }

  @FunctionalInterface
  interface Request {
    void send(SplittableRandom random) throws Exception;
  }

  private void phase(String name, String tenant, int entitiesPerRequest, Request request) throws Exception {
    long warmup = Math.max(1, seconds / 3) * 1_000_000_000L;
    drive(request, warmup, new Histogram(), new AtomicLong());
    Histogram histogram = new Histogram();
    AtomicLong errors = new AtomicLong();
    long start = System.nanoTime();
    long requests = drive(request, seconds * 1_000_000_000L, histogram, errors);
    double elapsed = (System.nanoTime() - start) / 1e9;
    Result result = new Result(name, requests, requests * entitiesPerRequest, elapsed,
        histogram.millis(0.50), histogram.millis(0.99), errors.get());
    results.add(result);
    System.out.printf(Locale.ROOT, "%-11s %,10.0f req/s %,12.0f entities/s   p50 %7.2f ms   p99 %7.2f ms   errors %d%n",
        name, result.requestsPerSecond(), result.entitiesPerSecond(), result.p50(), result.p99(), result.errors());
  }

  /** Runs the request from every client thread until the deadline; returns how many completed. */
  private long drive(Request request, long durationNanos, Histogram histogram, AtomicLong errors)
      throws Exception {
    long deadline = System.nanoTime() + durationNanos;
    AtomicLong done = new AtomicLong();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Histogram>> futures = new ArrayList<>();
      for (int t = 0; t < concurrency; t++) {
        long seed = 2026L * 31 + t + sequence.incrementAndGet() * 1_000_003L;
        futures.add(pool.submit(() -> {
          SplittableRandom random = new SplittableRandom(seed);
          Histogram local = new Histogram();
          while (System.nanoTime() < deadline) {
            long begin = System.nanoTime();
            try {
              request.send(random);
              local.record(System.nanoTime() - begin);
              done.incrementAndGet();
            } catch (IllegalStateException e) {
              errors.incrementAndGet();
            }
          }
          return local;
        }));
      }
      for (Future<Histogram> f : futures) {
        histogram.addAll(f.get());
      }
    }
    return done.get();
  }

  private void print() {
    System.out.println();
    System.out.println("| phase | requests/s | entities/s | p50 ms | p99 ms | errors |");
    System.out.println("|---|---:|---:|---:|---:|---:|");
    for (Result r : results) {
      System.out.printf(Locale.ROOT, "| %s | %,.0f | %,.0f | %.2f | %.2f | %d |%n",
          r.phase(), r.requestsPerSecond(), r.entitiesPerSecond(), r.p50(), r.p99(), r.errors());
    }
  }

  private String nextId() {
    return "urn:ngsi-ld:Meter:c" + sequence.incrementAndGet();
  }

  private String batch(SplittableRandom r, int n) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "" : ",").append(meter(r, "urn:ngsi-ld:Meter:b" + r.nextInt(1_000_000)));
    }
    return b.append(']').toString();
  }

  static String meter(SplittableRandom r, String id) {
    return String.format(Locale.ROOT, """
        {"id":"%s","type":"Meter","power":{"type":"Property","value":%d,"unitCode":"WTT","observedAt":"2026-11-23T12:00:00Z"},\
        "energy":{"type":"Property","value":%d,"unitCode":"KWH"},"town":{"type":"Property","value":"%s"},\
        "firmware":{"type":"Property","value":"5.%d.0"},"capacity":{"type":"Property","value":25,"unitCode":"AMP"},\
        "vendor":{"type":"Relationship","object":"urn:ngsi-ld:Organization:vendor-%d"},\
        "location":{"type":"GeoProperty","value":{"type":"Point","coordinates":[%.5f,%.5f]}}}""",
        id, r.nextInt(4000), r.nextInt(100_000), TOWNS[r.nextInt(TOWNS.length)], r.nextInt(4), r.nextInt(3),
        3.3 + r.nextDouble() * 3.8, 50.7 + r.nextDouble() * 2.8);
  }

  private HttpRequest post(String path, String body, String tenant) throws IOException, InterruptedException {
    return HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
        .header("Authorization", bearer.header())
        .header("NGSILD-Tenant", tenant).POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  private HttpRequest get(String path, String tenant) throws IOException, InterruptedException {
    return HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", bearer.header())
        .header("NGSILD-Tenant", tenant).GET().build();
  }

  private void send(HttpRequest request, int expected) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    int status = response.statusCode();
    if (status != expected && !(expected == 201 && status == 204)) {
      throw new IllegalStateException(request.method() + " " + request.uri() + " -> " + status + " " + response.body());
    }
  }

  private static String encode(String text) {
    return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
  }
}

package nl.sleutelbos.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import nl.sleutelbos.app.Settings;
import nl.sleutelbos.app.Sleutelbos;
import nl.sleutelbos.app.ingest.IngestMetrics;
import nl.sleutelbos.metering.dsmr.MbusReading;
import nl.sleutelbos.metering.dsmr.PhaseReadings;
import nl.sleutelbos.metering.dsmr.Telegram;
import nl.sleutelbos.metering.dsmr.TelegramWriter;
import nl.sleutelbos.metering.dsmr.Unit;
import nl.sleutelbos.store.StoreConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * End-to-end ingest throughput: DSMR 5 telegrams (written by {@link TelegramWriter}) into a server
 * in this JVM, over HTTP ({@code POST /sleutelbos/v1/ingest/telegrams}, text/plain bodies of
 * {@code --batch} telegrams from {@code --connections} concurrent clients) and over MQTT (QoS 1
 * publishes to {@code sleutelbos/meters/<id>/p1} with a head-end token, through the broker given),
 * on SQLite or PostgreSQL, with a head-end client's token as a real head-end would.
 *
 * <p>Workload: {@code --meters} meters each send {@code --rounds} telegrams, ten seconds apart
 * (the DSMR 5 interval), round by round; a body holds telegrams of different meters of one round,
 * as a head-end forwards them. Telegrams, and the HTTP bodies that join them, are generated before
 * the clock starts (with {@code --stream}: as they are sent, so that the heap after GC at the end
 * holds the server's state, not the load generator's). A phase ends when
 * the server's ingest counts have every telegram; then one meter's day is read back through the
 * temporal API to show the readings are queryable. Every telegram carries one phase or three,
 * the registers, power and a gas meter (as the DSMR 5.0.2 example telegram does).
 * <pre>
 * java -cp bench/target/benchmarks.jar nl.sleutelbos.bench.IngestLoad --store sqlite --meters 10000 --rounds 10
 * java -Xmx1g -cp bench/target/benchmarks.jar nl.sleutelbos.bench.IngestLoad --store sqlite --meters 1000000 --rounds 2 --transports http --stream
 * </pre>
 */
@Command(name = "ingest", mixinStandardHelpOptions = true, description = "End-to-end telegram ingest over HTTP and MQTT.")
public final class IngestLoad implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--store", defaultValue = "sqlite", description = "sqlite or postgres (default ${DEFAULT-VALUE}).")
  String store;

  @Option(names = "--jdbc-url", defaultValue = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres",
      description = "For postgres: a database to create the run's own database from (dropped afterwards).")
  String jdbcUrl;

  @Option(names = "--meters", defaultValue = "10000", description = "Meters (default ${DEFAULT-VALUE}).")
  int meters;

  @Option(names = "--rounds", defaultValue = "10", description = "Telegrams per meter (default ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--batch", defaultValue = "2000", description = "Telegrams per HTTP request (default ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--connections", defaultValue = "4", description = "Concurrent HTTP requests (default ${DEFAULT-VALUE}).")
  int connections;

  @Option(names = "--phases", defaultValue = "3", description = "Phases per meter, 1 or 3 (default ${DEFAULT-VALUE}).")
  int phases;

  @Option(names = "--transports", defaultValue = "http,mqtt", split = ",", description = "http, mqtt (default ${DEFAULT-VALUE}).")
  List<String> transports;

  @Option(names = "--fleet", defaultValue = "new", description = "new: every phase a fleet of new meters, whose"
      + " entities the phase creates; same: one fleet for the whole run, each phase its next rounds, so that"
      + " phases after the first update existing meters, as a running fleet does (default ${DEFAULT-VALUE}).")
  String fleet;

  @Option(names = "--keep", description = "Keep the SQLite store's directory after the run, to look into it.")
  boolean keep;

  @Option(names = "--stream", description = "Generate telegrams as they are sent (a few bodies in hand) instead of"
      + " all before the clock starts, so that the heap after GC is the server's (for runs of a million meters).")
  boolean stream;

  @Option(names = "--broker", defaultValue = "tcp://127.0.0.1:1883", description = "MQTT broker (default ${DEFAULT-VALUE}).")
  URI broker;

  /**
   * The load generator's threads all carry this prefix (the HTTP client's executor, the request
   * workers, the MQTT publisher's event loop), so that their CPU can be told from the server's.
   */
  private static final String LOAD = "load-";
  private final ExecutorService clientThreads = Executors.newFixedThreadPool(2, named(LOAD + "http-client-"));
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .executor(clientThreads).connectTimeout(Duration.ofSeconds(5)).build();
  private final ExecutorService mqttThreads = Executors.newFixedThreadPool(2, named(LOAD + "mqtt-"));
  private final List<String> results = new ArrayList<>();
  /** The time of the last round's telegrams. */
  private Instant lastTime;

  public static void main(String[] args) {
    System.exit(new CommandLine(new IngestLoad()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (!fleet.equals("new") && !fleet.equals("same")) {
      throw new CommandLine.ParameterException(new CommandLine(this), "--fleet new|same");
    }
    Path dir = Files.createTempDirectory("sleutelbos-ingest");
    String database = "ingest_bench_" + Long.toHexString(System.nanoTime());
    StoreConfig config = switch (store) {
      case "sqlite" -> new StoreConfig.Sqlite(dir.resolve("sleutelbos.db"));
      case "postgres" -> {
        execute(jdbcUrl, "CREATE DATABASE " + database);
        yield new StoreConfig.Postgres(jdbcUrl.replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1"));
      }
      default -> throw new CommandLine.ParameterException(new CommandLine(this), "--store sqlite|postgres");
    };
    try (Sleutelbos server = Sleutelbos.start(new Settings("127.0.0.1", 0, dir, config, 64L << 20, null))) {
      String base = "http://127.0.0.1:" + server.port();
      BearerToken admin = new BearerToken(http, base, dir.resolve("bootstrap-admin.json"));
      BearerToken headEnd = headEnd(base, admin, dir);
      System.out.printf(Locale.ROOT, "store %s, %d meters x %d rounds, %d phase(s), %d cores, %s%n", store, meters,
          rounds, phases, Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"));
      // One fleet: its clock starts far enough back that the last phase's telegrams are not in the future.
      String fleetPrefix = "F" + Long.toHexString(System.nanoTime() & 0xffffff);
      Instant fleetStart = Instant.now().truncatedTo(ChronoUnit.MINUTES).minusSeconds(10L * rounds * transports.size() + 60);
      for (int phase = 0; phase < transports.size(); phase++) {
        String transport = transports.get(phase);
        Telegrams telegrams = fleet.equals("same")
            ? new Telegrams(fleetPrefix, fleetStart, phase * rounds)
            : new Telegrams(transport.substring(0, 1).toUpperCase(Locale.ROOT) + Long.toHexString(System.nanoTime() & 0xffffff));
        String prefix = telegrams.prefix;
        if (!stream) {
          telegrams.prebuilt();
        }
        List<byte[]> bodies = transport.equals("http") ? bodies(telegrams) : null;
        IngestMetrics metrics = server.ingest().metrics();
        long before = metrics.total();
        long cpuBefore = cpuNanos();
        java.util.Map<Long, Long> loadBefore = loadThreadsCpu();
        long projectorBefore = server.ingest().latestValues().cpu().toNanos();
        java.util.Map<Long, Long> allBefore = threadsCpu(t -> true);
        long writtenBefore = bytesWritten();
        Instant windowStart = Instant.now();
        long start = System.nanoTime();
        switch (transport) {
          case "http" -> http(base, headEnd, telegrams, bodies);
          case "mqtt" -> mqtt(server, headEnd, telegrams, dir);
          default -> throw new CommandLine.ParameterException(new CommandLine(this), "unknown transport " + transport);
        }
        long n = (long) meters * rounds;
        long progress = metrics.total();
        long stalledSince = System.nanoTime();
        while (metrics.total() - before < n) {
          Thread.sleep(5);
          if (metrics.total() != progress) {
            progress = metrics.total();
            stalledSince = System.nanoTime();
          } else if (System.nanoTime() - stalledSince > 30_000_000_000L) {
            // A broker that drops QoS 1 messages for a slow consumer (Mosquitto's max_queued_messages).
            System.out.printf(Locale.ROOT, "%s: %d of %d telegrams never arrived; giving up%n", transport,
                n - (metrics.total() - before), n);
            break;
          }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Instant windowEnd = Instant.now();
        long windowProcess = cpuNanos() - cpuBefore;
        double cpu = windowProcess / 1e9;
        double loadCpu = since(loadBefore) / 1e9;
        double projectorCpu = (server.ingest().latestValues().cpu().toNanos() - projectorBefore) / 1e9;
        String windowByThread = byThread(allBefore, windowProcess, n);
        long written = bytesWritten() - writtenBefore;
        // A meter read by id shows its newest reading at once (FreshMeters); the projector writes it
        // to the entity later, which is what queries over entities see. Both are timed from here.
        String lastEntity = base + "/ngsi-ld/v1/entities/urn:ngsi-ld:Device:" + prefix
            + String.format(Locale.ROOT, "%08d", meters - 1);
        long ingested = System.nanoTime();
        while (!JSON.readTree(get(lastEntity, admin.header())).path("dateLastValueReported").path("value").asText()
            .equals(lastTime.toString()) && System.nanoTime() - ingested < 120_000_000_000L) {
          Thread.sleep(10);
        }
        double caughtUp = (System.nanoTime() - ingested) / 1e9;
        while (!server.ingest().latestValues().caughtUp() && System.nanoTime() - ingested < 120_000_000_000L) {
          Thread.sleep(10);
        }
        double projected = (System.nanoTime() - ingested) / 1e9;
        // Everything these telegrams cost the server, the projector's catch-up after the last one
        // included (the previous phase had caught up before this one started).
        long settledProcess = cpuNanos() - cpuBefore;
        double settledCpu = (settledProcess - since(loadBefore)) / 1e9;
        String byThread = byThread(allBefore, settledProcess, n);
        String meter = base + "/ngsi-ld/v1/temporal/entities/urn:ngsi-ld:Device:" + prefix + "00000000?attrs=voltage";
        JsonNode day = JSON.readTree(get(meter, admin.header()));
        int instances = day.path("voltage").size();
        String line = String.format(Locale.ROOT, "%-4s %-8s telegrams %9d seconds %7.2f telegrams/s %9.0f  rejected %d "
            + "flagged %d  (one meter's voltage history: %d instances of %d phases x %d rounds)", transport, store, n,
            seconds, n / seconds, metrics.rejected(), metrics.flagged(), instances, phases, rounds);
        System.out.println(line);
        System.out.printf(Locale.ROOT, "     process CPU %.2f s while ingesting: %.1f µs per telegram (server, projector"
            + " and load generator in one process); %.0f telegrams/s per CPU-second; of it the latest-values"
            + " projector's own thread %.2f s%n", cpu, cpu * 1e6 / n, n / cpu, projectorCpu);
        System.out.printf(Locale.ROOT, "     server CPU %.2f s = %.1f µs per telegram (the process less the load generator's"
            + " threads, %.2f s: HTTP client, senders, MQTT publisher, main; JIT and GC are counted as the server's);"
            + " %.0f telegrams/s per server CPU-second%n", cpu - loadCpu, (cpu - loadCpu) * 1e6 / n, loadCpu,
            n / (cpu - loadCpu));
        System.out.printf(Locale.ROOT, "     of it by thread, µs per telegram: %s (window %s to %s)%n", windowByThread,
            windowStart, windowEnd);
        if (writtenBefore >= 0) {
          System.out.printf(Locale.ROOT, "     written by the process while ingesting: %.1f KB per telegram (write"
              + " calls: the WAL, checkpoints into the database file, logs; /proc/self/io wchar)%n", written / 1e3 / n);
        }
        System.out.printf(Locale.ROOT, "     server CPU until every entity was written %.2f s = %.1f µs per telegram, the"
            + " projector's catch-up included: %.0f telegrams/s on %d cores if nothing else ran%n", settledCpu,
            settledCpu * 1e6 / n, n / settledCpu * Runtime.getRuntime().availableProcessors(),
            Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "     of it by thread, µs per telegram: %s%n", byThread);
        System.out.printf(Locale.ROOT, "     latest values: the last meter read by id showed its last reading %.2f s after"
            + " the last telegram; the projector had written every entity (queries) %.2f s after it%s; lag after a"
            + " projector pass at most %.2f s%n", caughtUp, projected, projected >= 120 ? " (gave up waiting)" : "",
            server.ingest().latestValues().lag(true).toNanos() / 1e9);
        results.add(line);
        telegrams = null;
        bodies = null;
        System.gc();
        java.lang.management.MemoryUsage heap = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        System.out.printf(Locale.ROOT, "     heap used after a full GC %.0f MB (of max %.0f MB; the load generator's telegrams released);"
            + " store %s%n", heap.getUsed() / 1e6,
            heap.getMax() / 1e6, store.equals("sqlite") ? String.format(Locale.ROOT, "%.1f MB on disk",
                size(dir) / 1e6) : "in PostgreSQL");
      }
    } finally {
      senders.get().shutdown();
      clientThreads.shutdown();
      mqttThreads.shutdown();
      if (store.equals("postgres")) {
        execute(jdbcUrl, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
      }
      if (keep) {
        System.out.println("kept " + dir);
      } else {
        try (var files = Files.walk(dir)) {
          files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
    return 0;
  }

  /** The HTTP senders: a pool kept for the run, so that its threads' CPU can still be read after a phase. */
  private final java.util.function.Supplier<ExecutorService> senders = new java.util.function.Supplier<>() {
    private ExecutorService pool;

    @Override
    public synchronized ExecutorService get() {
      if (pool == null) {
        pool = Executors.newFixedThreadPool(connections, named(LOAD + "sender-"));
      }
      return pool;
    }
  };

  private static java.util.concurrent.ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * The CPU time of each of the load generator's threads: those named {@link #LOAD}, the JDK HTTP
   * client's selector thread, and main (which waits for the counts and polls).
   */
  private static java.util.Map<Long, Long> loadThreadsCpu() {
    return threadsCpu(name -> name.startsWith(LOAD) || name.equals("main")
        || name.matches("HttpClient-\\d+-SelectorManager"));
  }

  /** The CPU time of each live thread whose name passes {@code which}, by thread id. */
  private static java.util.Map<Long, Long> threadsCpu(java.util.function.Predicate<String> which) {
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    java.util.Map<Long, Long> out = new java.util.HashMap<>();
    for (java.lang.management.ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (t != null && which.test(t.getThreadName())) {
        long cpu = threads.getThreadCpuTime(t.getThreadId());
        if (cpu >= 0) {
          out.put(t.getThreadId(), cpu);
        }
      }
    }
    return out;
  }

  /**
   * Where the CPU since {@code before} went, per telegram: threads grouped by name (numbers
   * dropped), largest first, and what no live Java thread accounts for: GC, the JIT compilers, the
   * VM, and threads that ended meanwhile (a pool's extra carrier threads, for one).
   */
  private static String byThread(java.util.Map<Long, Long> before, long processNanos, long telegrams) {
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    java.util.Map<String, Long> groups = new java.util.HashMap<>();
    long javaThreads = 0;
    for (java.lang.management.ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
      long cpu = t == null ? -1 : threads.getThreadCpuTime(t.getThreadId());
      if (cpu >= 0) {
        long spent = cpu - before.getOrDefault(t.getThreadId(), 0L);
        javaThreads += spent;
        groups.merge(t.getThreadName().replaceAll("\\d+", "N"), spent, Long::sum);
      }
    }
    groups.put("(no live thread: GC, JIT, VM, ended threads)", processNanos - javaThreads);
    return groups.entrySet().stream().filter(e -> e.getValue() * 1e-3 / telegrams >= 0.5)
        .sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
        .map(e -> String.format(Locale.ROOT, "%s %.1f", e.getKey(), e.getValue() * 1e-3 / telegrams))
        .collect(java.util.stream.Collectors.joining(", "));
  }

  /** The load generator's threads' CPU since {@code before} (threads started since count from zero). */
  private static long since(java.util.Map<Long, Long> before) {
    long sum = 0;
    for (java.util.Map.Entry<Long, Long> e : loadThreadsCpu().entrySet()) {
      sum += e.getValue() - before.getOrDefault(e.getKey(), 0L);
    }
    return sum;
  }

  /** Bytes this process has passed to write calls so far ({@code wchar}), or -1 where Linux's /proc does not say. */
  private static long bytesWritten() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
        if (line.startsWith("wchar:")) {
          return Long.parseLong(line.substring(6).strip());
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      // not Linux, or not readable: the line is left out
    }
    return -1;
  }

  /** CPU time of this whole process so far. */
  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /**
   * The phase's telegrams. The one of meter {@code m} in round {@code r} is worked out from (m, r)
   * alone, so they are the same whether all are made before the clock starts ({@link #prebuilt})
   * or each as it is sent ({@code --stream}); each meter has its own registers and gas meter.
   */
  private final class Telegrams {
    private final String prefix;
    private final Instant t0;
    /** The fleet's round this phase's first round is. */
    private final int firstRound;
    private List<List<String>> built;

    Telegrams(String prefix) {
      // Recent times, so the validator flags none as too old (or in the future).
      this(prefix, Instant.now().truncatedTo(ChronoUnit.MINUTES).minusSeconds(10L * rounds + 60), 0);
    }

    Telegrams(String prefix, Instant t0, int firstRound) {
      this.prefix = prefix;
      this.t0 = t0;
      this.firstRound = firstRound;
      lastTime = t0.plusSeconds(10L * (firstRound + rounds - 1));
    }

    /** Makes every telegram now: {@code [round][meter]}. */
    Telegrams prebuilt() {
      List<List<String>> out = new ArrayList<>(rounds);
      for (int r = 0; r < rounds; r++) {
        List<String> round = new ArrayList<>(meters);
        for (int m = 0; m < meters; m++) {
          round.add(make(r, m));
        }
        out.add(round);
      }
      built = out;
      return this;
    }

    String telegram(int round, int meter) {
      return built != null ? built.get(round).get(meter) : make(round, meter);
    }

    String meterId(int meter) {
      return prefix + String.format(Locale.ROOT, "%08d", meter);
    }

    private String make(int phaseRound, int m) {
      int r = firstRound + phaseRound;
      double kw = power(m, r);
      double register = 0;
      for (int j = 0; j <= r; j++) {
        register += power(m, j) * 10 / 3600;
      }
      Instant time = t0.plusSeconds(10L * r);
      String id = meterId(m);
      Telegram.Builder b = Telegram.builder("/ISk5\\2MT382-1000").version("50").timestamp(time).equipmentId(id)
          .energyDeliveredTariff1(dec(1000 + m % 500 + register, 3)).energyDeliveredTariff2(dec(2000 + m % 700, 3))
          .energyReturnedTariff1(dec(0, 3)).energyReturnedTariff2(dec(0, 3)).tariffIndicator(1)
          .powerDelivered(dec(kw, 3)).powerReturned(dec(0, 3)).shortPowerFailures(3L).longPowerFailures(1L)
          .mbus(MbusReading.of(1, MbusReading.GAS, "G" + id, time.truncatedTo(ChronoUnit.HOURS),
              dec(800 + m % 300, 3), Unit.M3));
      for (int p = 1; p <= phases; p++) {
        PhaseReadings phase = new PhaseReadings(Optional.of(dec(228 + unit(m, r, p) * 6, 1)),
            Optional.of(dec(Math.round(kw * 1000 / 230 / phases), 0)), Optional.of(dec(kw / phases, 3)),
            Optional.of(dec(0, 3)), Optional.of(0L), Optional.of(0L));
        switch (p) {
          case 1 -> b.l1(phase);
          case 2 -> b.l2(phase);
          default -> b.l3(phase);
        }
      }
      return TelegramWriter.write(b.build());
    }

    private static double power(int meter, int round) {
      return 0.2 + unit(meter, round, 0) * 3;
    }

    /** A number in [0, 1) fixed by its arguments (SplitMix64's finaliser over them). */
    private static double unit(int meter, int round, int salt) {
      long z = 2026L + meter * 0x9E3779B97F4A7C15L + round * 0xC2B2AE3D27D4EB4FL + salt * 0x165667B19E3779F9L;
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      z ^= z >>> 31;
      return (z >>> 11) * 0x1.0p-53;
    }
  }

  /**
   * The HTTP bodies of the phase, each {@code --batch} telegrams of one round as UTF-8; {@code null}
   * with {@code --stream}, where each sender joins its own. Made before the clock starts, as the
   * telegrams are: a head-end forwards bytes it already holds.
   */
  private List<byte[]> bodies(Telegrams telegrams) {
    if (stream) {
      return null;
    }
    List<byte[]> bodies = new ArrayList<>();
    for (int i = 0; i < bodyCount(); i++) {
      bodies.add(body(telegrams, i));
    }
    return bodies;
  }

  private int bodiesPerRound() {
    return (meters + batch - 1) / batch;
  }

  private int bodyCount() {
    return bodiesPerRound() * rounds;
  }

  private byte[] body(Telegrams telegrams, int i) {
    int perRound = bodiesPerRound();
    int round = i / perRound;
    int from = (i % perRound) * batch;
    StringBuilder b = new StringBuilder();
    for (int m = from; m < Math.min(meters, from + batch); m++) {
      b.append(telegrams.telegram(round, m));
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  private void http(String base, BearerToken headEnd, Telegrams telegrams, List<byte[]> bodies) throws Exception {
    int count = bodyCount();
    ExecutorService pool = senders.get();
    AtomicInteger next = new AtomicInteger();
    List<Future<?>> workers = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      workers.add(pool.submit(() -> {
        int i;
        while ((i = next.getAndIncrement()) < count) {
          byte[] bytes = bodies == null ? body(telegrams, i) : bodies.get(i);
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/sleutelbos/v1/ingest/telegrams"))
              .header("Authorization", headEnd.header()).header("Content-Type", "text/plain")
              .POST(HttpRequest.BodyPublishers.fromPublisher(new Slices(bytes), bytes.length)).build(),
              HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() != 200) {
            throw new IllegalStateException("ingest answered " + r.statusCode() + ": " + r.body().substring(0,
                Math.min(500, r.body().length())));
          }
        }
        return null;
      }));
    }
    for (Future<?> w : workers) {
      w.get();
    }
  }

  /**
   * A body sent as views of the array, 64 KiB at a time. The client's own publishers of a byte
   * array copy it whole into new buffers first: for a 2 MB body, 2 MB of garbage a request in
   * the server's JVM, which is the load generator's cost, not the server's.
   */
  private record Slices(byte[] bytes) implements java.util.concurrent.Flow.Publisher<java.nio.ByteBuffer> {
    private static final int SLICE = 64 << 10;

    @Override
    public void subscribe(java.util.concurrent.Flow.Subscriber<? super java.nio.ByteBuffer> subscriber) {
      subscriber.onSubscribe(new java.util.concurrent.Flow.Subscription() {
        private int offset;
        private boolean done;
        private long demand;
        private boolean emitting;

        @Override
        public void request(long n) {
          if (n <= 0) {
            cancel();
            subscriber.onError(new IllegalArgumentException("non-positive request " + n));
            return;
          }
          synchronized (this) {
            demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
            if (emitting) {
              return; // the caller up the stack emits on (request() from inside onNext)
            }
            emitting = true;
          }
          while (true) {
            int from;
            int length;
            synchronized (this) {
              if (done || demand == 0) {
                emitting = false;
                return;
              }
              if (offset == bytes.length) {
                done = true;
                emitting = false;
                break;
              }
              demand--;
              from = offset;
              length = Math.min(SLICE, bytes.length - offset);
              offset += length;
            }
            subscriber.onNext(java.nio.ByteBuffer.wrap(bytes, from, length));
          }
          subscriber.onComplete();
        }

        @Override
        public synchronized void cancel() {
          done = true;
        }
      });
    }
  }

  private void mqtt(Sleutelbos server, BearerToken headEnd, Telegrams telegrams, Path dir) throws Exception {
    String root = "bench-" + UUID.randomUUID();
    URI withRoot = URI.create(broker.getScheme() + "://" + broker.getHost() + ":" + broker.getPort() + "/" + root);
    server.listen(withRoot, "ingest-bench-" + UUID.randomUUID(), server.ingest()::commit);
    Mqtt5AsyncClient publisher = MqttClient.builder().useMqttVersion5().identifier("bench-" + UUID.randomUUID())
        .serverHost(broker.getHost()).serverPort(broker.getPort())
        .executorConfig().nettyExecutor(mqttThreads).nettyThreads(1).applyExecutorConfig().buildAsync();
    publisher.connect().join();
    Semaphore window = new Semaphore(10_000); // publishes awaiting the broker's PUBACK
    for (int r = 0; r < rounds; r++) {
      for (int m = 0; m < meters; m++) {
        String telegram = telegrams.telegram(r, m);
        window.acquireUninterruptibly();
        CompletableFuture<?> sent = publisher.publishWith()
            .topic(root + "/sleutelbos/meters/" + telegrams.meterId(m) + "/p1").qos(MqttQos.AT_LEAST_ONCE)
            .payload(telegram.getBytes(StandardCharsets.UTF_8))
            .userProperties().add("authorization", headEnd.header()).applyUserProperties()
            .send();
        sent.whenComplete((x, e) -> window.release());
      }
    }
    window.acquireUninterruptibly(10_000);
    publisher.disconnect().join();
  }

  /**
   * A head-end client's token, renewed as it nears expiry (a million-meter run outlasts one); its
   * credentials are kept in the run's directory, deleted with it.
   */
  private BearerToken headEnd(String base, BearerToken admin, Path dir) throws Exception {
    HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + "/sleutelbos/v1/clients"))
        .header("Authorization", admin.header()).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"name\":\"Bench head-end\",\"organisation\":\"operator\",\"roles\":[\"head-end\"]}")).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonNode client = JSON.readTree(created.body());
    Path file = dir.resolve("head-end.json");
    Files.writeString(file, client.toString());
    BearerToken token = new BearerToken(http, base, file);
    token.header(); // fails here, before the clock starts, if the client cannot get one
    return token;
  }

  private static long size(Path dir) throws java.io.IOException {
    try (var files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
  }

  private String get(String url, String authorization) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", authorization).GET().build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  private static BigDecimal dec(double v, int scale) {
    return BigDecimal.valueOf(v).setScale(scale, RoundingMode.HALF_UP);
  }

  private static void execute(String url, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}

package nl.sleutelbos.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import nl.sleutelbos.app.Settings;
import nl.sleutelbos.app.Sleutelbos;
import nl.sleutelbos.app.http.BearerGate;
import nl.sleutelbos.app.http.HttpApi;
import nl.sleutelbos.app.http.JsonLdContexts;
import nl.sleutelbos.app.http.NgsiLdRoutes;
import nl.sleutelbos.app.http.PolicyGuard;
import nl.sleutelbos.app.http.Problems;
import nl.sleutelbos.app.http.Route;
import nl.sleutelbos.app.http.Router;
import nl.sleutelbos.auth.ConsentInformationPoint;
import nl.sleutelbos.auth.EnforcementPoint;
import nl.sleutelbos.auth.PolicyDecisionPoint;
import nl.sleutelbos.identity.Identity;
import nl.sleutelbos.identity.IdentityConfig;
import nl.sleutelbos.identity.SoftwareSignerStore;
import nl.sleutelbos.ngsild.entity.EntityService;
import nl.sleutelbos.ngsild.context.ContextRegistry;
import nl.sleutelbos.ngsild.context.HttpContextFetcher;
import nl.sleutelbos.store.StoreConfig;

/**
 * The PEP's added latency on GET by id over HTTP, in one run, three servers in one JVM on one
 * store:
 * <ul>
 *   <li>{@code server}: the real server (bearer gate, then {@code PolicyGuard} with the AuthZForce
 *       PDP, then the handler), as users meet it;
 *   <li>{@code guarded}: composed here with the same bearer gate, NGSI-LD routes and the real
 *       {@code PolicyGuard} over the default policy, and a clock around each route's handler;
 *   <li>{@code no-authz}: the same composition without the guard. It exists only in this
 *       benchmark: there is no setting that turns authorisation off.
 * </ul>
 * The HTTP round trip as the client sees it is mostly the client and the transport (the JDK
 * HttpClient takes more CPU than the server in a profile), so on two shared cores its tails are
 * the scheduler's. The clocks around the handlers ({@code srv} columns: from the route's handler
 * being called to its answer being handed to the server, guard included or not) see what the
 * PEP adds without that noise. Phases alternate so that outside load falls on all alike.
 * <pre>
 * java -cp bench/target/benchmarks.jar nl.sleutelbos.bench.PepLatency [seconds per phase] [concurrency] [rounds]
 * </pre>
 * Concurrency 1 measures latency without queueing; a higher one measures throughput.
 * <pre>
 * </pre>
 */
public final class PepLatency {
  private static final int METERS = 10_000;

  private PepLatency() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    Path dir = Files.createTempDirectory("sleutelbos-pep");
    Settings settings = new Settings("127.0.0.1", 0, dir, new StoreConfig.Sqlite(dir.resolve("sleutelbos.db")),
        1 << 20, null);
    try (Sleutelbos guarded = Sleutelbos.start(settings)) {
      String issuer = "http://localhost:" + guarded.port();
      Clock clock = Clock.systemUTC();
      // Same store, same identity (keys, clients), same routes; no PolicyGuard.
      Identity identity = Identity.open(guarded.store().documents(), SoftwareSignerStore.open(dir.resolve("keys")),
          dir, issuer, IdentityConfig.DEFAULT, clock);
      EntityService entities = new EntityService(guarded.store(), clock, List.of());
      JsonLdContexts contexts = new JsonLdContexts(new ContextRegistry(guarded.store().documents(),
          new HttpContextFetcher(), issuer + "/ngsi-ld/v1/jsonldContexts/", clock, ContextRegistry.Settings.DEFAULT), clock);
      ConsentInformationPoint consents = new ConsentInformationPoint(guarded.store());
      Histogram guardedServer = new Histogram();
      Histogram openServer = new Histogram();
      try (PolicyDecisionPoint pdp = PolicyDecisionPoint.start(PolicyDecisionPoint.defaultPolicy());
          HttpApi open = HttpApi.start("127.0.0.1", 0, settings.maxBodyBytes());
          HttpApi composed = HttpApi.start("127.0.0.1", 0, settings.maxBodyBytes())) {
        List<Route> routes = new NgsiLdRoutes(entities, contexts).routes();
        BearerGate gate = new BearerGate(identity.authenticator(), Set.of("/health"), List.of());
        open.mount(List.of(new Router("/ngsi-ld/v1", timed(routes, openServer), new Problems(),
            settings.maxBodyBytes())), gate);
        PolicyGuard guard = new PolicyGuard(new EnforcementPoint(pdp, consents), guarded.store(), clock);
        composed.mount(List.of(new Router("/ngsi-ld/v1", timed(guard.guard(routes), guardedServer), new Problems(),
            settings.maxBodyBytes())), gate);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String serverUrl = "http://127.0.0.1:" + guarded.port() + "/ngsi-ld/v1";
        String guardedUrl = "http://127.0.0.1:" + composed.port() + "/ngsi-ld/v1";
        String openUrl = "http://127.0.0.1:" + open.port() + "/ngsi-ld/v1";
        BearerToken token = new BearerToken(http, "http://127.0.0.1:" + guarded.port(), dir.resolve("bootstrap-admin.json"));
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < METERS; i++) {
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(serverUrl + "/entities"))
              .header("Authorization", token.header()).header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(LoadGenerator.meter(random, id(i)))).build(),
              HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() != 201) {
            throw new IllegalStateException("create " + i + ": " + r.statusCode() + " " + r.body());
          }
        }
        System.out.println("phase      round  req/s     p50 ms  p99 ms  srv p50 ms  srv p99 ms  errors");
        for (int round = 0; round < rounds; round++) {
          for (String base : List.of(serverUrl, guardedUrl, openUrl)) {
            String name = base.equals(serverUrl) ? "server" : base.equals(guardedUrl) ? "guarded" : "no-authz";
            Histogram server = base.equals(guardedUrl) ? guardedServer : base.equals(openUrl) ? openServer : null;
            run(http, token, base, concurrency, Math.max(1, seconds / 3), new Histogram()); // warm-up
            if (server != null) {
              server.clear();
            }
            Histogram h = new Histogram();
            long[] counts = run(http, token, base, concurrency, seconds, h);
            System.out.printf(Locale.ROOT, "%-10s %5d  %8.0f  %6.3f  %6.3f  %10.3f  %10.3f  %d%n", name, round,
                counts[0] / (double) seconds, h.millis(0.50), h.millis(0.99),
                server == null ? Double.NaN : server.millis(0.50), server == null ? Double.NaN : server.millis(0.99),
                counts[1]);
          }
        }
      }
    }
  }

  /** The routes with a clock around each handler, recording into {@code into}. */
  private static List<Route> timed(List<Route> routes, Histogram into) {
    return routes.stream().map(r -> new Route(r.method(), r.template(), r.parameters(), r.family(), ex -> {
      long start = System.nanoTime();
      try {
        r.handler().handle(ex);
      } finally {
        long took = System.nanoTime() - start;
        synchronized (into) {
          into.record(took);
        }
      }
    })).toList();
  }

  private static String id(int i) {
    return "urn:ngsi-ld:Meter:pep-" + i;
  }

  /** GETs by id back to back from {@code concurrency} virtual threads; returns {ok, errors}. */
  private static long[] run(HttpClient http, BearerToken token, String base, int concurrency, int seconds,
      Histogram all) throws Exception {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    List<Future<long[]>> futures = new ArrayList<>();
    List<Histogram> parts = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int t = 0; t < concurrency; t++) {
        SplittableRandom random = new SplittableRandom(t);
        Histogram h = new Histogram();
        parts.add(h);
        futures.add(pool.submit(() -> {
          long ok = 0;
          long errors = 0;
          while (System.nanoTime() < end) {
            HttpRequest get = HttpRequest.newBuilder(URI.create(base + "/entities/" + id(random.nextInt(METERS))))
                .header("Authorization", token.header()).GET().build();
            long start = System.nanoTime();
            HttpResponse<String> r = http.send(get, HttpResponse.BodyHandlers.ofString());
            h.record(System.nanoTime() - start);
            if (r.statusCode() == 200) {
              ok++;
            } else {
              errors++;
            }
          }
          return new long[] {ok, errors};
        }));
      }
      long ok = 0;
      long errors = 0;
      for (Future<long[]> f : futures) {
        ok += f.get()[0];
        errors += f.get()[1];
      }
      parts.forEach(all::addAll);
      return new long[] {ok, errors};
    }
  }
}

package nl.sleutelbos.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import nl.sleutelbos.identity.Client;
import nl.sleutelbos.identity.Identity;
import nl.sleutelbos.identity.IdentityConfig;
import nl.sleutelbos.identity.SoftwareSignerStore;
import nl.sleutelbos.identity.Subject;
import nl.sleutelbos.store.EntityStore;
import nl.sleutelbos.store.StoreConfig;
import nl.sleutelbos.store.Stores;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * What the bearer-token check adds to every request. {@code verify} is the full check of a token
 * seen for the first time: parse the ES256 access token, verify its signature against the current
 * key, check its claims, map the subject, look the client up in the (warm) active-client cache.
 * {@code authenticate} is what {@code BearerGate} runs for a token the server has verified before
 * (clients reuse a token for its five minutes): the verified-token cache, expiry and client checks.
 * {@code issue} is the token endpoint's signing cost without the client-secret hash. Sample mode
 * gives p50 and p99.
 * <pre>
 * java -jar bench/target/benchmarks.jar TokenVerificationBenchmark -rf json
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
public class TokenVerificationBenchmark {
  private Path dir;
  private EntityStore store;
  private Identity identity;
  private Client client;
  private Optional<String> header;
  private String token;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("sleutelbos-jmh-token");
    store = Stores.open(new StoreConfig.Sqlite(dir.resolve("bench.db")));
    identity = Identity.open(store.documents(), SoftwareSignerStore.open(dir.resolve("keys")), dir,
        "http://localhost:1026", IdentityConfig.DEFAULT, Clock.systemUTC());
    client = identity.clients().list().get(0); // the bootstrap administrator
    token = identity.issuer().issue(client).value();
    header = Optional.of("Bearer " + token);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    store.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Benchmark
  public Subject authenticate() throws Exception {
    return identity.authenticator().authenticate(header);
  }

  @Benchmark
  public Subject verify() throws Exception {
    return identity.authenticator().verify(token);
  }

  @Benchmark
  public String issue() {
    return identity.issuer().issue(client).value();
  }
}

package nl.sleutelbos.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import nl.sleutelbos.auth.AccessRequest;
import nl.sleutelbos.auth.Action;
import nl.sleutelbos.auth.ConsentInformationPoint;
import nl.sleutelbos.auth.Decision;
import nl.sleutelbos.auth.EnforcementPoint;
import nl.sleutelbos.auth.Environment;
import nl.sleutelbos.auth.PolicyDecisionPoint;
import nl.sleutelbos.auth.ResourceRequest;
import nl.sleutelbos.auth.SubjectAttributes;
import nl.sleutelbos.auth.Verdict;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.ngsild.entity.EntityService;
import nl.sleutelbos.store.EntityStore;
import nl.sleutelbos.store.StoreConfig;
import nl.sleutelbos.store.Stores;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What one authorisation decision costs on the default policy set, on one thread.
 * {@code decide}: building the engine's request from an {@link AccessRequest} and evaluating it
 * (the PDP alone). {@code check}: the whole HTTP-free enforcement point, including the consent
 * look-up (a cache hit after the first request, as in steady state). Workload: 8 requests that
 * cycle through every role of the default policy, permits and denies, one supplier request with a
 * daily consent in a SQLite store. Throughput gives decisions/s, sample time gives p50/p99.
 * {@code decide} and {@code check} repeat the same 8 attribute combinations, so in steady state
 * they are decision-cache hits, as a busy server's requests mostly are; {@code decideMiss} gives
 * every request an owning connection never seen before, so the engine evaluates each one (and
 * the cache is filled, and emptied when full), which is what a decision costs the first time.
 * <pre>
 * java -jar bench/target/benchmarks.jar PdpBenchmark -f 1 -wi 3 -i 5 -rf json
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
public class PdpBenchmark {
  private static final String V = "https://uri.etsi.org/ngsi-ld/default-context/";

  private record Ask(SubjectAttributes subject, ResourceRequest resource, Action action, Environment environment) {}

  private Path dir;
  private EntityStore store;
  private PolicyDecisionPoint pdp;
  private EnforcementPoint pep;
  private Ask[] asks;
  private AccessRequest[] requests;
  private int next;

  @Setup
  public void setUp() throws Exception {
    dir = Files.createTempDirectory("pdp-bench");
    store = Stores.open(new StoreConfig.Sqlite(dir.resolve("bench.db")));
    ConsentInformationPoint consents = new ConsentInformationPoint(store);
    EntityService entities = new EntityService(store, Clock.systemUTC(), List.of(consents.indexer()));
    entities.create("", consent());
    pdp = PolicyDecisionPoint.start(PolicyDecisionPoint.defaultPolicy());
    pep = new EnforcementPoint(pdp, consents);

    Instant now = Instant.now();
    Environment plain = new Environment(now, false, Optional.empty());
    ResourceRequest device = ResourceRequest.entity("", "urn:ngsi-ld:Device:m1", Set.of(V + "Device"), Optional.of("EAN1"));
    ResourceRequest reading = ResourceRequest.entity("", "urn:ngsi-ld:Reading:r1", Set.of(V + "Reading"), Optional.of("EAN1"))
        .withGranularity(Duration.ofMinutes(15));
    asks = new Ask[] {
        new Ask(SubjectAttributes.of("a", Set.of("operator-admin"), "operator", Optional.of("NL")), device, Action.READ, plain),
        new Ask(SubjectAttributes.of("e", Set.of("operator-engineer"), "operator", Optional.of("NL")), device, Action.DELETE, plain),
        new Ask(SubjectAttributes.of("e", Set.of("operator-engineer"), "operator", Optional.of("NL")), reading, Action.QUERY,
            new Environment(now, false, Optional.of("grid-operation"))),
        new Ask(SubjectAttributes.of("s", Set.of("security-officer"), "operator", Optional.of("NL")),
            ResourceRequest.controlPlane("control-plane"), Action.named("policy.write"), plain),
        new Ask(SubjectAttributes.of("k", Set.of("auditor"), "auditor:kpmg", Optional.of("NL")), reading, Action.READ, plain),
        new Ask(SubjectAttributes.of("v", Set.of(), "vendor:zte", Optional.of("CN")), device, Action.READ, plain),
        new Ask(SubjectAttributes.of("h", Set.of(), "household:EAN1", Optional.of("NL")), reading, Action.READ, plain),
        new Ask(SubjectAttributes.of("p", Set.of(), "supplier:eneco", Optional.of("NL")), reading, Action.QUERY,
            new Environment(now, false, Optional.of("billing"))),
    };
    requests = new AccessRequest[asks.length];
    for (int i = 0; i < asks.length; i++) {
      requests[i] = new AccessRequest(asks[i].subject(), asks[i].resource(), asks[i].action(), asks[i].environment(),
          Optional.empty());
    }
    // A benchmark of the wrong thing is worse than none: the supplier must be permitted through its consent.
    if (!(pep.check(asks[7].subject(), asks[7].resource(), asks[7].action(), asks[7].environment())
        instanceof Verdict.Permit)) {
      throw new IllegalStateException("the supplier's consent is not seen");
    }
  }

  private static ObjectNode consent() {
    ObjectNode c = Json.object().put("id", "urn:ngsi-ld:Consent:bench");
    c.putArray("type").add(V + "Consent");
    c.putArray(V + "connection").add(Json.object().put("type", "Property").put("value", "EAN1"));
    c.putArray(V + "grantee").add(Json.object().put("type", "Property").put("value", "supplier:eneco"));
    c.putArray(V + "purpose").add(Json.object().put("type", "Property").put("value", "billing"));
    c.putArray(V + "granularity").add(Json.object().put("type", "Property").put("value", "P1D"));
    c.putArray(V + "validFrom").add(Json.object().put("type", "Property").put("value", "2020-01-01T00:00:00Z"));
    return c;
  }

  @TearDown
  public void tearDown() throws IOException {
    pdp.close();
    store.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Benchmark
  public Decision decide() {
    int i = next++ & 7;
    return pdp.decide(requests[i]);
  }

  @Benchmark
  public Decision decideMiss() {
    AccessRequest r = requests[next & 7];
    ResourceRequest resource = r.resource();
    ResourceRequest fresh = new ResourceRequest(resource.tenant(), resource.family(), resource.entityTypes(),
        resource.entityId(), resource.attributes(), Optional.of("EAN-" + next++), resource.granularity());
    return pdp.decide(new AccessRequest(r.subject(), fresh, r.action(), r.environment(), r.consent()));
  }

  @Benchmark
  public Verdict check() {
    Ask a = asks[next++ & 7];
    return pep.check(a.subject(), a.resource(), a.action(), a.environment());
  }
}

package nl.sleutelbos.bench;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import nl.sleutelbos.audit.AuditBundle;
import nl.sleutelbos.audit.BundleVerifier;
import nl.sleutelbos.audit.Checkpoint;
import nl.sleutelbos.audit.CheckpointSigner;
import nl.sleutelbos.audit.MemoryTree;
import nl.sleutelbos.identity.SoftwareSignerStore;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The offline verifier over an exported bundle held in memory: {@code entries} entries (as in
 * {@link AuditLogBenchmark}) with a signed checkpoint every 10,000. One operation verifies the
 * whole bundle (decode, leaf hash, tree, every checkpoint's signature and root); entries/s is
 * {@code entries} divided by the time per operation.
 * <pre>
 * java -Djava.io.tmpdir=/tmp/audit-jmh -jar bench/target/benchmarks.jar AuditVerifyBenchmark -rf json
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx3g")
@Warmup(iterations = 2)
@Measurement(iterations = 5)
public class AuditVerifyBenchmark {
  @Param({"1000000"})
  public int entries;

  private AuditBundle bundle;
  private BundleVerifier verifier;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    CheckpointSigner signer = new CheckpointSigner("bench.example/audit",
        SoftwareSignerStore.open(Files.createTempDirectory("audit-verify-keys")).generate());
    List<byte[]> encoded = new ArrayList<>(entries);
    List<String> checkpoints = new ArrayList<>();
    MemoryTree tree = new MemoryTree();
    for (int i = 0; i < entries; i++) {
      byte[] bytes = AuditLogBenchmark.event(i).at(i).encode();
      encoded.add(bytes);
      tree.append(bytes);
      if ((i + 1) % 10_000 == 0) {
        checkpoints.add(signer.sign(new Checkpoint("bench.example/audit", i + 1, tree.root())).format());
      }
    }
    bundle = new AuditBundle(signer.key().verifierKey(), encoded, List.of(), checkpoints);
    verifier = new BundleVerifier(signer.key());
  }

  @Benchmark
  public BundleVerifier.Verdict verify() {
    BundleVerifier.Verdict verdict = verifier.verify(bundle, Optional.empty());
    if (!verdict.sound()) {
      throw new IllegalStateException(verdict.problem());
    }
    return verdict;
  }
}

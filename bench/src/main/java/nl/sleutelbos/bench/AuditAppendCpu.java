package nl.sleutelbos.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import nl.sleutelbos.audit.AuditEvent;
import nl.sleutelbos.audit.StoredAuditLog;
import nl.sleutelbos.store.EntityStore;
import nl.sleutelbos.store.StoreConfig;
import nl.sleutelbos.store.Stores;

/**
 * What one durable audit append costs in CPU, per thread: {@link AuditAppendBenchmark}'s
 * {@code batched} workload (one caller, 1,000 events per call, a fresh SQLite log) run for a few
 * rounds, printing per round the appends/s, the process's CPU time per entry, the CPU time per entry
 * of the appender, committer and SQLite writer threads (a single caller's call waits for each in
 * turn), and the bytes the process wrote per entry (WAL and checkpoints). Throughput on a shared
 * machine moves with the load and the disk; CPU and bytes per entry move much less, so they are what
 * to compare between builds run back to back.
 * <pre>
 * java -Djava.io.tmpdir=/tmp/audit-jmh -cp bench/target/benchmarks.jar nl.sleutelbos.bench.AuditAppendCpu [seconds per round] [rounds]
 * </pre>
 * Round 0 includes JIT warm-up; read the later ones.
 */
public final class AuditAppendCpu {
  private static final List<String> THREADS = List.of("audit-appender", "audit-committer", "sqlite-writer bench.db");

  private AuditAppendCpu() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path dir = Files.createTempDirectory("sleutelbos-audit-cpu");
    List<AuditEvent> batch = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      batch.add(AuditLogBenchmark.event(i));
    }
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    try (EntityStore store = Stores.open(new StoreConfig.Sqlite(dir.resolve("bench.db")));
        StoredAuditLog log = StoredAuditLog.open(store.audit())) {
      for (int round = 0; round < rounds; round++) {
        long start = System.nanoTime();
        long cpu = os.getProcessCpuTime();
        long written = writtenBytes();
        long from = log.size();
        Map<String, Long> threadCpu = threadCpu(threads);
        while (System.nanoTime() - start < seconds * 1_000_000_000L) {
          log.appendAll(batch);
        }
        double n = log.size() - from;
        double elapsed = (System.nanoTime() - start) / 1e9;
        Map<String, Long> threadCpuAfter = threadCpu(threads);
        StringBuilder perThread = new StringBuilder();
        for (String name : THREADS) {
          perThread.append(String.format(", %s %.2f µs", name,
              (threadCpuAfter.getOrDefault(name, 0L) - threadCpu.getOrDefault(name, 0L)) / 1e3 / n));
        }
        System.out.printf("round %d: %,.0f appends/s; CPU per entry: process %.2f µs%s; written %.0f B/entry%n",
            round, n / elapsed, (os.getProcessCpuTime() - cpu) / 1e3 / n, perThread, (writtenBytes() - written) / n);
      }
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static Map<String, Long> threadCpu(ThreadMXBean threads) {
    Map<String, Long> out = new HashMap<>();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null) {
        out.merge(info.getThreadName(), threads.getThreadCpuTime(info.getThreadId()), Long::sum);
      }
    }
    return out;
  }

  /** Bytes this process has passed to write calls (Linux {@code /proc/self/io}); 0 elsewhere. */
  private static long writtenBytes() throws java.io.IOException {
    Path io = Path.of("/proc/self/io");
    if (!Files.isReadable(io)) {
      return 0;
    }
    for (String line : Files.readAllLines(io)) {
      if (line.startsWith("wchar:")) {
        return Long.parseLong(line.substring("wchar:".length()).trim());
      }
    }
    return 0;
  }
}

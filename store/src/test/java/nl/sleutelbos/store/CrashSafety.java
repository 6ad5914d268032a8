package nl.sleutelbos.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * "Nothing acknowledged is lost": runs {@link CrashWriter} in a child JVM, reads its
 * acknowledgements until there are enough, kills it with SIGKILL mid-write, reopens the store and
 * checks that every acknowledged change is there with the acknowledged content.
 */
final class CrashSafety {
  private static final Pattern ACK = Pattern.compile("ack\t(\\S+)\t(\\d+)\t\\.");
  private static final String EOF = "";
  private static final int ENOUGH = 2_000;
  private static final long STARTUP_SECONDS = 15;
  private static final long WRITING_SECONDS = 4;

  private CrashSafety() {}

  /** The acknowledged counter values, and which entity carries which acknowledged n. */
  record Acknowledged(Map<String, Integer> entities, Map<String, Integer> counters) {}

  static Acknowledged killWhileWriting(Path workDir, StoreConfig config, String... childArgs) throws Exception {
    String java = ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), CrashWriter.class.getName()));
    command.addAll(List.of(childArgs));
    Path stderr = workDir.resolve("crash-writer.err");
    Process child = new ProcessBuilder(command).redirectError(stderr.toFile()).start();

    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = Thread.ofPlatform().daemon().name("crash-writer-stdout").start(() -> {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          lines.add(line);
        }
      } catch (IOException e) {
        // The child is gone; what was read is what counts.
      } finally {
        lines.add(EOF);
      }
    });

    Map<String, Integer> entities = new HashMap<>();
    Map<String, Integer> counters = new HashMap<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STARTUP_SECONDS);
    boolean writing = false;
    boolean eof = false;
    try {
      while (entities.size() + counters.size() < ENOUGH && System.nanoTime() < deadline) {
        String line = lines.poll(100, TimeUnit.MILLISECONDS);
        if (line == EOF) {
          eof = true;
          break;
        }
        if (line != null && record(line, entities, counters) && !writing) {
          writing = true;
          deadline = Math.min(deadline, System.nanoTime() + TimeUnit.SECONDS.toNanos(WRITING_SECONDS));
        }
      }
    } finally {
      child.destroyForcibly(); // SIGKILL: no shutdown hooks, no flushing, no closing
      child.waitFor(10, TimeUnit.SECONDS);
    }
    assertThat(eof).as("the writer died by itself: %s", Files.readString(stderr)).isFalse();
    // Acknowledgements already in the pipe when the child died were printed after a commit too.
    reader.join(10_000);
    for (String line; (line = lines.poll()) != null && line != EOF; ) {
      record(line, entities, counters);
    }
    assertThat(entities.size()).as("acknowledgements before the kill; writer said: %s", Files.readString(stderr))
        .isGreaterThan(100);
    return new Acknowledged(entities, counters);
  }

  /** Reads one complete acknowledgement line; a line cut short by the kill does not count. */
  private static boolean record(String line, Map<String, Integer> entities, Map<String, Integer> counters) {
    Matcher m = ACK.matcher(line);
    if (!m.matches()) {
      return false;
    }
    String id = m.group(1);
    int n = Integer.parseInt(m.group(2));
    if (id.startsWith("urn:crash:counter:")) {
      counters.merge(id, n, Math::max);
    } else {
      entities.put(id, n);
    }
    return true;
  }

  /** Checks that the reopened store holds every acknowledged change. */
  static void assertAllThere(Acknowledged acked, StoreConfig config) {
    Map<String, StoredEntity> stored = new HashMap<>();
    try (EntityStore store = Stores.open(config)) {
      store.scan("crash", Selector.ALL, e -> {
        stored.put(e.id(), e);
        return true;
      });
    }
    List<String> lost = new ArrayList<>();
    acked.entities().forEach((id, n) -> {
      StoredEntity e = stored.get(id);
      int thread = Integer.parseInt(id.split(":")[2]);
      if (e == null || !e.document().equals("{\"n\": " + n + ", \"t\": " + thread + "}")) {
        lost.add(id + " acknowledged n=" + n + ", stored " + (e == null ? "nothing" : e.document()));
      }
    });
    assertThat(lost).as("acknowledged writes lost after kill -9 (of %d)", acked.entities().size()).isEmpty();
    acked.counters().forEach((id, n) -> {
      int storedN = CrashWriter.counterOf(stored.get(id).document());
      // A call may commit and then be killed before it prints its acknowledgement: one more is fine.
      assertThat(storedN).as("counter %s", id).isBetween(n, n + 1);
    });
  }
}

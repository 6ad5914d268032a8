package nl.sleutelbos.store;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The child process of {@link CrashSafety}: opens a store and writes from several threads as fast
 * as it can, printing one line {@code ack <id> <n> .} per change after {@link EntityStore#apply}
 * returned, until it is killed. Each thread alternates a single put with a call of four puts and
 * one increment of the thread's counter entity.
 *
 * <p>Arguments: {@code sqlite <file>} or {@code postgres <jdbc-url> [user]}.
 */
public final class CrashWriter {
  static final int THREADS = 4;
  private static final Pattern N = Pattern.compile("\"n\": (\\d+)");

  private CrashWriter() {}

  public static void main(String[] args) {
    StoreConfig config = switch (args[0]) {
      case "sqlite" -> new StoreConfig.Sqlite(Path.of(args[1]));
      case "postgres" -> new StoreConfig.Postgres(args[1], args.length > 2 ? args[2] : null, null, THREADS * 2);
      default -> throw new IllegalArgumentException("unknown backend: " + args[0]);
    };
    EntityStore store = Stores.open(config);
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      Thread.ofPlatform().name("writer-" + t).start(() -> write(store, out, thread));
    }
  }

  private static void write(EntityStore store, PrintStream out, int thread) {
    String counter = "urn:crash:counter:" + thread;
    for (int i = 0; ; i++) {
      List<EntityChange> changes = new ArrayList<>();
      changes.add(put("urn:crash:" + thread + ":" + i + ":0", i, thread));
      if (i % 2 == 1) {
        for (int k = 1; k < 4; k++) {
          changes.add(put("urn:crash:" + thread + ":" + i + ":" + k, i, thread));
        }
        changes.add(new EntityChange(counter, current -> {
          int n = current.map(e -> counterOf(e.document()) + 1).orElse(1);
          return Outcome.put(entity(counter, n, thread));
        }));
      }
      List<Outcome> outcomes = store.apply("crash", changes);
      StringBuilder acks = new StringBuilder();
      for (Outcome outcome : outcomes) {
        StoredEntity e = ((Outcome.Put) outcome).entity();
        acks.append("ack\t").append(e.id()).append('\t').append(counterOf(e.document())).append("\t.\n");
      }
      synchronized (out) {
        out.print(acks);
        out.flush();
      }
    }
  }

  private static EntityChange put(String id, int n, int thread) {
    StoredEntity e = entity(id, n, thread);
    return new EntityChange(id, current -> Outcome.put(e));
  }

  static StoredEntity entity(String id, int n, int thread) {
    Instant now = Instant.now();
    return new StoredEntity(id, List.of("https://example.org/Crash"), now, now,
        "{\"n\": " + n + ", \"t\": " + thread + "}");
  }

  static int counterOf(String document) {
    Matcher m = N.matcher(document);
    if (!m.find()) {
      throw new IllegalStateException("no counter in " + document);
    }
    return Integer.parseInt(m.group(1));
  }
}

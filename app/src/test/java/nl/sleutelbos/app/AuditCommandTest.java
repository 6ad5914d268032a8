package nl.sleutelbos.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import nl.sleutelbos.audit.AuditEntry;
import nl.sleutelbos.audit.AuditEvent;
import nl.sleutelbos.audit.AuditKey;
import nl.sleutelbos.audit.CheckpointSigner;
import nl.sleutelbos.audit.Checkpointer;
import nl.sleutelbos.audit.StoredAuditLog;
import nl.sleutelbos.identity.SoftwareSignerStore;
import nl.sleutelbos.store.EntityStore;
import nl.sleutelbos.store.StoreConfig;
import nl.sleutelbos.store.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code sleutelbos audit export} and {@code verify} on a real data directory. */
class AuditCommandTest {
  @TempDir Path dir;

  private void appendAndCheckpoint(int from, int to) throws Exception {
    try (EntityStore store = Stores.open(new StoreConfig.Sqlite(dir.resolve("sleutelbos.db")));
        StoredAuditLog log = StoredAuditLog.open(store.audit())) {
      CheckpointSigner signer = AuditKey.open(store.documents(), SoftwareSignerStore.open(dir.resolve("audit-keys")), "test.example/audit");
      try (Checkpointer checkpointer = new Checkpointer(log, store.audit(), signer, Duration.ofHours(1), 1000, Clock.systemUTC())) {
        for (int i = from; i < to; i++) {
          log.append(new AuditEvent(Instant.parse("2026-11-26T12:00:00Z"), new AuditEntry.Actor("alice", "operator"),
              "PUT /retention/{type}/{attribute}", "/sleutelbos/v1/retention/T/power", AuditEntry.Outcome.ATTEMPTED,
              "", "req-" + i, AuditEntry.digestOf(new byte[] {(byte) i})));
        }
        checkpointer.issue();
      }
    }
  }

  @Test
  void anExportedLogVerifiesAndATamperedOneIsNamed() throws Exception {
    appendAndCheckpoint(0, 10);
    Path kept = dir.resolve("kept-checkpoint.txt");
    Run first = run("audit", "export", "--data", dir.toString(), dir.resolve("first.json").toString());
    assertThat(first.exit()).as(first.err()).isZero();
    appendAndCheckpoint(10, 25);
    // The auditor keeps the first checkpoint from the first bundle.
    String firstNote = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(dir.resolve("first.json").toFile()).path("checkpoints").get(0).asText();
    Files.writeString(kept, firstNote);

    Path bundle = dir.resolve("bundle.json");
    assertThat(run("audit", "export", "--data", dir.toString(), bundle.toString()).out()).contains("25 entries");
    Run ok = run("audit", "verify", bundle.toString(), "--trusted-checkpoint", kept.toString());
    assertThat(ok.exit()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("verified 25 entries and 2 checkpoints").contains("consistent with the trusted checkpoint");

    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("sleutelbos.db"));
        Statement st = c.createStatement()) {
      st.execute("DELETE FROM audit_entry WHERE idx = 7");
    }
    run("audit", "export", "--data", dir.toString(), bundle.toString());
    Run tampered = run("audit", "verify", bundle.toString(), "--trusted-checkpoint", kept.toString());
    assertThat(tampered.exit()).isEqualTo(1);
    assertThat(tampered.err()).contains("TAMPERED").contains("first bad index: 7");
  }

  @Test
  void anUnreadableBundleIsAnErrorOfItsOwn() throws Exception {
    Path junk = Files.writeString(dir.resolve("junk.json"), "{\"format\":\"something else\"}");
    Run run = run("audit", "verify", junk.toString());
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("cannot read the log");
  }

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int exit = new CommandLine(new Main()).execute(args);
      return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }
}

package nl.sleutelbos.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import nl.sleutelbos.identity.SoftwareSignerStore;
import nl.sleutelbos.store.EntityStore;
import nl.sleutelbos.store.StoreConfig;
import nl.sleutelbos.store.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tamper tests: a log with checkpoints every 20 entries is changed in the database behind the
 * log's back (an entry changed, one deleted, the tail truncated, history forked and re-signed),
 * exported, and checked by the offline verifier, which must catch each and name where.
 */
class BundleVerifierTest {
  @TempDir Path dir;
  private Path db;
  private CheckpointSigner signer;

  @BeforeEach
  void build() throws Exception {
    db = dir.resolve("sleutelbos.db");
    signer = new CheckpointSigner(CheckpointTest.ORIGIN, SoftwareSignerStore.open(dir.resolve("keys")).generate());
    try (EntityStore store = Stores.open(new StoreConfig.Sqlite(db));
        StoredAuditLog log = StoredAuditLog.open(store.audit());
        Checkpointer checkpointer = new Checkpointer(log, store.audit(), signer, Duration.ofHours(1), 1000, Clock.systemUTC())) {
      for (int i = 0; i < 100; i++) {
        log.append(StoredAuditLogContract.event("policy.change", i));
        if ((i + 1) % 20 == 0) {
          checkpointer.issue();
        }
      }
    }
  }

  private AuditBundle export() throws Exception {
    try (EntityStore store = Stores.open(new StoreConfig.Sqlite(db))) {
      AuditBundle bundle = AuditBundle.export(store.audit(), signer.key());
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      bundle.write(out); // through the file form, as the CLI does
      return AuditBundle.read(new ByteArrayInputStream(out.toByteArray()));
    }
  }

  private void sql(String statement, Object... args) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        PreparedStatement ps = c.prepareStatement(statement)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      ps.executeUpdate();
    }
  }

  private BundleVerifier.Verdict verify(Optional<SignedNote> trusted) throws Exception {
    return new BundleVerifier(signer.key()).verify(export(), trusted);
  }

  private SignedNote checkpointAt(long size) throws Exception {
    return export().checkpoints().stream().map(SignedNote::parse)
        .filter(n -> Checkpoint.parse(n.text()).treeSize() == size).findFirst().orElseThrow();
  }

  @Test
  void anUntouchedLogVerifies() throws Exception {
    BundleVerifier.Verdict verdict = verify(Optional.of(checkpointAt(40)));
    assertThat(verdict.sound()).as(verdict.problem()).isTrue();
    assertThat(verdict.entries()).isEqualTo(100);
    assertThat(verdict.checkpoints()).isEqualTo(5);
  }

  @Test
  void aChangedEntryIsNamed() throws Exception {
    AuditEntry original = AuditEntry.decode(export().entries().get(37));
    AuditEntry forged = new AuditEntry(37, original.time(), new AuditEntry.Actor("mallory", "operator"),
        original.action(), original.target(), original.outcome(), original.reason(), original.requestId(),
        original.detailsSha256());
    sql("UPDATE audit_entry SET entry = ? WHERE idx = 37", forged.encode());

    BundleVerifier.Verdict verdict = verify(Optional.empty());
    assertThat(verdict.sound()).isFalse();
    assertThat(verdict.firstBadIndex()).isEqualTo(37);
    assertThat(verdict.problem()).contains("checkpoint 40").contains("entry 37");
  }

  @Test
  void aDeletedEntryIsNamed() throws Exception {
    sql("DELETE FROM audit_entry WHERE idx = 37");
    BundleVerifier.Verdict verdict = verify(Optional.empty());
    assertThat(verdict.firstBadIndex()).isEqualTo(37);
    assertThat(verdict.problem()).contains("position 37");
  }

  @Test
  void aTruncatedLogIsNamedAgainstItsOwnCheckpointsAndAgainstTheAuditorsCheckpoint() throws Exception {
    SignedNote kept = checkpointAt(80);
    sql("DELETE FROM audit_entry WHERE idx >= 50");
    BundleVerifier.Verdict verdict = verify(Optional.empty());
    assertThat(verdict.firstBadIndex()).isEqualTo(50);
    assertThat(verdict.problem()).contains("truncated from index 50");

    // Also removing the checkpoints that betray it does not help against the auditor's copy.
    sql("DELETE FROM audit_checkpoint WHERE tree_size > 40");
    assertThat(verify(Optional.empty()).sound()).isTrue();
    BundleVerifier.Verdict againstKept = verify(Optional.of(kept));
    assertThat(againstKept.firstBadIndex()).isEqualTo(50);
    assertThat(againstKept.problem()).contains("trusted checkpoint covers 80");
  }

  @Test
  void aForkReSignedWithTheOperatorsKeyIsCaughtByTheAuditorsCheckpoint() throws Exception {
    SignedNote kept = checkpointAt(40);
    // Rebuild the log with entries 30 onwards rewritten, every table consistent, freshly signed.
    sql("DELETE FROM audit_entry");
    sql("DELETE FROM audit_tile");
    sql("DELETE FROM audit_leaf");
    sql("DELETE FROM audit_checkpoint");
    try (EntityStore store = Stores.open(new StoreConfig.Sqlite(db));
        StoredAuditLog log = StoredAuditLog.open(store.audit());
        Checkpointer checkpointer = new Checkpointer(log, store.audit(), signer, Duration.ofHours(1), 1000, Clock.systemUTC())) {
      for (int i = 0; i < 100; i++) {
        log.append(StoredAuditLogContract.event(i < 30 ? "policy.change" : "policy.rewritten", i));
        if ((i + 1) % 20 == 0) {
          checkpointer.issue();
        }
      }
    }
    assertThat(verify(Optional.empty()).sound()).as("the fork is self-consistent").isTrue();
    BundleVerifier.Verdict verdict = verify(Optional.of(kept));
    assertThat(verdict.sound()).isFalse();
    assertThat(verdict.problem()).contains("fork").contains("size 40");
    assertThat(verdict.firstBadIndex()).isEqualTo(39);
  }

  @Test
  void aCheckpointSignedByAnotherKeyIsRefused() throws Exception {
    CheckpointSigner other = new CheckpointSigner(CheckpointTest.ORIGIN, SoftwareSignerStore.open(dir.resolve("other")).generate());
    AuditBundle bundle = export();
    BundleVerifier.Verdict verdict = new BundleVerifier(other.key()).verify(bundle, Optional.empty());
    assertThat(verdict.sound()).isFalse();
    assertThat(verdict.problem()).contains("does not verify");
  }
}

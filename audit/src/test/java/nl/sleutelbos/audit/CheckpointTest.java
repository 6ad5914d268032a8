package nl.sleutelbos.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import nl.sleutelbos.identity.SoftwareSignerStore;
import nl.sleutelbos.store.EntityStore;
import nl.sleutelbos.store.StoreConfig;
import nl.sleutelbos.store.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signed checkpoints: the C2SP note format, ECDSA signatures through the signer handle, issuing policy. */
class CheckpointTest {
  static final String ORIGIN = "sleutelbos.example/audit";

  @TempDir Path dir;
  private EntityStore store;
  private StoredAuditLog log;
  private CheckpointSigner signer;
  private MutableClock clock;

  static final class MutableClock extends Clock {
    Instant now = Instant.parse("2026-11-26T12:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  @BeforeEach
  void open() {
    store = Stores.open(new StoreConfig.Sqlite(dir.resolve("db/sleutelbos.db")));
    log = StoredAuditLog.open(store.audit());
    signer = new CheckpointSigner(ORIGIN, SoftwareSignerStore.open(dir.resolve("keys")).generate());
    clock = new MutableClock();
  }

  @AfterEach
  void close() {
    log.close();
    store.close();
  }

  private void append(int n) throws AuditException {
    for (int i = 0; i < n; i++) {
      log.append(StoredAuditLogContract.event("policy.change", i));
    }
  }

  @Test
  void aCheckpointIsASignedNoteInTheTlogCheckpointForm() throws Exception {
    append(3);
    SignedNote note = signer.sign(new Checkpoint(ORIGIN, 3, log.root(3)));
    String text = note.format();

    String[] lines = text.split("\n", -1);
    assertThat(lines[0]).isEqualTo(ORIGIN);
    assertThat(lines[1]).isEqualTo("3");
    assertThat(java.util.Base64.getDecoder().decode(lines[2])).isEqualTo(log.root(3));
    assertThat(lines[3]).isEmpty();
    assertThat(lines[4]).startsWith("\u2014 " + ORIGIN + " ");
    assertThat(lines).hasSize(6);

    Checkpoint checkpoint = new NoteVerifier(signer.key()).verifyCheckpoint(SignedNote.parse(text));
    assertThat(checkpoint).isEqualTo(new Checkpoint(ORIGIN, 3, log.root(3)));
  }

  @Test
  void theKeyIdIsTheTruncatedHashOfTheDerPublicKeyAndTheVerifierKeyRoundTrips() {
    NoteKey key = signer.key();
    byte[] hash = TreeHash.sha256(key.publicKey().getEncoded());
    assertThat(key.keyId()).isEqualTo(java.nio.ByteBuffer.wrap(hash, 0, 4).getInt());
    assertThat(NoteKey.parse(key.verifierKey())).isEqualTo(key);
    String wrongId = key.verifierKey().replaceFirst("\\+[0-9a-f]{8}\\+", "+00000000+");
    assertThatThrownBy(() -> NoteKey.parse(wrongId)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aChangedCheckpointOrAnotherKeyIsRefused() throws Exception {
    append(2);
    SignedNote note = signer.sign(new Checkpoint(ORIGIN, 2, log.root(2)));
    NoteVerifier verifier = new NoteVerifier(signer.key());

    SignedNote resized = SignedNote.parse(note.format().replaceFirst("\n2\n", "\n1\n"));
    assertThatThrownBy(() -> verifier.verifyCheckpoint(resized))
        .isInstanceOf(CheckpointException.class).hasMessageContaining("does not verify");

    CheckpointSigner other = new CheckpointSigner(ORIGIN, SoftwareSignerStore.open(dir.resolve("other")).generate());
    SignedNote byOther = other.sign(new Checkpoint(ORIGIN, 2, log.root(2)));
    assertThatThrownBy(() -> verifier.verifyCheckpoint(byOther))
        .isInstanceOf(CheckpointException.class).hasMessageContaining("no signature by");

    // A signature by an unknown key beside the trusted one is ignored, as the spec requires.
    SignedNote both = new SignedNote(note.text(), List.of(byOther.signatures().get(0), note.signatures().get(0)));
    assertThat(verifier.verifyCheckpoint(both).treeSize()).isEqualTo(2);
  }

  @Test
  void checkpointsAreIssuedOnDemandAndKeptAsHistory() throws Exception {
    Checkpointer checkpointer = new Checkpointer(log, store.audit(), signer, Duration.ofMinutes(1), 100, clock);
    append(4);
    SignedNote first = checkpointer.issue();
    assertThat(checkpointer.issue().format()).as("nothing new appended").isEqualTo(first.format());
    append(3);
    SignedNote second = checkpointer.issue();

    NoteVerifier verifier = new NoteVerifier(signer.key());
    assertThat(verifier.verifyCheckpoint(first).treeSize()).isEqualTo(4);
    assertThat(verifier.verifyCheckpoint(second).treeSize()).isEqualTo(7);
    assertThat(checkpointer.history()).extracting(SignedNote::format).containsExactly(first.format(), second.format());
    assertThat(checkpointer.latest()).map(SignedNote::format).contains(second.format());
  }

  @Test
  void checkpointsAreIssuedAfterEnoughEntriesOrEnoughTime() throws Exception {
    Checkpointer checkpointer = new Checkpointer(log, store.audit(), signer, Duration.ofSeconds(30), 5, clock);
    append(4);
    checkpointer.tick();
    assertThat(checkpointer.history()).as("4 entries, no time passed").isEmpty();

    append(1);
    checkpointer.tick();
    assertThat(checkpointer.history()).as("5 entries").hasSize(1);

    append(1);
    clock.now = clock.now.plusSeconds(29);
    checkpointer.tick();
    assertThat(checkpointer.history()).as("1 entry, 29 s").hasSize(1);
    clock.now = clock.now.plusSeconds(1);
    checkpointer.tick();
    assertThat(checkpointer.history()).as("1 entry, 30 s").hasSize(2);

    clock.now = clock.now.plusSeconds(60);
    checkpointer.tick();
    assertThat(checkpointer.history()).as("no entry, 60 s").hasSize(2);
  }
}

package nl.sleutelbos.audit;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import nl.sleutelbos.store.AuditStorage;

/**
 * Issues signed checkpoints of the log: on demand, and on its own once {@code everyEntries} new
 * entries have been appended or {@code every} has passed with any new entry since the last one.
 * Every checkpoint is kept, so an auditor can ask for the history and check that each one extends
 * the one before. An unchanged log gets no new checkpoint: the latest one still holds.
 */
public final class Checkpointer implements AutoCloseable {
  private final StoredAuditLog log;
  private final AuditStorage storage;
  private final CheckpointSigner signer;
  private final Duration every;
  private final long everyEntries;
  private final Clock clock;
  private ScheduledExecutorService schedule;
  private Instant lastIssued;

  public Checkpointer(StoredAuditLog log, AuditStorage storage, CheckpointSigner signer,
      Duration every, long everyEntries, Clock clock) {
    this.log = requireNonNull(log, "log is null");
    this.storage = requireNonNull(storage, "storage is null");
    this.signer = requireNonNull(signer, "signer is null");
    this.every = requireNonNull(every, "every is null");
    this.clock = requireNonNull(clock, "clock is null");
    if (every.isNegative() || every.isZero()) {
      throw new IllegalArgumentException("every <= 0: " + every);
    }
    if (everyEntries < 1) {
      throw new IllegalArgumentException("everyEntries < 1: " + everyEntries);
    }
    this.everyEntries = everyEntries;
    this.lastIssued = clock.instant();
  }

  /** Starts issuing on its own; it looks at the log once a second, or every {@code every} if shorter. */
  public synchronized Checkpointer start() {
    if (schedule == null) {
      schedule = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("audit-checkpointer").daemon(true).unstarted(r));
      long tick = Math.min(every.toMillis(), 1000);
      schedule.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
    }
    return this;
  }

  // Package-private so tests drive the policy with their own clock instead of waiting.
  void tick() {
    try {
      long last = latestSize();
      long size = log.size();
      if (size - last >= everyEntries || size > last && !clock.instant().isBefore(lastIssued.plus(every))) {
        issue();
      }
    } catch (RuntimeException e) {
      // A failed tick (the store briefly unreachable) is retried on the next one.
    }
  }

  /** A checkpoint of the log as it is now, signed and kept; the latest one if nothing was appended since. */
  public synchronized SignedNote issue() {
    long size = log.size();
    Optional<AuditStorage.Checkpoint> latest = storage.latestCheckpoint();
    if (latest.isPresent() && latest.get().treeSize() == size) {
      return SignedNote.parse(latest.get().note());
    }
    SignedNote note = signer.sign(new Checkpoint(signer.key().name(), size, log.root(size)));
    storage.addCheckpoint(new AuditStorage.Checkpoint(size, note.format()));
    lastIssued = clock.instant();
    return note;
  }

  /** The latest checkpoint kept, if any was issued. */
  public Optional<SignedNote> latest() {
    return storage.latestCheckpoint().map(c -> SignedNote.parse(c.note()));
  }

  /** Every checkpoint kept, by tree size. */
  public List<SignedNote> history() {
    return storage.checkpoints().stream().map(c -> SignedNote.parse(c.note())).toList();
  }

  public NoteKey key() {
    return signer.key();
  }

  private long latestSize() {
    return storage.latestCheckpoint().map(AuditStorage.Checkpoint::treeSize).orElse(0L);
  }

  @Override
  public synchronized void close() {
    if (schedule != null) {
      schedule.shutdownNow();
    }
  }
}

package nl.sleutelbos.app.ingest;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import nl.sleutelbos.ngsild.entity.EntityService;
import nl.sleutelbos.store.Derived;
import nl.sleutelbos.store.DocumentStore;
import nl.sleutelbos.store.EntityChange;
import nl.sleutelbos.store.Outcome;
import nl.sleutelbos.store.ReadingStore;
import nl.sleutelbos.store.Selector;
import nl.sleutelbos.store.StoredEntity;

/**
 * The meters' latest values on their {@code Device} entities, a read model of the reading store:
 * a follower reads the readings stored since its durable cursor, keeps each meter's newest, and
 * writes each meter's entity once per pass (a meter that sent ten telegrams since the last pass
 * gets one write), with the M-Bus devices' entities and their history beside. The entity lags the
 * readings by at most one pass; the lag is measured ({@link #lag()}).
 *
 * <p>Replaying a pass after a crash between its write and its cursor is harmless: a reading no
 * newer than the entity's {@code dateLastValueReported} changes nothing.
 */
public final class LatestValues implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(LatestValues.class.getName());
  private static final String CURSOR = "ingest-latest-values";
  /**
   * Meters per pass: bounds a pass's memory (one reading held per meter). A pass reads on, page by
   * page, until it has this many meters or MAX_READINGS readings, so a backlog of many telegrams
   * per meter (a burst, a restart) costs one entity write per meter rather than one per page.
   */
  static final int METERS = 50_000;
  /** Readings read per statement. */
  private static final int PAGE = 50_000;
  /** Readings per pass at most: bounds how long a pass takes, and so the lag. */
  private static final int MAX_READINGS = 1_000_000;
  /** Entities per write transaction. */
  private static final int CHUNK = 500;
  /** No readings committed for this long: ingest has gone quiet and the writer is free. */
  private static final long QUIET = 250_000_000L;

  private final ReadingStore readings;
  private final EntityService entities;
  private final DocumentStore documents;
  private final Clock clock;
  private final Duration idle;
  private final Duration minInterval;
  private final ShownDevices shown = new ShownDevices(Ingest.STATES);
  private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
  private final AtomicLong cpuNanos = new AtomicLong();
  private final AtomicLong lagMicros = new AtomicLong();
  private final AtomicLong maxLagMicros = new AtomicLong();
  /** {@link System#nanoTime()} of the last commit of readings ({@link #wake}). */
  private volatile long lastCommit = System.nanoTime() - QUIET;
  private volatile boolean closed;
  private volatile Thread follower;

  /**
   * @param idle how long to wait when there was nothing to show (a new commit wakes it earlier)
   * @param minInterval the least time from the start of one pass to the next
   */
  public LatestValues(EntityService entities, DocumentStore documents, Clock clock, Duration idle,
      Duration minInterval) {
    this.entities = requireNonNull(entities, "entities is null");
    this.readings = entities.store().readings();
    this.documents = requireNonNull(documents, "documents is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.idle = requireNonNull(idle, "idle is null");
    this.minInterval = requireNonNull(minInterval, "minInterval is null");
  }

  /** Follows the readings in the background until closed. */
  public LatestValues start() {
    follower = Thread.ofPlatform().daemon(true).name("ingest latest values").start(this::follow);
    return this;
  }

  /** Says new readings are stored: the follower's next pass starts now rather than after its idle wait. */
  void wake() {
    lastCommit = System.nanoTime();
    Thread t = follower;
    if (t != null) {
      LockSupport.unpark(t);
    }
  }

  /**
   * How far behind the readings the entities were after the last pass: the time from storing the
   * newest reading it wrote to the end of its write. {@code max} since start, or the last pass's.
   */
  public Duration lag(boolean max) {
    return Duration.ofNanos((max ? maxLagMicros : lagMicros).get() * 1_000);
  }

  public Duration lag() {
    return lag(false);
  }

  /*
   * Passes are spaced by at least minInterval, and by three times the time the last pass took: the
   * longer the wait, the more telegrams per meter a pass coalesces into one write, and the
   * follower never takes more than about a quarter of the time (on SQLite, of the one writer the
   * readings go through too). A meter read by id does not wait for it (FreshMeters); queries over
   * entities do, which is why it is not spaced further (a fifth of the time, tried, doubled their
   * lag under load). Under a burst the lag grows to about four passes; a pass holds at most METERS
   * meters' readings, so it stays bounded in memory and the next one follows on. The spacing holds only
   * while readings keep coming: once none has been committed for QUIET, the next pass starts.
   */
  private void follow() {
    while (!closed) {
      try {
        long started = System.nanoTime();
        long cpu = THREADS.getCurrentThreadCpuTime();
        int n = catchUp();
        cpuNanos.addAndGet(THREADS.getCurrentThreadCpuTime() - cpu);
        long took = System.nanoTime() - started;
        if (n == 0) {
          LockSupport.parkNanos(idle.toNanos());
        } else {
          long until = started + Math.max(minInterval.toNanos(), 3 * took);
          long rest;
          // Waiting on after ingest went quiet would only keep the entities stale: a burst's last
          // passes used to wait out three times a long pass after the telegrams had stopped.
          while (!closed && (rest = until - System.nanoTime()) > 0 && System.nanoTime() - lastCommit < QUIET) {
            LockSupport.parkNanos(Math.min(rest, QUIET));
          }
        }
      } catch (RuntimeException | OutOfMemoryError e) {
        // Out of memory too: a pass's objects are garbage once it unwinds, and a follower that died
        // would leave every entity stale until a restart, with nothing but this log to say so.
        if (closed) {
          return;
        }
        LOG.log(Level.WARNING, "ingest: cannot write the meters' latest values, retrying: " + e.getMessage(), e);
        LockSupport.parkNanos(idle.multipliedBy(10).toNanos());
      }
    }
  }

  /** Whether every stored reading has been written to its meter's entity (what queries over entities see). */
  public boolean caughtUp() {
    long cursor = documents.get(CURSOR, "next").map(Long::parseLong).orElse(0L);
    return readings.since(cursor, 1).isEmpty();
  }

  /** CPU time the follower's thread spent (its SQLite writes run on the store's writer, not counted here). */
  public Duration cpu() {
    return Duration.ofNanos(cpuNanos.get());
  }

  /** One pass: writes the latest values of the readings not yet shown; returns how many readings it read. */
  public int catchUp() {
    long cursor = documents.get(CURSOR, "next").map(Long::parseLong).orElse(0L);
    // The newest reading of each meter, and every M-Bus value the pass's readings relayed. Only the
    // newest readings' measures are decoded, one chunk at a time, when their entities are written.
    Map<String, ReadingStore.Reading> newest = new LinkedHashMap<>();
    Map<String, Map<String, List<Reading.SubMeter>>> devices = new LinkedHashMap<>();
    Instant newestStored = Instant.EPOCH;
    int read = 0;
    List<ReadingStore.Stored> page;
    do {
      page = readings.since(cursor, PAGE);
      if (!page.isEmpty()) {
        cursor = page.getLast().sequence();
      }
      read += page.size();
      newestStored = newest(page, newest, devices, newestStored);
    } while (page.size() == PAGE && newest.size() < METERS && read < MAX_READINGS && !closed);
    if (read == 0) {
      return 0;
    }
    Instant now = clock.instant();
    // An M-Bus value is relayed in every telegram until the device's next reading (gas: hourly):
    // a device whose newest value is already shown, through the same meter, needs no write.
    for (Map.Entry<String, Map<String, List<Reading.SubMeter>>> d : devices.entrySet()) {
      d.getValue().entrySet().removeIf(x -> !shown.isNew(x.getKey(), d.getKey(), x.getValue()));
    }
    // One change per entity, worked out and written CHUNK entities at a time: a pass over many new
    // meters must not hold every entity's document at once (a pass of 50,000 new meters held
    // ~450 MB that way and ran a 512 MB heap out of memory).
    List<Work> work = new ArrayList<>(newest.size() + devices.size());
    for (Map.Entry<String, ReadingStore.Reading> e : newest.entrySet()) {
      String meter = e.getKey();
      ReadingStore.Reading r = e.getValue();
      work.add(new Work(MeterModel.meterEntityId(meter),
          current -> project(current, meter, r, ReadingCodec.decode(r.values()), now)));
    }
    for (Map.Entry<String, Map<String, List<Reading.SubMeter>>> e : devices.entrySet()) {
      String meter = e.getKey();
      for (Map.Entry<String, List<Reading.SubMeter>> d : e.getValue().entrySet()) {
        List<Reading.SubMeter> values = d.getValue();
        work.add(new Work(MeterModel.meterEntityId(d.getKey()),
            current -> MeterModel.applySubMeter(current, meter, values, now)));
      }
    }
    for (int from = 0; from < work.size(); from += CHUNK) {
      if (closed) {
        return 0; // stopping: the cursor stays, the next start shows this pass again
      }
      write(work.subList(from, Math.min(work.size(), from + CHUNK)));
    }
    devices.forEach((meter, d) -> d.forEach((device, values) -> shown.remember(device, meter, values)));
    documents.put(CURSOR, "next", Long.toString(cursor));
    long lag = ReadingCodec.micros(clock.instant()) - ReadingCodec.micros(newestStored);
    lagMicros.set(lag);
    maxLagMicros.accumulateAndGet(lag, Math::max);
    return read;
  }

  /**
   * Keeps each meter's newest reading of the page in {@code newest}, and every M-Bus value in
   * {@code devices}; returns the latest storage time seen.
   */
  private static Instant newest(List<ReadingStore.Stored> page, Map<String, ReadingStore.Reading> newest,
      Map<String, Map<String, List<Reading.SubMeter>>> devices, Instant newestStored) {
    for (ReadingStore.Stored s : page) {
      ReadingStore.Reading r = s.reading();
      if (r.storedAt().isAfter(newestStored)) {
        newestStored = r.storedAt();
      }
      ReadingStore.Reading held = newest.get(r.meterId());
      if (held == null || r.observedAt().isAfter(held.observedAt())) {
        newest.put(r.meterId(), r);
      }
      List<Reading.SubMeter> subMeters = ReadingCodec.subMeters(r.values());
      if (!subMeters.isEmpty()) {
        for (Reading.SubMeter m : subMeters) {
          List<Reading.SubMeter> values = devices.computeIfAbsent(r.meterId(), k -> new LinkedHashMap<>())
              .computeIfAbsent(m.equipmentId(), k -> new ArrayList<>());
          // Relayed again in every telegram until the device's next value: held once, or a pass of
          // many telegrams per meter would hold a value per telegram.
          if (values.isEmpty() || !values.getLast().time().equals(m.time())) {
            values.add(m);
          }
        }
      }
    }
    return newestStored;
  }

  /** An entity's new state, as a function of its current one. */
  private record Work(String entityId, Function<Optional<StoredEntity>, Outcome> change) {}

  /**
   * Writes one chunk in one transaction, so the readings' inserts are not held up behind one long
   * write (on SQLite both go through the one writer). Each entity's new state is worked out here,
   * off the store's writer; in the transaction the mutation only checks that the entity is as it
   * was read, or works it out again.
   */
  private void write(List<Work> chunk) {
    Set<String> ids = new HashSet<>();
    chunk.forEach(w -> ids.add(w.entityId()));
    Map<String, StoredEntity> seen = new HashMap<>();
    entities.store().scan(Ingest.TENANT, new Selector(ids, Set.of()), e -> {
      seen.put(e.id(), e);
      return true;
    });
    List<EntityChange> changes = new ArrayList<>(chunk.size());
    for (Work w : chunk) {
      Optional<StoredEntity> before = Optional.ofNullable(seen.get(w.entityId()));
      Outcome planned = plan(() -> w.change().apply(before));
      changes.add(new EntityChange(w.entityId(), current -> planned != null && same(current, before) ? planned
          : w.change().apply(current)));
    }
    List<Outcome> outcomes = entities.apply(Ingest.TENANT, changes);
    for (int i = 0; i < outcomes.size(); i++) {
      if (outcomes.get(i) instanceof Outcome.Rejected refused) {
        // An entity edited into a shape the model cannot read: its readings stay, its latest values wait.
        LOG.warning("ingest: cannot write the latest values of " + changes.get(i).entityId() + ": "
            + refused.reason().getMessage());
      }
    }
  }

  /**
   * The newest value time (and meter) shown on each M-Bus device's entity, for the devices seen
   * last (a bounded LRU map). Only the follower thread uses it. A device not held is written,
   * which is always right, only not always needed.
   */
  private static final class ShownDevices {
    private record Shown(String meter, Instant time) {}

    private final int capacity;
    private final LinkedHashMap<String, Shown> shown = new LinkedHashMap<>(1024, 0.75f, true);

    ShownDevices(int capacity) {
      this.capacity = capacity;
    }

    boolean isNew(String device, String meter, List<Reading.SubMeter> values) {
      Shown s = shown.get(device);
      if (s == null || !s.meter().equals(meter)) {
        return true;
      }
      return values.stream().anyMatch(v -> v.time().isAfter(s.time()));
    }

    void remember(String device, String meter, List<Reading.SubMeter> values) {
      Instant newest = values.stream().map(Reading.SubMeter::time).max(Instant::compareTo).orElseThrow();
      Shown s = shown.get(device);
      if (s == null || newest.isAfter(s.time())) {
        shown.put(device, new Shown(meter, newest));
      }
      while (shown.size() > capacity) {
        shown.pollFirstEntry();
      }
    }
  }

  /**
   * The meter's entity with the reading's values as its latest; unchanged if it is not newer. A
   * meter's existing document is rewritten in one streaming pass ({@link MeterDocument}); a new
   * meter, or a document that pass does not read, goes through the model's tree
   * ({@link MeterModel#applyMeter}), which defines the result.
   */
  static Outcome project(Optional<StoredEntity> current, String meter, ReadingStore.Reading r,
      ReadingCodec.Values values, Instant now) {
    List<String> flags = QualityBits.names(r.flags());
    if (current.isPresent()) {
      StoredEntity stored = current.get();
      switch (MeterDocument.rewrite(stored.document(), r.observedAt(), values.measures(), flags, now)) {
        case MeterDocument.Rewrite.Written w -> {
          return new Outcome.Put(new StoredEntity(stored.id(), stored.types(), stored.createdAt(), now, w.document()),
              Derived.NONE.withoutHistory());
        }
        case MeterDocument.Rewrite.NotNewer n -> {
          return Outcome.unchanged();
        }
        case MeterDocument.Rewrite.Unexpected u -> {
          // the tree path below: it is the definition, and says what is wrong
        }
      }
    }
    Reading reading = new Reading(0, meter, r.observedAt(), r.receivedAt(), values.measures(), List.of(), null);
    Outcome outcome = MeterModel.applyMeter(current, meter, List.of(MeterModel.prepare(meter, reading, now)),
        (x, before) -> flags, now, new TelegramResult[1]);
    return outcome;
  }

  private static Outcome plan(java.util.function.Supplier<Outcome> work) {
    try {
      return work.get();
    } catch (RuntimeException e) {
      return null; // worked out again in the store, which rejects this entity's change alone
    }
  }

  private static boolean same(Optional<StoredEntity> current, Optional<StoredEntity> before) {
    if (current.isEmpty() || before.isEmpty()) {
      return current.isEmpty() && before.isEmpty();
    }
    StoredEntity a = current.get();
    StoredEntity b = before.get();
    return a == b || a.modifiedAt().equals(b.modifiedAt()) && a.document().equals(b.document());
  }

  @Override
  public void close() {
    closed = true;
    Thread t = follower;
    if (t != null) {
      LockSupport.unpark(t);
      try {
        t.join(Duration.ofSeconds(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}

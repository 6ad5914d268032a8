package nl.sleutelbos.custody;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import nl.sleutelbos.store.CustodyStorage;
import nl.sleutelbos.store.CustodyStorage.CampaignRecord;
import nl.sleutelbos.store.CustodyStorage.DeviceFilter;

/**
 * A rotation campaign: the chosen roles of every device a {@link Selection} admits are rotated
 * ({@link Rotation}: generated, wrapped for delivery, stored NEW, handed to the channel).
 *
 * <p>Devices are taken in id order, in chunks of {@code chunkSize}. Each of {@code workers} HSM
 * threads prepares whole chunks (one read of the chunk's keys, then each device's HSM steps in
 * one custody call, on the thread's session); one commit thread stores each prepared chunk's new
 * keys in one transaction, records it, then delivers — so the HSM works on the next chunk while
 * the last one is written. The
 * durable cursor is the last device of the longest run of finished chunks from the start; it is
 * saved after each chunk. A crash or a stop redoes at most {@code 2 × workers} chunks, which
 * {@link Rotation} makes harmless: a pending NEW key is delivered again, never replaced.
 *
 * <p>Statuses: RUNNING; PAUSED by {@link #pause}; PAUSED_HSM_UNAVAILABLE when custody fails as
 * {@code UNAVAILABLE} (the reason is kept); FAILED for any other failure (the reason is kept);
 * COMPLETED. {@link #run} resumes every status but COMPLETED from the cursor. The campaign never
 * activates a key: acknowledgements arrive through {@link Rotation#acknowledge}.
 */
public final class Campaign {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Where a campaign stands. */
  public enum Status { RUNNING, PAUSED, PAUSED_HSM_UNAVAILABLE, FAILED, COMPLETED }

  /**
   * Which devices: those with keys, narrowed by their device record (supplier, batch, region)
   * and by provenance (a device with an ACTIVE key of that provenance; then only such roles are
   * replaced). Empty means any.
   */
  public record Selection(Optional<String> supplier, Optional<String> batch, Optional<String> region, Optional<Provenance> provenance) {
    public Selection {
      requireNonNull(supplier, "supplier is null");
      requireNonNull(batch, "batch is null");
      requireNonNull(region, "region is null");
      requireNonNull(provenance, "provenance is null");
    }

    public static Selection all() {
      return new Selection(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public static Selection supplier(String supplier) {
      return all().withSupplier(supplier);
    }

    public static Selection batch(String batch) {
      return new Selection(Optional.empty(), Optional.of(batch), Optional.empty(), Optional.empty());
    }

    public static Selection region(String region) {
      return new Selection(Optional.empty(), Optional.empty(), Optional.of(region), Optional.empty());
    }

    /** Every key of this provenance, e.g. every FACTORY_IMPORTED key (a takeover). */
    public static Selection provenance(Provenance provenance) {
      return new Selection(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(provenance));
    }

    public Selection withSupplier(String value) {
      return new Selection(Optional.of(value), batch, region, provenance);
    }

    public Selection withProvenance(Provenance value) {
      return new Selection(supplier, batch, region, Optional.of(value));
    }

    DeviceFilter filter() {
      return new DeviceFilter(supplier, batch, region, provenance.map(Enum::name),
          provenance.map(p -> KeyState.ACTIVE.name()));
    }
  }

  /** What a campaign is: kept with its progress, so it can be resumed after a restart. */
  public record Definition(Selection selection, Set<KeyRole> roles, String storageKek) {
    public Definition {
      requireNonNull(selection, "selection is null");
      requireNonNull(storageKek, "storageKek is null");
      roles = Set.copyOf(roles);
      if (roles.isEmpty()) {
        throw new IllegalArgumentException("a campaign rotates at least one role");
      }
    }
  }

  /** Progress as persisted; {@code cursor} is the last device done ("" before the first). */
  public record Progress(String id, Status status, String cursor, long devicesDone, long devicesTotal, long devicesSkipped,
      long keysDelivered, String reason) {}

  private final String id;
  private final Definition definition;
  private final KeyHandle storageKek;
  private final Rotation rotation;
  private final CustodyStorage storage;
  private final int chunkSize;
  private final int workers;
  private final AtomicBoolean running = new AtomicBoolean();
  private volatile boolean pauseRequested;

  public Campaign(String id, Selection selection, Set<KeyRole> roles, KeyHandle storageKek, Rotation rotation, int chunkSize, int workers) {
    if (chunkSize < 1) {
      throw new IllegalArgumentException("chunkSize < 1: " + chunkSize);
    }
    if (workers < 1) {
      throw new IllegalArgumentException("workers < 1: " + workers);
    }
    if (id.isBlank()) {
      throw new IllegalArgumentException("campaign id is blank");
    }
    this.id = id;
    this.definition = new Definition(selection, EnumSet.copyOf(roles), storageKek.label());
    this.storageKek = storageKek;
    this.rotation = rotation;
    this.storage = rotation.keys().storage();
    this.chunkSize = chunkSize;
    this.workers = workers;
  }

  /** The definition of a stored campaign, to build it again after a restart. */
  public static Optional<Definition> definition(KeyStore keys, String id) {
    return keys.storage().campaign(id).map(r -> readDefinition(r.spec()));
  }

  /** The progress of every stored campaign, by id. */
  public static List<Progress> all(KeyStore keys) {
    return keys.storage().campaigns().stream().map(Campaign::progress).toList();
  }

  /** The persisted progress; a campaign never run is RUNNING before its first device. */
  public Progress progress() {
    return storage.campaign(id).map(Campaign::progress).orElse(new Progress(id, Status.RUNNING, "", 0, 0, 0, 0, ""));
  }

  /**
   * Asks the campaign to stop after the chunks in progress; {@link #run} then returns PAUSED. A
   * campaign not running now is marked PAUSED at once (a COMPLETED one stays COMPLETED).
   */
  public void pause() {
    pauseRequested = true;
    if (!running.get()) {
      storage.campaign(id).filter(r -> !r.status().equals(Status.COMPLETED.name()))
          .ifPresent(r -> save(r, Status.PAUSED, r.cursor(), r.devicesDone(), r.devicesSkipped(), r.keysDelivered(), ""));
    }
  }

  /** Runs (or resumes) until every selected device has its keys delivered, a pause, or a failure. */
  public Progress run() {
    if (!running.compareAndSet(false, true)) {
      throw new IllegalStateException("campaign " + id + " is running already");
    }
    try {
      pauseRequested = false;
      return runFromCursor();
    } finally {
      running.set(false);
    }
  }

  private Progress runFromCursor() {
    CampaignRecord record = storage.campaign(id).orElseGet(() -> {
      Instant now = rotation.keys().now();
      return new CampaignRecord(id, writeDefinition(definition), Status.RUNNING.name(), "", 0,
          storage.countDevices(definition.selection().filter()), 0, 0, "", now, now);
    });
    if (!readDefinition(record.spec()).equals(definition)) {
      throw new CustodyException(CustodyException.Reason.INVALID, "campaign " + id + " exists with another definition");
    }
    if (record.status().equals(Status.COMPLETED.name())) {
      return progress(record);
    }
    String cursor = record.cursor();
    long done = record.devicesDone();
    long skipped = record.devicesSkipped();
    long delivered = record.keysDelivered();
    record = save(record, Status.RUNNING, cursor, done, skipped, delivered, "");

    Deque<Work> inFlight = new ArrayDeque<>();
    String fed = cursor;
    boolean exhausted = false;
    Throwable failure = null;
    boolean gap = false;
    AtomicBoolean stopping = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(workers, Thread.ofPlatform().name("campaign-" + id + "-hsm-", 0).daemon(true).factory());
    // Commits run on their own thread, so the HSM threads go on with the next chunk meanwhile.
    ExecutorService writer = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("campaign-" + id + "-commit").daemon(true).factory());
    try {
      while (true) {
        // Two chunks per worker in flight: a worker that finishes finds the next chunk queued, so
        // the HSM never waits while this thread saves the cursor or selects the next devices.
        while (failure == null && !pauseRequested && !exhausted && inFlight.size() < 2 * workers) {
          List<String> devices = storage.selectDevices(definition.selection().filter(), fed, chunkSize);
          if (devices.isEmpty()) {
            exhausted = true;
            break;
          }
          fed = devices.getLast();
          CompletableFuture<Rotation.Chunk> chunk = CompletableFuture
              .supplyAsync(() -> stopping.get() || pauseRequested ? null
                  : rotation.prepare(devices, definition.roles(), definition.selection().provenance(), storageKek), pool)
              // A pause or failure also drops prepared chunks not yet committed (their keys were never stored).
              .thenApplyAsync(prepared -> prepared == null || stopping.get() || pauseRequested ? null : rotation.commit(prepared)
                  .orElseGet(() -> rotation.rotateChunk(devices, definition.roles(), definition.selection().provenance(), storageKek)), writer);
          inFlight.add(new Work(devices, chunk));
        }
        if (failure != null || pauseRequested) {
          stopping.set(true); // chunks not started yet are skipped; the cursor stops before the first of them
        }
        Work head = inFlight.poll();
        if (head == null) {
          break;
        }
        try {
          Rotation.Chunk chunk = head.result().get();
          gap |= chunk == null;
          if (!gap) { // after a gap the cursor stays before it; later chunks are redone on resume, harmlessly
            cursor = head.devices().getLast();
            done += head.devices().size();
            skipped += chunk.withoutMaster().size();
            delivered += chunk.delivered().size();
            record = save(record, Status.RUNNING, cursor, done, skipped, delivered, "");
          }
        } catch (ExecutionException e) {
          gap = true;
          failure = failure == null ? e.getCause() : failure;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopping.set(true);
      failure = e;
    } finally {
      pool.shutdown(); // every chunk handed out has finished or was skipped, unless interrupted
      writer.shutdown();
    }
    if (failure instanceof CustodyException c && c.reason() == CustodyException.Reason.UNAVAILABLE) {
      return progress(save(record, Status.PAUSED_HSM_UNAVAILABLE, cursor, done, skipped, delivered, c.getMessage()));
    }
    if (failure != null) {
      return progress(save(record, Status.FAILED, cursor, done, skipped, delivered,
          failure instanceof InterruptedException ? "interrupted" : String.valueOf(failure.getMessage())));
    }
    // A pause can skip chunks already handed out (a gap) even when the selection was exhausted.
    if (pauseRequested && (!exhausted || gap)) {
      return progress(save(record, Status.PAUSED, cursor, done, skipped, delivered, "paused by request"));
    }
    return progress(save(record, Status.COMPLETED, cursor, done, skipped, delivered, ""));
  }

  private record Work(List<String> devices, Future<Rotation.Chunk> result) {}

  private CampaignRecord save(CampaignRecord r, Status status, String cursor, long done, long skipped, long delivered, String reason) {
    CampaignRecord next = new CampaignRecord(r.id(), r.spec(), status.name(), cursor, done, r.devicesTotal(), skipped, delivered,
        reason, r.created(), rotation.keys().now());
    storage.putCampaign(next);
    return next;
  }

  private static Progress progress(CampaignRecord r) {
    return new Progress(r.id(), Status.valueOf(r.status()), r.cursor(), r.devicesDone(), r.devicesTotal(), r.devicesSkipped(),
        r.keysDelivered(), r.reason());
  }

  private static String writeDefinition(Definition d) {
    ObjectNode o = JSON.createObjectNode();
    Selection s = d.selection();
    s.supplier().ifPresent(v -> o.put("supplier", v));
    s.batch().ifPresent(v -> o.put("batch", v));
    s.region().ifPresent(v -> o.put("region", v));
    s.provenance().ifPresent(v -> o.put("provenance", v.name()));
    d.roles().stream().sorted().forEach(r -> o.withArray("roles").add(r.name()));
    o.put("storageKek", d.storageKek());
    return o.toString();
  }

  private static Definition readDefinition(String spec) {
    try {
      JsonNode o = JSON.readTree(spec);
      Selection s = new Selection(text(o, "supplier"), text(o, "batch"), text(o, "region"), text(o, "provenance").map(Provenance::valueOf));
      Set<KeyRole> roles = EnumSet.noneOf(KeyRole.class);
      o.path("roles").forEach(r -> roles.add(KeyRole.valueOf(r.asText())));
      return new Definition(s, roles, o.path("storageKek").asText());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a stored campaign definition is not JSON", e);
    }
  }

  private static Optional<String> text(JsonNode o, String field) {
    return o.hasNonNull(field) ? Optional.of(o.get(field).asText()) : Optional.empty();
  }
}

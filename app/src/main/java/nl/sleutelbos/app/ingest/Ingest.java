package nl.sleutelbos.app.ingest;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import nl.sleutelbos.store.Selector;
import nl.sleutelbos.store.StoredEntity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import nl.sleutelbos.ngsild.entity.EntityService;
import nl.sleutelbos.store.EntityChange;
import nl.sleutelbos.store.Outcome;

/**
 * Meter readings in: telegrams are read, checked against who sent them, judged, and written as
 * NGSI-LD entities and history — a whole batch in one store transaction, through
 * {@link EntityService#apply} so the indexers (history, change feed) see every write.
 *
 * <p>A batch is not all-or-nothing for bad telegrams: each is accepted, accepted with flags,
 * repeated or rejected on its own, and everything accepted is committed before
 * {@link #commit} returns. If the commit itself fails, nothing of the batch is written, nothing
 * is counted, and the exception tells the caller to retry (HTTP 503; MQTT leaves the messages
 * unacknowledged for the broker to deliver again).
 */
public final class Ingest {
  /** Readings are kept in the default tenant: a meter's data has one home. */
  static final String TENANT = "";

  private final EntityService entities;
  private final Decoder decoder;
  private final MeterModel.Judge judge;
  private final Clock clock;
  private final IngestMetrics metrics = new IngestMetrics();

  Ingest(EntityService entities, Decoder decoder, MeterModel.Judge judge, Clock clock) {
    this.entities = requireNonNull(entities, "entities is null");
    this.decoder = requireNonNull(decoder, "decoder is null");
    this.judge = requireNonNull(judge, "judge is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /** Ingest of DSMR P1 telegrams, judged by the metering module's validator. */
  public static Ingest dsmr(EntityService entities, Clock clock) {
    return new Ingest(entities, new DsmrDecoder(), new DsmrJudge(), clock);
  }

  public IngestMetrics metrics() {
    return metrics;
  }

  /** Telegrams read and checked, not yet written. */
  public static final class Batch {
    private final TelegramResult[] results;
    private final Map<String, List<Reading>> byMeter;

    private Batch(TelegramResult[] results, Map<String, List<Reading>> byMeter) {
      this.results = results;
      this.byMeter = byMeter;
    }

    /** The telegrams refused because the sender may not write them (or named two meters). */
    public List<TelegramResult.Rejected> forbidden() {
      return Arrays.stream(results)
          .filter(r -> r instanceof TelegramResult.Rejected x && x.reason() == TelegramResult.Reason.FORBIDDEN)
          .map(r -> (TelegramResult.Rejected) r).toList();
    }

    public int size() {
      return results.length;
    }
  }

  /** Reads the telegrams and checks each against the sender's scope and the meter it claims. */
  public Batch prepare(List<Submission> submissions, MeterScope scope) {
    TelegramResult[] results = new TelegramResult[submissions.size()];
    Map<String, List<Reading>> byMeter = new LinkedHashMap<>();
    for (int i = 0; i < submissions.size(); i++) {
      Submission s = submissions.get(i);
      Reading reading;
      try {
        reading = decoder.decode(i, s.telegram(), s.receivedAt());
      } catch (Decoder.Refusal refusal) {
        Optional<String> meter = s.meterId().or(() -> Optional.ofNullable(refusal.meterId()));
        results[i] = new TelegramResult.Rejected(meter, refusal.reason(), refusal.getMessage());
        continue;
      }
      String meter = reading.meterId();
      if (s.meterId().isPresent() && !s.meterId().get().equals(meter)) {
        results[i] = new TelegramResult.Rejected(s.meterId(), TelegramResult.Reason.FORBIDDEN,
            "the telegram is from meter " + meter + ", not from " + s.meterId().get() + " as its sender says");
        continue;
      }
      if (!scope.permits(meter)) {
        results[i] = new TelegramResult.Rejected(Optional.of(meter), TelegramResult.Reason.FORBIDDEN,
            "this sender may not write the readings of meter " + meter);
        continue;
      }
      byMeter.computeIfAbsent(meter, k -> new ArrayList<>()).add(reading);
    }
    return new Batch(results, byMeter);
  }

  /**
   * The outcome worked out ahead, or null if working it out failed (an entity someone edited into
   * a shape the model cannot read): the mutation then runs in the store, which rejects that
   * change alone instead of failing the batch.
   */
  private static Outcome plan(java.util.function.Supplier<Outcome> work) {
    try {
      return work.get();
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Whether the entity is as it was read: same modification time, same document. */
  private static boolean sameState(Optional<StoredEntity> current, Optional<StoredEntity> before) {
    if (current.isEmpty() || before.isEmpty()) {
      return current.isEmpty() && before.isEmpty();
    }
    StoredEntity a = current.get();
    StoredEntity b = before.get();
    return a == b || a.modifiedAt().equals(b.modifiedAt()) && a.document().equals(b.document());
  }

  /** Counts telegrams refused before they reached a batch (an MQTT sender that may not write them). */
  public void count(List<TelegramResult> refused) {
    refused.forEach(metrics::count);
  }

  /** Counts the forbidden telegrams of a batch refused whole (HTTP 403); writes nothing. */
  public void refuse(Batch batch) {
    batch.forbidden().forEach(metrics::count);
  }

  /**
   * Writes the batch in one transaction and counts it.
   *
   * @return one result per telegram, in order
   * @throws nl.sleutelbos.store.StoreException if the commit failed: nothing was written or counted
   */
  public List<TelegramResult> commit(Batch batch) {
    Instant now = clock.instant();
    TelegramResult[] results = batch.results.clone();
    List<EntityChange> changes = new ArrayList<>();
    List<List<Integer>> slotsOfChange = new ArrayList<>();
    // Rejections of meters with nothing accepted still count on their quality entity.
    Map<String, List<Integer>> slotsByMeter = new LinkedHashMap<>();
    for (int i = 0; i < results.length; i++) {
      TelegramResult r = results[i];
      if (r != null && r.meterId().isPresent() && !(r instanceof TelegramResult.Rejected x
          && x.reason() == TelegramResult.Reason.FORBIDDEN)) {
        slotsByMeter.computeIfAbsent(r.meterId().get(), k -> new ArrayList<>()).add(i);
      }
    }
    // Each entity's new state is worked out here, on the caller's thread, from the state read
    // now; the store's writer (one thread, on SQLite) then only checks that the entity is still
    // in that state and writes, or works it out again if another write came between.
    Set<String> ids = new HashSet<>();
    for (Map.Entry<String, List<Reading>> e : batch.byMeter.entrySet()) {
      ids.add(MeterModel.meterEntityId(e.getKey()));
      e.getValue().forEach(r -> r.subMeters().forEach(m -> ids.add(MeterModel.meterEntityId(m.equipmentId()))));
    }
    Map<String, StoredEntity> seen = new HashMap<>();
    entities.store().scan(TENANT, new Selector(ids, Set.of()), e -> {
      seen.put(e.id(), e);
      return true;
    });
    for (Map.Entry<String, List<Reading>> e : batch.byMeter.entrySet()) {
      String meter = e.getKey();
      List<Reading> readings = new ArrayList<>(e.getValue());
      readings.sort(Comparator.comparing(Reading::time));
      List<MeterModel.Prepared> prepared = readings.stream().map(r -> MeterModel.prepare(meter, r, now)).toList();
      List<Integer> slots = readings.stream().map(Reading::slot).toList();
      String id = MeterModel.meterEntityId(meter);
      Optional<StoredEntity> before = Optional.ofNullable(seen.get(id));
      Outcome planned = plan(() -> MeterModel.applyMeter(before, meter, prepared, judge, now, results));
      changes.add(new EntityChange(id, current -> planned != null && sameState(current, before) ? planned
          : MeterModel.applyMeter(current, meter, prepared, judge, now, results)));
      slotsOfChange.add(slots);
      slotsByMeter.computeIfAbsent(meter, k -> new ArrayList<>()).addAll(slots);
      Map<String, List<Reading.SubMeter>> devices = new LinkedHashMap<>();
      for (Reading r : readings) {
        for (Reading.SubMeter m : r.subMeters()) {
          devices.computeIfAbsent(m.equipmentId(), k -> new ArrayList<>()).add(m);
        }
      }
      for (Map.Entry<String, List<Reading.SubMeter>> d : devices.entrySet()) {
        String deviceId = MeterModel.meterEntityId(d.getKey());
        Optional<StoredEntity> deviceBefore = Optional.ofNullable(seen.get(deviceId));
        Outcome devicePlanned = plan(() -> MeterModel.applySubMeter(deviceBefore, meter, d.getValue(), now));
        changes.add(new EntityChange(deviceId, current -> devicePlanned != null && sameState(current, deviceBefore)
            ? devicePlanned
            : MeterModel.applySubMeter(current, meter, d.getValue(), now)));
        slotsOfChange.add(slots);
      }
    }
    // After the meters' changes in the same call, so the flags they found are known.
    for (Map.Entry<String, List<Integer>> e : slotsByMeter.entrySet()) {
      List<Integer> slots = e.getValue();
      changes.add(new EntityChange(MeterModel.qualityEntityId(e.getKey()), current -> MeterModel.applyQuality(
          current, e.getKey(), slots.stream().map(i -> results[i]).toList(), now)));
      slotsOfChange.add(List.of());
    }
    if (!changes.isEmpty()) {
      List<Outcome> outcomes = entities.apply(TENANT, changes);
      for (int c = 0; c < outcomes.size(); c++) {
        if (outcomes.get(c) instanceof Outcome.Rejected refused) {
          for (int slot : slotsOfChange.get(c)) {
            TelegramResult r = results[slot];
            results[slot] = new TelegramResult.Rejected(r == null ? Optional.empty() : r.meterId(),
                TelegramResult.Reason.STORE, "the store refused the meter's entity: " + refused.reason().getMessage());
          }
        }
      }
    }
    List<TelegramResult> out = Arrays.asList(results);
    out.forEach(metrics::count);
    return out;
  }
}

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
import com.fasterxml.jackson.databind.JsonNode;
import nl.sleutelbos.store.ReadingStore;
import nl.sleutelbos.metering.dsmr.Telegram;

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

  /**
   * Meters whose validation state is kept in memory: at most about 500 bytes each, measured before
   * {@code MeterStates} came to hold the validator's own state (smaller; not measured again).
   */
  static final int STATES = 250_000;

  private final EntityService entities;
  private final ReadingStore readings;
  private final MeterStates states = new MeterStates(STATES);
  private final LatestValues latest;
  private final Decoder decoder;
  private final DsmrJudge judge;
  private final Clock clock;
  private final IngestMetrics metrics = new IngestMetrics();

  Ingest(EntityService entities, ReadingStore readings, LatestValues latest, Decoder decoder, DsmrJudge judge,
      Clock clock) {
    this.entities = requireNonNull(entities, "entities is null");
    this.readings = requireNonNull(readings, "readings is null");
    this.latest = requireNonNull(latest, "latest is null");
    this.decoder = requireNonNull(decoder, "decoder is null");
    this.judge = requireNonNull(judge, "judge is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /** Ingest of DSMR P1 telegrams, judged by the metering module's validator. */
  public static Ingest dsmr(EntityService entities, LatestValues latest, DeviceWrites deviceWrites, Clock clock) {
    Ingest ingest = new Ingest(entities, entities.store().readings(), latest, new DsmrDecoder(), new DsmrJudge(), clock);
    deviceWrites.listen(ingest::capacityChanged);
    return ingest;
  }

  /** The projector that keeps the meters' entities' latest values. */
  public LatestValues latestValues() {
    return latest;
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
        reading = decoder.decode(i, s);
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

  /** Counts telegrams refused before they reached a batch (an MQTT sender that may not write them). */
  public void count(List<TelegramResult> refused) {
    refused.forEach(metrics::count);
  }

  /** Counts the forbidden telegrams of a batch refused whole (HTTP 403); writes nothing. */
  public void refuse(Batch batch) {
    batch.forbidden().forEach(metrics::count);
  }

  /**
   * Writes the batch's readings and the flags and rejections they bring to their meters'
   * {@code MeterDataQuality} counts in one transaction, and counts it.
   *
   * @return one result per telegram, in order
   * @throws nl.sleutelbos.store.StoreException if the commit failed: nothing was written or counted
   */
  public List<TelegramResult> commit(Batch batch) {
    Instant now = clock.instant();
    TelegramResult[] judged = batch.results.clone();
    Map<String, MeterStates.State> before = states.get(batch.byMeter.keySet(), this::load);
    Map<String, MeterStates.State> after = new HashMap<>();
    List<ReadingStore.Reading> rows = new ArrayList<>();
    List<Reading> rowReadings = new ArrayList<>();
    List<List<String>> rowFlags = new ArrayList<>();
    List<Boolean> rowLate = new ArrayList<>();
    for (Map.Entry<String, List<Reading>> e : batch.byMeter.entrySet()) {
      String meter = e.getKey();
      List<Reading> readings = new ArrayList<>(e.getValue());
      readings.sort(Comparator.comparing(Reading::time));
      MeterStates.State state = before.get(meter);
      for (Reading r : readings) {
        Optional<Instant> last = state.time();
        if (last.isPresent() && r.time().equals(last.get())) {
          judged[r.slot()] = new TelegramResult.Repeated(meter, r.time());
          continue;
        }
        // A late telegram (out of order, or delivered again) is judged on its own: what came
        // just before it is not at hand. If it is stored already, the insert leaves it be.
        boolean late = last.isPresent() && r.time().isBefore(last.get());
        Telegram telegram = (Telegram) r.source();
        List<String> flags = judge.flags(telegram, r.receivedAt(), late ? Optional.empty() : state.last(),
            state.capacity());
        rows.add(new ReadingStore.Reading(meter, r.time(), r.receivedAt(), now, QualityBits.of(flags),
            ReadingCodec.encode(r)));
        rowReadings.add(r);
        rowFlags.add(flags);
        rowLate.add(late);
        if (!late) {
          state = state.after(r.time(), DsmrJudge.registers(telegram));
        }
      }
      after.put(meter, state);
    }
    // The quality counts go in the readings' transaction, made of the results as they come out
    // once the store says which readings it stored: a telegram delivered again counts once, and a
    // crash loses both or neither.
    boolean[] stored = readings.insert(rows, TENANT,
        s -> qualityChanges(resolve(judged, s, rowReadings, rowFlags, rowLate), now));
    TelegramResult[] results = resolve(judged, stored, rowReadings, rowFlags, rowLate);
    states.remember(after);
    latest.wake();
    List<TelegramResult> out = Arrays.asList(results);
    out.forEach(metrics::count);
    return out;
  }

  /** The batch's results once the store has said which of its rows it stored. */
  private static TelegramResult[] resolve(TelegramResult[] judged, boolean[] stored, List<Reading> rowReadings,
      List<List<String>> rowFlags, List<Boolean> rowLate) {
    TelegramResult[] results = judged.clone();
    for (int i = 0; i < stored.length; i++) {
      Reading r = rowReadings.get(i);
      results[r.slot()] = stored[i] ? new TelegramResult.Accepted(r.meterId(), r.time(), rowFlags.get(i), rowLate.get(i))
          : new TelegramResult.Repeated(r.meterId(), r.time());
    }
    return results;
  }

  /**
   * The changes that count flags and rejections on the meters' {@code MeterDataQuality} entities
   * (none when the batch brought no flag or rejection).
   */
  private static List<EntityChange> qualityChanges(TelegramResult[] results, Instant now) {
    Map<String, List<TelegramResult>> byMeter = new LinkedHashMap<>();
    for (TelegramResult r : results) {
      boolean counted = r instanceof TelegramResult.Accepted a && !a.flags().isEmpty()
          || r instanceof TelegramResult.Rejected x && x.reason() != TelegramResult.Reason.FORBIDDEN;
      if (counted && r.meterId().isPresent()) {
        byMeter.computeIfAbsent(r.meterId().get(), k -> new ArrayList<>()).add(r);
      }
    }
    List<EntityChange> changes = new ArrayList<>(byMeter.size());
    for (Map.Entry<String, List<TelegramResult>> e : byMeter.entrySet()) {
      changes.add(new EntityChange(MeterModel.qualityEntityId(e.getKey()),
          current -> MeterModel.applyQuality(current, e.getKey(), e.getValue(), now)));
    }
    return changes;
  }

  /** The state of meters not in memory: their newest reading, and their entity's capacity. */
  private Map<String, MeterStates.State> load(java.util.Collection<String> meters) {
    Map<String, ReadingStore.Reading> newest = readings.latest(meters);
    Set<String> ids = new HashSet<>();
    meters.forEach(m -> ids.add(MeterModel.meterEntityId(m)));
    Map<String, MeterModel.Before> fromEntity = new HashMap<>();
    entities.store().scan(TENANT, new Selector(ids, Set.of()), e -> {
      fromEntity.put(e.id(), MeterModel.before(e));
      return true;
    });
    Map<String, MeterStates.State> out = new HashMap<>();
    for (String m : meters) {
      MeterModel.Before entity = fromEntity.get(MeterModel.meterEntityId(m));
      Optional<JsonNode> capacity = entity == null ? Optional.empty() : entity.capacity();
      ReadingStore.Reading r = newest.get(m);
      MeterStates.State state = new MeterStates.State(Optional.empty(), capacity);
      if (r != null) {
        List<Reading.Measure> registers = ReadingCodec.decode(r.values()).measures().stream()
            .filter(MeterStates::isRegister).toList();
        state = state.after(r.observedAt(), DsmrJudge.registers(registers));
      }
      // An entity newer than every reading: readings from before the reading store, kept on the entity.
      if (entity != null && entity.time().isPresent()
          && (state.time().isEmpty() || entity.time().get().isAfter(state.time().get()))) {
        state = state.after(entity.time().get(),
            DsmrJudge.registers(entity.latest().stream().filter(MeterStates::isRegister).toList()));
      }
      out.put(m, state);
    }
    return out;
  }

  /** Drops what is remembered of a meter whose entity someone changed (its connection capacity, say). */
  void capacityChanged(String meterId) {
    states.forget(meterId);
  }
}

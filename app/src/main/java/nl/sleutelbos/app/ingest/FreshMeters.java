package nl.sleutelbos.app.ingest;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import nl.sleutelbos.ngsild.entity.Entity;
import nl.sleutelbos.store.Outcome;
import nl.sleutelbos.store.ReadingStore;

/**
 * A meter's entity as it is read by id, with its newest reading shown even when the latest-values
 * projector ({@link LatestValues}) has not written it yet: the reading store is asked for the
 * meter's newest row (one probe of its key), and if that is newer than the entity's
 * {@code dateLastValueReported}, the entity is answered as the projector will write it — the same
 * {@link MeterModel} code, with the reading's storage time as the change time, so every read of
 * it gives the same answer. Nothing is written. So {@code GET /entities/{id}} of a meter is as
 * fresh as its readings, and the projector decides only how fresh queries over many entities are.
 */
public final class FreshMeters {
  private static final String PREFIX = MeterModel.meterEntityId("");

  private final ReadingStore readings;

  public FreshMeters(ReadingStore readings) {
    this.readings = requireNonNull(readings, "readings is null");
  }

  /** The entity with its meter's newest reading, if it is a meter's with a reading newer than it shows. */
  public Entity freshen(String tenant, Entity entity) {
    if (!tenant.equals(Ingest.TENANT) || !entity.id().startsWith(PREFIX)) {
      return entity;
    }
    String meter = entity.id().substring(PREFIX.length());
    Map<String, ReadingStore.Reading> newest = readings.latest(List.of(meter));
    ReadingStore.Reading r = newest.get(meter);
    if (r == null) {
      return entity;
    }
    Optional<java.time.Instant> shown = MeterModel.lastReported(entity.document());
    if (shown.isPresent() && !r.observedAt().isAfter(shown.get())) {
      return entity; // the common case once the projector has passed
    }
    Outcome outcome;
    try {
      outcome = LatestValues.project(Optional.of(entity.toStored()), meter, r, ReadingCodec.decode(r.values()),
          r.storedAt());
    } catch (RuntimeException e) {
      return entity; // an entity edited into a shape the model cannot read: as stored, as the projector leaves it
    }
    return outcome instanceof Outcome.Put put ? Entity.of(put.entity()) : entity;
  }
}

package nl.sleutelbos.app.ingest;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import nl.sleutelbos.store.AttributeInstance;
import nl.sleutelbos.store.History;
import nl.sleutelbos.store.ReadingStore;

/**
 * The temporal history of entities with the meters' readings in it: the store's {@link History},
 * plus, for a meter's {@code Device} entity ({@code urn:ngsi-ld:Device:<id>}, default tenant),
 * instances made from its reading rows — {@code observedAt} the telegram's time, createdAt and
 * modifiedAt the time it was stored, the attribute names, datasets and units of the entity's
 * latest values, and the validator's flags as a {@code dataQuality} sub-property. Instantaneous
 * values give an instance per telegram; registers and counts one when their value moved (a step
 * function, as before the reading store). Instance ids are a function of (attribute, dataset,
 * time), so they are stable across reads.
 *
 * <p>Reading instances are the telegrams' record: the temporal API cannot replace or delete them
 * one by one (those calls reach the store's own history only); deleting the entity's history, or
 * the retention sweep of type {@code Device} for all attributes, deletes readings too.
 * Aggregations (and the granularity caps of the policy, which work on them) see the readings like
 * any other history.
 */
public final class ReadingHistory implements History {
  private static final String PREFIX = MeterModel.meterEntityId("");
  private static final List<String> DEVICE = List.of(MeterModel.DEVICE);
  /** Readings read at most for a query on created or modified times (no index on those). */
  private static final int SYSTEM_TIME_SCAN = 1_000_000;

  private final History store;
  private final ReadingStore readings;

  public ReadingHistory(History store, ReadingStore readings) {
    this.store = requireNonNull(store, "store is null");
    this.readings = requireNonNull(readings, "readings is null");
  }

  private static Optional<String> meterOf(String tenant, String entityId) {
    return tenant.equals(Ingest.TENANT) && entityId.startsWith(PREFIX) && entityId.length() > PREFIX.length()
        ? Optional.of(entityId.substring(PREFIX.length())) : Optional.empty();
  }

  private boolean hasReadings(String meter) {
    return !readings.read(meter, Optional.empty(), Optional.empty(), 1, true).isEmpty();
  }

  @Override
  public boolean append(String tenant, String entityId, List<String> types, List<AttributeInstance> instances) {
    return store.append(tenant, entityId, types, instances);
  }

  @Override
  public Optional<Subject> subject(String tenant, String entityId) {
    Optional<Subject> kept = store.subject(tenant, entityId);
    if (kept.isPresent()) {
      return kept;
    }
    return meterOf(tenant, entityId).filter(this::hasReadings).map(m -> new Subject(entityId, DEVICE));
  }

  @Override
  public List<Subject> subjects(String tenant, Set<String> ids, Set<String> types, Optional<String> afterId, int limit) {
    List<Subject> kept = store.subjects(tenant, ids, types, afterId, limit);
    if (!tenant.equals(Ingest.TENANT) || !types.isEmpty() && !types.contains(MeterModel.DEVICE)) {
      return kept;
    }
    List<Subject> meters = new ArrayList<>();
    if (!ids.isEmpty()) {
      for (String id : new TreeSet<>(ids)) {
        if ((afterId.isEmpty() || id.compareTo(afterId.get()) > 0) && meterOf(tenant, id).filter(this::hasReadings)
            .isPresent()) {
          meters.add(new Subject(id, DEVICE));
        }
      }
    } else {
      Optional<String> after;
      if (afterId.isEmpty() || afterId.get().compareTo(PREFIX) < 0) {
        after = Optional.empty();
      } else if (afterId.get().startsWith(PREFIX)) {
        after = Optional.of(afterId.get().substring(PREFIX.length()));
      } else {
        return kept; // past every meter's id
      }
      for (String meter : readings.meters(after, limit)) {
        meters.add(new Subject(MeterModel.meterEntityId(meter), DEVICE));
      }
    }
    if (meters.isEmpty()) {
      return kept;
    }
    TreeMap<String, Subject> merged = new TreeMap<>();
    meters.forEach(s -> merged.put(s.id(), s));
    kept.forEach(s -> merged.put(s.id(), s));
    return merged.values().stream().limit(limit).toList();
  }

  @Override
  public List<AttributeInstance> read(String tenant, String entityId, Set<String> attributes, Span span,
      int limitPerAttribute, boolean latestFirst) {
    List<AttributeInstance> kept = store.read(tenant, entityId, attributes, span, limitPerAttribute, latestFirst);
    Optional<String> meter = meterOf(tenant, entityId);
    if (meter.isEmpty() || limitPerAttribute <= 0 || !attributes.isEmpty() && Collections.disjoint(attributes, IRIS)) {
      return kept;
    }
    List<AttributeInstance> fromReadings = instances(entityId, meter.get(), attributes, span, limitPerAttribute,
        latestFirst);
    if (fromReadings.isEmpty()) {
      return kept;
    }
    Map<String, List<AttributeInstance>> byAttribute = new TreeMap<>();
    for (AttributeInstance i : kept) {
      byAttribute.computeIfAbsent(i.attribute(), k -> new ArrayList<>()).add(i);
    }
    for (AttributeInstance i : fromReadings) {
      byAttribute.computeIfAbsent(i.attribute(), k -> new ArrayList<>()).add(i);
    }
    Comparator<AttributeInstance> order = Comparator.comparing(ReadingHistory::keyTime)
        .thenComparing(AttributeInstance::instanceId);
    if (latestFirst) {
      order = order.reversed();
    }
    List<AttributeInstance> out = new ArrayList<>();
    for (List<AttributeInstance> list : byAttribute.values()) {
      list.sort(order);
      out.addAll(list.subList(0, Math.min(limitPerAttribute, list.size())));
    }
    return out;
  }

  private static Instant keyTime(AttributeInstance i) {
    return i.observedAt().orElse(i.modifiedAt());
  }

  /** The expanded names of the attributes readings hold. */
  private static final Set<String> IRIS;

  static {
    Set<String> iris = new HashSet<>();
    ReadingCodec.DEFS.forEach(d -> iris.add(MeterModel.V + d.attribute()));
    IRIS = Set.copyOf(iris);
  }

  /**
   * The instances of the meter's readings in the span, oldest first (or newest first), from at
   * most {@code rows} readings.
   */
  private List<AttributeInstance> instances(String entityId, String meter, Set<String> attributes, Span span,
      int rows, boolean latestFirst) {
    List<ReadingStore.Reading> found;
    if (span.property() == TimeProperty.OBSERVED_AT) {
      found = new ArrayList<>(readings.read(meter, span.from(), span.until(), rows, latestFirst));
    } else {
      found = new ArrayList<>();
      for (ReadingStore.Reading r : readings.read(meter, Optional.empty(), Optional.empty(), SYSTEM_TIME_SCAN, latestFirst)) {
        if (span.from().map(f -> !r.storedAt().isBefore(f)).orElse(true)
            && span.until().map(u -> r.storedAt().isBefore(u)).orElse(true)) {
          found.add(r);
          if (found.size() == rows) {
            break;
          }
        }
      }
    }
    if (found.isEmpty()) {
      return List.of();
    }
    if (latestFirst) {
      Collections.reverse(found);
    }
    // The step functions start from the reading before the first one read.
    Optional<ReadingStore.Reading> previous = readings.read(meter, Optional.empty(),
        Optional.of(found.getFirst().observedAt()), 1, true).stream().findFirst();
    return instances(entityId, attributes, previous, found);
  }

  /** The instances of readings in time order; registers and counts only where they moved. */
  static List<AttributeInstance> instances(String entityId, Set<String> attributes,
      Optional<ReadingStore.Reading> previous, List<ReadingStore.Reading> ordered) {
    Map<String, Object> last = new HashMap<>();
    if (previous.isPresent()) {
      for (Reading.Measure m : ReadingCodec.decode(previous.get().values()).measures()) {
        last.put(m.code(), value(m));
      }
    }
    List<AttributeInstance> out = new ArrayList<>();
    for (ReadingStore.Reading r : ordered) {
      List<String> flags = QualityBits.names(r.flags());
      for (Reading.Measure m : ReadingCodec.decode(r.values()).measures()) {
        String iri = MeterModel.V + m.attribute();
        Object value = value(m);
        Object before = last.put(m.code(), value);
        boolean moved = before == null || !before.equals(value);
        if ((m.history() || moved || !flags.isEmpty()) && (attributes.isEmpty() || attributes.contains(iri))) {
          out.add(MeterModel.stored(entityId, iri, m, r.observedAt(), flags, r.storedAt()));
        }
      }
    }
    return out;
  }

  private static Object value(Reading.Measure m) {
    return m.value().isNumber() ? (Object) m.value().doubleValue() : m.value().asText();
  }

  @Override
  public List<Bucket> summarize(String tenant, String entityId, String attribute, Span span, Duration period,
      boolean distinct) {
    List<Bucket> kept = store.summarize(tenant, entityId, attribute, span, period, distinct);
    Optional<String> meter = meterOf(tenant, entityId);
    if (meter.isEmpty() || !IRIS.contains(attribute) || span.property() != TimeProperty.OBSERVED_AT
        || span.from().isEmpty() || span.until().isEmpty()) {
      return kept;
    }
    List<ReadingStore.Reading> found = readings.read(meter.get(), span.from(), span.until(), Integer.MAX_VALUE, false);
    if (found.isEmpty()) {
      return kept;
    }
    Optional<ReadingStore.Reading> previous = readings.read(meter.get(), Optional.empty(),
        Optional.of(found.getFirst().observedAt()), 1, true).stream().findFirst();
    Instant from = span.from().get();
    long periodMicros = Math.max(1, ReadingCodec.micros(Instant.EPOCH.plus(period)));
    TreeMap<Long, Sums> buckets = new TreeMap<>();
    for (Bucket b : kept) {
      buckets.put((ReadingCodec.micros(b.start()) - ReadingCodec.micros(from)) / periodMicros, Sums.of(b));
    }
    for (AttributeInstance i : instances(entityId, Set.of(attribute), previous, found)) {
      long slot = (ReadingCodec.micros(i.observedAt().orElseThrow()) - ReadingCodec.micros(from)) / periodMicros;
      buckets.computeIfAbsent(slot, k -> new Sums()).add(i);
    }
    List<Bucket> out = new ArrayList<>(buckets.size());
    for (Map.Entry<Long, Sums> e : buckets.entrySet()) {
      Instant start = from.plus(period.multipliedBy(e.getKey()));
      out.add(e.getValue().bucket(start, distinct));
    }
    return out;
  }

  /** A period's running numbers. */
  private static final class Sums {
    long count;
    long numbers;
    double sum;
    double sumsq;
    double min = Double.NaN;
    double max = Double.NaN;
    long distinctKept;
    final Set<Object> values = new HashSet<>();

    static Sums of(Bucket b) {
      Sums s = new Sums();
      s.count = b.count();
      s.numbers = b.numbers();
      s.sum = b.sum();
      s.sumsq = b.sumsq();
      s.min = b.min();
      s.max = b.max();
      s.distinctKept = Math.max(0, b.distinct());
      return s;
    }

    void add(AttributeInstance i) {
      count++;
      if (i.number().isPresent()) {
        double v = i.number().get();
        numbers++;
        sum += v;
        sumsq += v * v;
        min = Double.isNaN(min) ? v : Math.min(min, v);
        max = Double.isNaN(max) ? v : Math.max(max, v);
        values.add(v);
      } else {
        values.add(i.document());
      }
    }

    Bucket bucket(Instant start, boolean distinct) {
      return new Bucket(start, count, numbers, sum, sumsq, min, max, distinct ? distinctKept + values.size() : -1);
    }
  }

  @Override
  public boolean replace(String tenant, String entityId, String attribute, String instanceId,
      AttributeInstance replacement) {
    return store.replace(tenant, entityId, attribute, instanceId, replacement);
  }

  @Override
  public boolean deleteInstance(String tenant, String entityId, String attribute, String instanceId) {
    return store.deleteInstance(tenant, entityId, attribute, instanceId);
  }

  @Override
  public int deleteAttribute(String tenant, String entityId, String attribute, Optional<String> datasetId, boolean all) {
    return store.deleteAttribute(tenant, entityId, attribute, datasetId, all);
  }

  @Override
  public boolean deleteEntity(String tenant, String entityId) {
    boolean kept = store.deleteEntity(tenant, entityId);
    int deleted = meterOf(tenant, entityId).map(readings::delete).orElse(0);
    return kept || deleted > 0;
  }

  @Override
  public int expire(String tenant, String type, Optional<String> attribute, Instant before, int batch) {
    int n = store.expire(tenant, type, attribute, before, batch);
    if (n < batch && tenant.equals(Ingest.TENANT) && type.equals(MeterModel.DEVICE) && attribute.isEmpty()) {
      n += readings.expire(before, batch - n);
    }
    return n;
  }
}

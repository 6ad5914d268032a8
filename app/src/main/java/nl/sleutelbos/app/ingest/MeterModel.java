package nl.sleutelbos.app.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.ngsild.context.CoreContext;
import nl.sleutelbos.ngsild.entity.Entity;
import nl.sleutelbos.ngsild.temporal.Instances;
import nl.sleutelbos.store.AttributeInstance;
import nl.sleutelbos.store.Derived;
import nl.sleutelbos.store.Outcome;
import nl.sleutelbos.store.StoredEntity;

/**
 * Readings to NGSI-LD: the meter's entity ({@code urn:ngsi-ld:Device:<id>}, a Smart Data Models
 * {@code Device} with {@code category: ["meter"]}) with its latest values, its M-Bus devices'
 * entities, its {@code MeterDataQuality} counts, and the history instances made from a reading.
 *
 * <p>The entity holds the latest values as Properties with {@code unitCode} and {@code observedAt}
 * (the telegram's time), and {@code dateLastValueReported}, the time of the newest telegram shown;
 * {@link LatestValues} writes it from the reading store. Its history is the readings themselves
 * ({@link ReadingHistory}), one instance per measurement ({@link #stored}) with an id that is a
 * function of (attribute, dataset, time).
 */
final class MeterModel {
  static final String V = CoreContext.DEFAULT_VOCAB;
  static final String DEVICE = V + "Device";
  static final String QUALITY_TYPE = V + "MeterDataQuality";
  static final String CATEGORY = V + "category";
  static final String CONTROLLED = V + "controlledProperty";
  static final String SERIAL = V + "serialNumber";
  static final String LAST = V + "dateLastValueReported";
  static final String CAPACITY = V + "connectionCapacity";
  static final String DATA_QUALITY = V + "dataQuality";
  static final String REF_METER = V + "refMeter";
  static final String REF_DEVICE = V + "refDevice";

  private MeterModel() {}

  static String meterEntityId(String meterId) {
    return "urn:ngsi-ld:Device:" + meterId;
  }

  static String qualityEntityId(String meterId) {
    return "urn:ngsi-ld:MeterDataQuality:" + meterId;
  }

  /** What the validator knows about a meter before a telegram: its last kept reading and capacity. */
  record Before(Optional<Instant> time, List<Reading.Measure> latest, Optional<JsonNode> capacity) {}

  /**
   * What the meter's entity says of its newest reading (time and energy registers) and of its
   * connection's capacity.
   */
  static Before before(StoredEntity stored) {
    ObjectNode doc = Entity.of(stored).document();
    List<Reading.Measure> registers = new ArrayList<>(4);
    for (ReadingCodec.Def d : ReadingCodec.DEFS) {
      if (d.attribute().startsWith("energy")) {
        registers.add(new Reading.Measure(d.attribute(), d.datasetId(), d.code(), Json.NODES.nullNode(), d.unitCode(),
            d.history()));
      }
    }
    return new Before(time(doc, LAST), latest(doc, registers), capacity(doc));
  }

  /** The capacity the entity states, or null when it states none. */
  static JsonNode capacityOf(ObjectNode doc) {
    return capacity(doc).orElse(null);
  }

  /** Judges a telegram against what came before; returns its quality flags (empty: none). */
  @FunctionalInterface
  interface Judge {
    List<String> flags(Reading reading, Before before);
  }

  /** One telegram's latest-value instances, built before the store's transaction. */
  record Prepared(Reading reading, String[] iris, ObjectNode[] nodes) {}

  static Prepared prepare(String meterId, Reading r, Instant now) {
    int n = r.measures().size();
    String[] iris = new String[n];
    ObjectNode[] nodes = new ObjectNode[n];
    String observed = r.time().toString();
    String written = now.toString();
    for (int k = 0; k < n; k++) {
      Reading.Measure m = r.measures().get(k);
      iris[k] = V + m.attribute();
      nodes[k] = instance(m.value(), m.unitCode(), m.datasetId(), observed, List.of(), written, now);
    }
    return new Prepared(r, iris, nodes);
  }

  /** Stored instance documents without value (the number column holds it), by unit code. */
  private static final java.util.concurrent.ConcurrentHashMap<String, String> NUMERIC_DOCS =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * The history instance of one measure, in the form {@code Instances.stored} gives (times, datasetId
   * and instance id in columns, a number in its column), built directly: this is the hot path.
   */
  static AttributeInstance stored(String entityId, String iri, Reading.Measure m, Instant observedAt,
      List<String> flags, Instant now) {
    JsonNode value = m.value();
    Optional<Double> number = value.isNumber() && Double.isFinite(value.doubleValue())
        ? Optional.of(value.doubleValue()) : Optional.empty();
    String doc;
    if (flags.isEmpty() && number.isPresent()) {
      doc = NUMERIC_DOCS.computeIfAbsent(m.unitCode().orElse(""), u -> u.isEmpty() ? "{\"type\":\"Property\"}"
          : "{\"type\":\"Property\",\"unitCode\":" + Json.write(Json.NODES.textNode(u)) + "}");
    } else {
      ObjectNode d = Json.object();
      d.put("type", "Property");
      if (number.isEmpty()) {
        d.set("value", value);
      }
      m.unitCode().ifPresent(u -> d.put("unitCode", u));
      if (!flags.isEmpty()) {
        d.set(DATA_QUALITY, quality(flags, now));
      }
      doc = Json.write(d);
    }
    return new AttributeInstance(entityId, iri, m.datasetId(), instanceId(m.code(), observedAt), Optional.of(observedAt),
        now, now, number, doc);
  }

  /**
   * The meter's entity after its readings (oldest first): their values become its latest, with
   * their flags. Its history is the readings themselves, so the put says it has none to add
   * ({@link Derived#withoutHistory()}). A reading no newer than the entity's
   * {@code dateLastValueReported} changes nothing.
   */
  static Outcome applyMeter(Optional<StoredEntity> current, String meterId, List<Prepared> ordered, Judge judge,
      Instant now, TelegramResult[] results) {
    String id = meterEntityId(meterId);
    Entity entity = current.map(Entity::of).orElseGet(() -> fresh(id, meterId, now));
    ObjectNode doc = entity.document();
    Optional<Instant> last = time(doc, LAST);
    boolean changed = current.isEmpty();
    for (Prepared p : ordered) {
      Reading r = p.reading();
      if (last.isPresent() && !r.time().isAfter(last.get())) {
        results[r.slot()] = new TelegramResult.Repeated(meterId, r.time());
        continue;
      }
      Before before = new Before(last, latest(doc, r.measures()), capacity(doc));
      List<String> flags = judge.flags(r, before);
      for (int k = 0; k < p.iris().length; k++) {
        Reading.Measure m = r.measures().get(k);
        ObjectNode instance = flags.isEmpty() ? p.nodes()[k]
            : instance(m.value(), m.unitCode(), m.datasetId(), r.time(), flags, now);
        ArrayNode instances = doc.withArray(p.iris()[k]);
        int at = indexOf(instances, m.datasetId());
        if (at >= 0) {
          instance.put("createdAt", instances.get(at).path("createdAt").asText(now.toString()));
          instances.set(at, instance);
        } else {
          instance.put("createdAt", now.toString());
          instances.add(instance);
        }
      }
      set(doc, LAST, Json.NODES.textNode(r.time().toString()), now);
      last = Optional.of(r.time());
      changed = true;
      results[r.slot()] = new TelegramResult.Accepted(meterId, r.time(), flags, false);
    }
    if (!changed) {
      return Outcome.unchanged();
    }
    return new Outcome.Put(new Entity(doc, entity.createdAt(), now).toStored(), Derived.NONE.withoutHistory());
  }

  /** The M-Bus device's new state after the values the meter relayed; same rules as the meter. */
  static Outcome applySubMeter(Optional<StoredEntity> current, String meterId, List<Reading.SubMeter> values,
      Instant now) {
    Reading.SubMeter first = values.getFirst();
    String id = meterEntityId(first.equipmentId());
    Entity entity = current.map(Entity::of).orElseGet(() -> {
      Entity e = fresh(id, first.equipmentId(), now);
      e.document().withArray(CONTROLLED).add(prop(Json.array().add(first.kind()), now));
      return e;
    });
    ObjectNode doc = entity.document();
    boolean changed = current.isEmpty();
    // The relationship follows the meter the device was last read through.
    String meterEntity = meterEntityId(meterId);
    if (!doc.path(REF_METER).path(0).path("object").asText().equals(meterEntity)) {
      ObjectNode rel = Json.object();
      rel.put("type", "Relationship");
      rel.put("object", meterEntity);
      rel.put("createdAt", now.toString());
      rel.put("modifiedAt", now.toString());
      doc.set(REF_METER, Json.array().add(rel));
      changed = true;
    }
    Optional<Instant> last = time(doc, LAST);
    List<AttributeInstance> history = new ArrayList<>();
    List<Reading.SubMeter> ordered = new ArrayList<>(values);
    ordered.sort(Comparator.comparing(Reading.SubMeter::time));
    String iri = V + first.kind() + "Consumed";
    for (Reading.SubMeter v : ordered) {
      if (last.isPresent() && !v.time().isAfter(last.get())) {
        // Relayed again in every telegram until the device's next reading; a repeat (or late) value.
        if (v.time().isBefore(last.get())) {
          history.add(Instances.stored(id, iri, instance(Json.NODES.numberNode(v.value()), v.unitCode(),
              Optional.empty(), v.time(), List.of(), now), instanceId("v", v.time()), now));
        }
        continue;
      }
      ObjectNode instance = instance(Json.NODES.numberNode(v.value()), v.unitCode(), Optional.empty(), v.time(),
          List.of(), now);
      history.add(Instances.stored(id, iri, instance, instanceId("v", v.time()), now));
      ArrayNode instances = doc.withArray(iri);
      if (!instances.isEmpty()) {
        instance.put("createdAt", instances.get(0).path("createdAt").asText(now.toString()));
        instances.set(0, instance);
      } else {
        instances.add(instance);
      }
      set(doc, LAST, Json.NODES.textNode(v.time().toString()), now);
      last = Optional.of(v.time());
      changed = true;
    }
    if (!changed) {
      return history.isEmpty() ? Outcome.unchanged() : new Outcome.Put(current.get(), Derived.NONE.withHistory(history));
    }
    return new Outcome.Put(new Entity(doc, entity.createdAt(), now).toStored(), Derived.NONE.withHistory(history));
  }

  /**
   * The meter's data-quality entity after one batch: flags and rejections counted, per flag and
   * per reason. Untouched when the batch brought neither.
   */
  static Outcome applyQuality(Optional<StoredEntity> current, String meterId, List<TelegramResult> outcomes,
      Instant now) {
    long flagged = 0;
    long rejected = 0;
    List<String> flags = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    for (TelegramResult r : outcomes) {
      if (r instanceof TelegramResult.Accepted a && !a.flags().isEmpty()) {
        flagged++;
        flags.addAll(a.flags());
      } else if (r instanceof TelegramResult.Rejected x) {
        rejected++;
        reasons.add(x.reason().code());
      }
    }
    if (flagged == 0 && rejected == 0) {
      return Outcome.unchanged();
    }
    String id = qualityEntityId(meterId);
    Entity entity = current.map(Entity::of).orElseGet(() -> {
      ObjectNode doc = Json.object();
      doc.put("id", id);
      doc.putArray("type").add(QUALITY_TYPE);
      ObjectNode rel = Json.object();
      rel.put("type", "Relationship");
      rel.put("object", meterEntityId(meterId));
      rel.put("createdAt", now.toString());
      rel.put("modifiedAt", now.toString());
      doc.putArray(REF_DEVICE).add(rel);
      return new Entity(doc, now, now);
    });
    ObjectNode doc = entity.document();
    add(doc, V + "flaggedTelegrams", flagged, now);
    add(doc, V + "rejectedTelegrams", rejected, now);
    for (String f : flags) {
      addTo(doc, V + "flagCounts", f, now);
    }
    for (String reason : reasons) {
      addTo(doc, V + "rejectionCounts", reason, now);
    }
    return Outcome.put(new Entity(doc, entity.createdAt(), now).toStored());
  }

  private static void add(ObjectNode doc, String iri, long n, Instant now) {
    if (n == 0 && doc.has(iri)) {
      return;
    }
    long before = doc.path(iri).path(0).path("value").asLong(0);
    set(doc, iri, Json.NODES.numberNode(before + n), now);
  }

  private static void addTo(ObjectNode doc, String iri, String key, Instant now) {
    ObjectNode counts = doc.path(iri).path(0).path("value") instanceof ObjectNode o ? o.deepCopy() : Json.object();
    counts.put(key, counts.path(key).asLong(0) + 1);
    set(doc, iri, counts, now);
  }

  private static Entity fresh(String id, String serial, Instant now) {
    ObjectNode doc = Json.object();
    doc.put("id", id);
    doc.putArray("type").add(DEVICE);
    doc.putArray(CATEGORY).add(prop(Json.array().add("meter"), now));
    doc.putArray(SERIAL).add(prop(Json.NODES.textNode(serial), now));
    return new Entity(doc, now, now);
  }

  private static ObjectNode prop(JsonNode value, Instant now) {
    ObjectNode p = Json.object();
    p.put("type", "Property");
    p.set("value", value);
    p.put("createdAt", now.toString());
    p.put("modifiedAt", now.toString());
    return p;
  }

  /** Sets the default instance of a plain property, keeping its createdAt. */
  private static void set(ObjectNode doc, String iri, JsonNode value, Instant now) {
    ObjectNode p = prop(value, now);
    JsonNode old = doc.path(iri).path(0);
    if (old.has("createdAt")) {
      p.put("createdAt", old.get("createdAt").asText());
    }
    doc.set(iri, Json.array().add(p));
  }

  private static ObjectNode instance(JsonNode value, Optional<String> unitCode, Optional<String> datasetId,
      Instant observedAt, List<String> flags, Instant now) {
    return instance(value, unitCode, datasetId, observedAt.toString(), flags, now.toString(), now);
  }

  private static ObjectNode instance(JsonNode value, Optional<String> unitCode, Optional<String> datasetId,
      String observedAt, List<String> flags, String written, Instant now) {
    ObjectNode p = Json.object();
    p.put("type", "Property");
    p.set("value", value);
    unitCode.ifPresent(u -> p.put("unitCode", u));
    p.put("observedAt", observedAt);
    datasetId.ifPresent(d -> p.put("datasetId", d));
    p.put("createdAt", written);
    p.put("modifiedAt", written);
    if (!flags.isEmpty()) {
      p.set(DATA_QUALITY, quality(flags, now));
    }
    return p;
  }

  /** The {@code dataQuality} sub-property: the validator's flags on the reading. */
  private static ObjectNode quality(List<String> flags, Instant now) {
    ObjectNode q = Json.object();
    q.put("type", "Property");
    ArrayNode list = q.putArray("value");
    flags.forEach(list::add);
    q.put("createdAt", now.toString());
    q.put("modifiedAt", now.toString());
    return q;
  }

  /**
   * The id of the instance of one attribute and dataset (by its code) at one time: the same every
   * time the same reading is written, which is what makes re-delivery harmless.
   */
  static String instanceId(String code, Instant time) {
    long micros = Math.multiplyExact(time.getEpochSecond(), 1_000_000L) + time.getNano() / 1_000;
    return "urn:ngsi-ld:i:" + code + "." + Long.toString(micros, 36);
  }

  private static boolean same(JsonNode a, JsonNode b) {
    return a.isNumber() && b.isNumber() ? a.doubleValue() == b.doubleValue() : a.equals(b);
  }

  private static int indexOf(ArrayNode instances, Optional<String> datasetId) {
    for (int i = 0; i < instances.size(); i++) {
      JsonNode d = instances.get(i).get("datasetId");
      if (datasetId.isEmpty() ? d == null : d != null && d.asText().equals(datasetId.get())) {
        return i;
      }
    }
    return -1;
  }

  /** The time of the newest reading the meter's entity shows ({@code dateLastValueReported}), if any. */
  static Optional<Instant> lastReported(ObjectNode doc) {
    return time(doc, LAST);
  }

  private static Optional<Instant> time(ObjectNode doc, String iri) {
    JsonNode v = doc.path(iri).path(0).path("value");
    return v.isTextual() ? Optional.of(Instant.parse(v.asText())) : Optional.empty();
  }

  /** The connection's capacity as the meter entity states it (amperes per phase, or {@code 3x25A}), if it does. */
  private static Optional<JsonNode> capacity(ObjectNode doc) {
    JsonNode v = doc.path(CAPACITY).path(0).path("value");
    return v.isMissingNode() || v.isNull() ? Optional.empty() : Optional.of(v);
  }

  /** The entity's latest values of the attributes this telegram carries. */
  private static List<Reading.Measure> latest(ObjectNode doc, List<Reading.Measure> like) {
    List<Reading.Measure> out = new ArrayList<>();
    for (Reading.Measure m : like) {
      JsonNode instances = doc.get(V + m.attribute());
      if (instances instanceof ArrayNode array) {
        int at = indexOf(array, m.datasetId());
        if (at >= 0) {
          JsonNode i = array.get(at);
          out.add(new Reading.Measure(m.attribute(), m.datasetId(), m.code(), i.path("value"),
              Optional.ofNullable(i.get("unitCode")).map(JsonNode::asText), m.history()));
        }
      }
    }
    return out;
  }
}

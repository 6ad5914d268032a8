package nl.sleutelbos.ngsild.temporal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.ngsild.NgsiLdException;
import nl.sleutelbos.ngsild.entity.EntitySelector;
import nl.sleutelbos.ngsild.query.EntityPredicate;
import nl.sleutelbos.store.AttributeInstance;
import nl.sleutelbos.store.EntityStore;
import nl.sleutelbos.store.History;

/**
 * The temporal representation of entities (clause 5.6.11 to 5.6.17 and 5.7.3, 5.7.4): reads of
 * entity histories in their three representations, and the direct writes of the temporal API.
 *
 * <p>History lives apart from the current entity: deleting an entity through the entity API keeps
 * its history, which only {@link #delete} removes. So a temporal read answers for every entity
 * that has history, whether or not it still exists.
 *
 * <p>An answer holds at most {@code maxInstances} instances per attribute and entity. When a read
 * finds more, the answer is cut at one time for all attributes and entities, so that it is
 * complete up to that time, and is marked partial with the range it covers (clause 6.3.10).
 */
public final class TemporalService {
  /** The most instances of one attribute in one answer, unless configured otherwise. */
  public static final int DEFAULT_MAX_INSTANCES = 1_000;
  private static final int CHUNK = 256;

  private final EntityStore store;
  private final History history;
  private final Clock clock;
  private final int maxInstances;
  private final Aggregator aggregator;

  public TemporalService(EntityStore store, Clock clock, int maxInstances) {
    this(store, store.history(), clock, maxInstances);
  }

  /**
   * A service reading {@code history}, which may add sources to the store's own (as the meter
   * readings do); writes go to it too.
   */
  public TemporalService(EntityStore store, History history, Clock clock, int maxInstances) {
    if (maxInstances < 1) {
      throw new IllegalArgumentException("maxInstances < 1: " + maxInstances);
    }
    this.store = store;
    this.history = history;
    this.clock = clock;
    this.maxInstances = maxInstances;
    this.aggregator = new Aggregator(history);
  }

  // --- reads ----------------------------------------------------------------------------------

  /** Clause 5.7.3: one entity's history; ResourceNotFound if it has none. */
  public TemporalResult retrieve(String tenant, String id, TemporalRequest request) {
    History.Subject subject = history.subject(tenant, id)
        .orElseThrow(() -> NgsiLdException.notFound("no temporal entity with id " + id));
    return window(List.of(read(tenant, subject, request)), request, -1);
  }

  /**
   * Clause 5.7.4: the histories of the entities any selector admits and q matches, a page at a
   * time in id order. q is evaluated on each entity's latest instances in history.
   */
  public TemporalResult query(String tenant, List<EntitySelector> selectors, EntityPredicate q,
      TemporalRequest request, int limit, int offset, boolean count) {
    Set<String> ids = prefilter(selectors, true);
    Set<String> types = prefilter(selectors, false);
    List<TemporalEntity> page = new ArrayList<>();
    long matched = 0;
    Optional<String> after = Optional.empty();
    while (true) {
      List<History.Subject> chunk = history.subjects(tenant, ids, types, after, CHUNK);
      for (History.Subject s : chunk) {
        if (selectors.stream().noneMatch(sel -> sel.matches(s.id(), s.types())) || !matches(tenant, s, q)) {
          continue;
        }
        if (matched >= offset && page.size() < limit) {
          page.add(read(tenant, s, request));
        }
        matched++;
      }
      boolean pageFull = matched >= (long) offset + limit;
      if (chunk.size() < CHUNK || (pageFull && !count)) {
        break;
      }
      after = Optional.of(chunk.get(chunk.size() - 1).id());
    }
    return window(page, request, count ? matched : -1);
  }

  /**
   * One aggregate across every entity the selectors admit and q matches, for answers that must
   * never show one connection's data: each attribute's periods are summed over the entities
   * (counts, sums and sums of squares add up; min and max are taken over all). The span must be
   * closed (timerel=between), so that every entity's periods start and end at the same times.
   *
   * @param connectionAttribute the expanded attribute naming the grid connection an entity belongs to
   * @throws NgsiLdException BadRequestData for a request that cannot be combined across entities
   */
  public GroupAggregate aggregateAcross(String tenant, List<EntitySelector> selectors, EntityPredicate q,
      TemporalRequest request, String connectionAttribute) {
    History.Span span = request.when().span();
    if (request.representation() != Representation.AGGREGATED || span.from().isEmpty() || span.until().isEmpty()) {
      throw NgsiLdException.badRequest("an aggregate across entities needs options=aggregatedValues and "
          + "timerel=between, so that every entity's periods coincide");
    }
    if (request.methods().contains(AggregationMethod.DISTINCT_COUNT)) {
      throw NgsiLdException.badRequest("distinctCount cannot be combined across entities");
    }
    Set<String> ids = prefilter(selectors, true);
    Set<String> types = prefilter(selectors, false);
    Map<String, java.util.TreeMap<Instant, Aggregate>> sums = new java.util.TreeMap<>();
    Set<String> connections = new HashSet<>();
    Set<String> allTypes = new java.util.TreeSet<>();
    long entities = 0;
    Optional<String> after = Optional.empty();
    while (true) {
      List<History.Subject> chunk = history.subjects(tenant, ids, types, after, CHUNK);
      for (History.Subject s : chunk) {
        if (selectors.stream().noneMatch(sel -> sel.matches(s.id(), s.types())) || !matches(tenant, s, q)) {
          continue;
        }
        entities++;
        allTypes.addAll(s.types());
        for (AttributeInstance c : history.read(tenant, s.id(), Set.of(connectionAttribute), History.Span.ALL, 1, true)) {
          JsonNode value = Instances.internal(c).get(Instances.VALUE);
          if (value != null && value.isTextual()) {
            connections.add(value.asText());
          }
        }
        for (String attribute : attributes(tenant, s.id(), request.attrs())) {
          if (attribute.equals(connectionAttribute)) {
            continue;
          }
          Map<Instant, Aggregate> periods = sums.computeIfAbsent(attribute, a -> new java.util.TreeMap<>());
          for (Aggregate a : aggregator.aggregate(tenant, s.id(), attribute, span, request.period(), false)) {
            periods.merge(a.start(), a, (x, y) -> new Aggregate(x.start(), x.end(), merge(x.bucket(), y.bucket())));
          }
        }
      }
      if (chunk.size() < CHUNK) {
        break;
      }
      after = Optional.of(chunk.get(chunk.size() - 1).id());
    }
    Map<String, List<Aggregate>> aggregates = new LinkedHashMap<>();
    sums.forEach((attribute, periods) -> aggregates.put(attribute, List.copyOf(periods.values())));
    TemporalEntity group = TemporalEntity.of(GROUP_ID, List.copyOf(allTypes), Map.of(), aggregates);
    return new GroupAggregate(group, entities, connections.size());
  }

  /** The id of an aggregate across entities: it is no entity of its own. */
  public static final String GROUP_ID = "urn:sleutelbos:aggregate";

  private static History.Bucket merge(History.Bucket a, History.Bucket b) {
    double min = a.numbers() == 0 ? b.min() : b.numbers() == 0 ? a.min() : Math.min(a.min(), b.min());
    double max = a.numbers() == 0 ? b.max() : b.numbers() == 0 ? a.max() : Math.max(a.max(), b.max());
    return new History.Bucket(a.start(), a.count() + b.count(), a.numbers() + b.numbers(), a.sum() + b.sum(),
        a.sumsq() + b.sumsq(), min, max, 0);
  }

  /** The ids (or types) every selector narrows to, or empty when some selector admits any. */
  private static Set<String> prefilter(List<EntitySelector> selectors, boolean byId) {
    Set<String> out = new HashSet<>();
    for (EntitySelector s : selectors) {
      if (byId ? s.ids().isEmpty() : s.types() == null) {
        return Set.of();
      }
      out.addAll(byId ? s.ids() : s.types().allTypes());
    }
    return out;
  }

  private boolean matches(String tenant, History.Subject subject, EntityPredicate q) {
    if (q.acceptsAll()) {
      return true;
    }
    ObjectNode latest = Json.object();
    latest.put("id", subject.id());
    ArrayNode types = latest.putArray("type");
    subject.types().forEach(types::add);
    for (AttributeInstance i : history.read(tenant, subject.id(), Set.of(), History.Span.ALL, 1, true)) {
      latest.putArray(i.attribute()).add(Instances.internal(i));
    }
    return q.test(latest);
  }

  private TemporalEntity read(String tenant, History.Subject subject, TemporalRequest request) {
    TemporalQuery when = request.when();
    if (request.representation() == Representation.AGGREGATED) {
      Map<String, List<Aggregate>> aggregates = new LinkedHashMap<>();
      for (String attribute : attributes(tenant, subject.id(), request.attrs())) {
        List<Aggregate> periods = aggregator.aggregate(tenant, subject.id(), attribute, when.span(), request.period(),
            request.methods().contains(AggregationMethod.DISTINCT_COUNT));
        if (!periods.isEmpty()) {
          aggregates.put(attribute, periods);
        }
      }
      return TemporalEntity.of(subject.id(), subject.types(), Map.of(), aggregates);
    }
    boolean latest = when.lastN().isPresent();
    // One more than an answer holds, to know whether it is partial; a lastN within the limit is whole.
    int limit = latest && when.lastN().getAsInt() <= maxInstances ? when.lastN().getAsInt() : maxInstances + 1;
    List<AttributeInstance> found = history.read(tenant, subject.id(), request.attrs(), when.span(), limit, latest);
    Map<String, List<AttributeInstance>> byAttribute = new LinkedHashMap<>();
    for (AttributeInstance i : found) {
      byAttribute.computeIfAbsent(i.attribute(), k -> new ArrayList<>()).add(i);
    }
    if (latest) {
      byAttribute.values().forEach(java.util.Collections::reverse);
    }
    return TemporalEntity.of(subject.id(), subject.types(), byAttribute, Map.of());
  }

  /** The attributes to aggregate: those asked for, or every attribute the entity has history of. */
  private Set<String> attributes(String tenant, String id, Set<String> asked) {
    if (!asked.isEmpty()) {
      return asked;
    }
    Set<String> all = new java.util.TreeSet<>();
    for (AttributeInstance i : history.read(tenant, id, Set.of(), History.Span.ALL, 1, true)) {
      all.add(i.attribute());
    }
    return all;
  }

  /**
   * Cuts the entities' instances at one time when some attribute had more than the answer holds:
   * oldest first, at the time of the last instance that fits; newest first (lastN), at the time
   * of the first. The answer is then complete on one side of the cut for every attribute.
   */
  private TemporalResult window(List<TemporalEntity> entities, TemporalRequest request, long count) {
    TemporalQuery when = request.when();
    boolean latest = when.lastN().isPresent();
    int wanted = latest ? Math.min(when.lastN().getAsInt(), maxInstances) : maxInstances;
    boolean lastNTooBig = latest && when.lastN().getAsInt() > maxInstances;
    History.TimeProperty property = when.span().property();
    Optional<Instant> cut = Optional.empty();
    for (TemporalEntity e : entities) {
      for (List<AttributeInstance> list : e.instances().values()) {
        if (list.size() > wanted) {
          Instant at = timeOf(list.get(latest ? 1 : wanted - 1), property);
          boolean tighter = cut.isEmpty() || (latest ? at.isAfter(cut.get()) : at.isBefore(cut.get()));
          if (tighter) {
            cut = Optional.of(at);
          }
        }
      }
    }
    if (cut.isEmpty()) {
      return new TemporalResult(entities, Optional.empty(), count);
    }
    Instant edge = cut.get();
    List<TemporalEntity> trimmed = new ArrayList<>();
    Instant first = null;
    Instant last = null;
    for (TemporalEntity e : entities) {
      Map<String, List<AttributeInstance>> kept = new LinkedHashMap<>();
      for (Map.Entry<String, List<AttributeInstance>> a : e.instances().entrySet()) {
        List<AttributeInstance> in = a.getValue().stream()
            .filter(i -> latest ? !timeOf(i, property).isBefore(edge) : !timeOf(i, property).isAfter(edge))
            .toList();
        if (in.size() > wanted) {
          in = latest ? in.subList(in.size() - wanted, in.size()) : in.subList(0, wanted);
        }
        if (!in.isEmpty()) {
          kept.put(a.getKey(), in);
          Instant lo = timeOf(in.get(0), property);
          Instant hi = timeOf(in.get(in.size() - 1), property);
          first = first == null || lo.isBefore(first) ? lo : first;
          last = last == null || hi.isAfter(last) ? hi : last;
        }
      }
      trimmed.add(TemporalEntity.of(e.id(), e.types(), kept, e.aggregates()));
    }
    TemporalResult.Range range = new TemporalResult.Range(latest ? edge : first, latest ? last : edge,
        lastNTooBig || latest ? when.lastN() : java.util.OptionalInt.empty());
    return new TemporalResult(trimmed, Optional.of(range), count);
  }

  /** An instance's time on the property a request names; observedAt falls back to modifiedAt. */
  static Instant timeOf(AttributeInstance i, History.TimeProperty property) {
    return switch (property) {
      case OBSERVED_AT -> i.observedAt().orElse(i.modifiedAt());
      case CREATED_AT -> i.createdAt();
      case MODIFIED_AT -> i.modifiedAt();
    };
  }

  // --- writes ---------------------------------------------------------------------------------

  /**
   * Clause 5.6.11: creates the temporal entity, or adds the instances to it if it exists.
   *
   * @param entity a temporal entity in the internal form (see {@link nl.sleutelbos.ngsild.entity.EntityReader#temporal})
   * @return whether the entity had no history before
   */
  public boolean createOrAdd(String tenant, ObjectNode entity) {
    String id = entity.get("id").asText();
    List<String> types = new ArrayList<>();
    entity.get("type").forEach(t -> types.add(t.asText()));
    List<AttributeInstance> instances = instances(id, entity);
    if (instances.isEmpty()) {
      throw NgsiLdException.badRequest("a temporal entity needs at least one attribute instance");
    }
    return history.append(tenant, id, types, instances);
  }

  /** Clause 5.6.12: adds instances to an existing temporal entity. */
  public void addAttributes(String tenant, String id, ObjectNode fragment) {
    History.Subject subject = requireSubject(tenant, id);
    List<AttributeInstance> instances = instances(id, fragment);
    if (instances.isEmpty()) {
      throw NgsiLdException.badRequest("the fragment holds no attribute instance");
    }
    List<String> types = subject.types();
    if (fragment.has("type")) {
      List<String> merged = new ArrayList<>(types);
      fragment.get("type").forEach(t -> {
        if (!merged.contains(t.asText())) {
          merged.add(t.asText());
        }
      });
      types = merged;
    }
    history.append(tenant, id, types, instances);
  }

  /** Clause 5.6.13: deletes an attribute's instances (of one datasetId, or all). */
  public void deleteAttribute(String tenant, String id, String attribute, Optional<String> datasetId, boolean all) {
    requireSubject(tenant, id);
    if (history.deleteAttribute(tenant, id, attribute, datasetId, all) == 0) {
      throw NgsiLdException.notFound("temporal entity " + id + " has no instances of " + attribute
          + datasetId.map(d -> " with datasetId " + d).orElse(all ? "" : " without datasetId"));
    }
  }

  /**
   * Clause 5.6.14: replaces one instance by the given one, which keeps the instance id. The body
   * is a whole instance: members it leaves out (observedAt, unitCode, ...) are gone afterwards.
   */
  public void replaceInstance(String tenant, String id, String attribute, String instanceId, ObjectNode instance) {
    requireSubject(tenant, id);
    AttributeInstance replacement = Instances.stored(id, attribute, instance, instanceId, clock.instant());
    if (!history.replace(tenant, id, attribute, instanceId, replacement)) {
      throw NgsiLdException.notFound("temporal entity " + id + " has no instance " + instanceId + " of " + attribute);
    }
  }

  /** Clause 5.6.15: deletes one instance. */
  public void deleteInstance(String tenant, String id, String attribute, String instanceId) {
    requireSubject(tenant, id);
    if (!history.deleteInstance(tenant, id, attribute, instanceId)) {
      throw NgsiLdException.notFound("temporal entity " + id + " has no instance " + instanceId + " of " + attribute);
    }
  }

  /** Clause 5.6.16: deletes an entity's whole history. */
  public void delete(String tenant, String id) {
    if (!history.deleteEntity(tenant, id)) {
      throw NgsiLdException.notFound("no temporal entity with id " + id);
    }
  }

  private History.Subject requireSubject(String tenant, String id) {
    return history.subject(tenant, id).orElseThrow(() -> NgsiLdException.notFound("no temporal entity with id " + id));
  }

  /** Every instance of every attribute of an internal-form (temporal) entity or fragment. */
  private List<AttributeInstance> instances(String id, ObjectNode entity) {
    Instant now = clock.instant();
    List<AttributeInstance> out = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = entity.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> member = it.next();
      if (member.getKey().indexOf(':') < 0) {
        continue;
      }
      for (JsonNode instance : member.getValue()) {
        out.add(Instances.stored(id, member.getKey(), (ObjectNode) instance, Instances.newInstanceId(), now));
      }
    }
    return out;
  }

  public EntityStore store() {
    return store;
  }
}

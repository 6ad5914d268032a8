package nl.sleutelbos.ngsild.entity;

import static nl.sleutelbos.ngsild.entity.Members.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import nl.sleutelbos.ngsild.ErrorType;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.ngsild.NgsiLdException;
import nl.sleutelbos.ngsild.query.QueryHints;
import nl.sleutelbos.store.Derived;
import nl.sleutelbos.store.EntityChange;
import nl.sleutelbos.store.EntityStore;
import nl.sleutelbos.store.Mutation;
import nl.sleutelbos.store.Outcome;
import nl.sleutelbos.store.Selector;
import nl.sleutelbos.store.StoredEntity;

/**
 * The NGSI-LD entity operations of clause 5.6 and 5.7 over an {@link EntityStore}. Inputs are in
 * the internal expanded form (see {@link EntityReader}); every write is one read-modify-write
 * {@link nl.sleutelbos.store.Mutation}, so concurrent requests on one entity never lose updates
 * and a rejected request writes nothing.
 */
public final class EntityService {
  /** The value that deletes an attribute in a merge (clause 4.5.8? "urn:ngsi-ld:null"). */
  private static final String NGSI_LD_NULL = "urn:ngsi-ld:null";

  private final EntityStore store;
  private final Clock clock;
  private final List<EntityIndexer> indexers;

  public EntityService(EntityStore store, Clock clock) {
    this(store, clock, List.of());
  }

  /** A service whose writes also keep what the indexers derive (history, geo index, change feed). */
  public EntityService(EntityStore store, Clock clock, List<EntityIndexer> indexers) {
    this.store = store;
    this.clock = clock;
    this.indexers = List.copyOf(indexers);
  }

  public EntityStore store() {
    return store;
  }

  /** Clause 5.6.1. Fails with AlreadyExists if the id is taken in the tenant. */
  public void create(String tenant, ObjectNode entity) {
    // Serialised here, on the caller's thread: the store's writer only checks and writes.
    StoredEntity fresh = stamped(entity, now());
    Outcome outcome = applyOne(tenant, fresh.id(), current -> {
      if (current.isPresent()) {
        throw new NgsiLdException(ErrorType.ALREADY_EXISTS, "entity " + fresh.id() + " already exists");
      }
      return Outcome.put(fresh);
    });
    rethrow(outcome);
  }

  /** Clause 5.7.1. */
  public Entity retrieve(String tenant, String id) {
    requireTenant(tenant);
    return store.get(tenant, id).map(Entity::of)
        .orElseThrow(() -> NgsiLdException.notFound("no entity with id " + id));
  }

  /** Clause 5.6.6. */
  public void delete(String tenant, String id) {
    rethrow(applyOne(tenant, id, current -> {
      if (current.isEmpty()) {
        throw NgsiLdException.notFound("no entity with id " + id);
      }
      return Outcome.remove();
    }));
  }

  /** Clause 5.6.3: append attributes; with noOverwrite existing instances are kept and reported. */
  public UpdateResult append(String tenant, String id, ObjectNode fragment, boolean noOverwrite) {
    return updateAttributes(tenant, id, fragment, noOverwrite ? Mode.APPEND_NO_OVERWRITE : Mode.APPEND);
  }

  /** Clause 5.6.2: update existing attributes only; others are reported as not updated. */
  public UpdateResult update(String tenant, String id, ObjectNode fragment) {
    return updateAttributes(tenant, id, fragment, Mode.UPDATE);
  }

  private enum Mode { APPEND, APPEND_NO_OVERWRITE, UPDATE }

  private UpdateResult updateAttributes(String tenant, String id, ObjectNode fragment, Mode mode) {
    UpdateResult[] result = new UpdateResult[1];
    rethrow(applyOne(tenant, id, current -> {
      Entity entity = existing(current, id);
      Instant now = now();
      ObjectNode doc = entity.document();
      List<String> updated = new ArrayList<>();
      List<UpdateResult.NotUpdated> notUpdated = new ArrayList<>();
      boolean changed = mode != Mode.UPDATE && addTypes(doc, fragment.get(TYPE));
      for (Map.Entry<String, JsonNode> attr : attributes(fragment)) {
        String iri = attr.getKey();
        ArrayNode existing = (ArrayNode) doc.get(iri);
        boolean any = false;
        for (JsonNode instance : attr.getValue()) {
          int at = existing == null ? -1 : indexOf(existing, datasetId(instance));
          if (at >= 0 && mode == Mode.APPEND_NO_OVERWRITE) {
            notUpdated.add(new UpdateResult.NotUpdated(iri, "attribute exists and noOverwrite was given"));
            continue;
          }
          if (at < 0 && mode == Mode.UPDATE) {
            notUpdated.add(new UpdateResult.NotUpdated(iri, existing == null
                ? "attribute does not exist"
                : "attribute has no instance with datasetId " + datasetId(instance)));
            continue;
          }
          if (existing == null) {
            existing = Json.array();
            doc.set(iri, existing);
          }
          putInstance(existing, at, instance, now);
          any = true;
        }
        if (any) {
          updated.add(iri);
          changed = true;
        }
      }
      result[0] = new UpdateResult(updated, notUpdated);
      return changed ? Outcome.put(new Entity(doc, entity.createdAt(), now).toStored()) : Outcome.unchanged();
    }));
    return result[0];
  }

  /**
   * Clause 5.6.4: partial update of one attribute instance; the given members replace those of
   * the stored instance, the others stay.
   */
  public void patchAttribute(String tenant, String id, String attrIri, ObjectNode patch) {
    rethrow(applyOne(tenant, id, current -> {
      Entity entity = existing(current, id);
      ObjectNode doc = entity.document();
      ArrayNode existing = (ArrayNode) doc.get(attrIri);
      if (existing == null) {
        throw NgsiLdException.notFound("entity " + id + " has no attribute " + attrIri);
      }
      int at = indexOf(existing, datasetId(patch));
      if (at < 0) {
        throw NgsiLdException.notFound("attribute " + attrIri + " of " + id
            + " has no instance with datasetId " + datasetId(patch));
      }
      Instant now = now();
      mergeInstance((ObjectNode) existing.get(at), patch, now);
      return Outcome.put(new Entity(doc, entity.createdAt(), now).toStored());
    }));
  }

  /** Clause 5.6.5: delete the default instance, one by datasetId, or all instances. */
  public void deleteAttribute(String tenant, String id, String attrIri, String datasetId, boolean deleteAll) {
    rethrow(applyOne(tenant, id, current -> {
      Entity entity = existing(current, id);
      ObjectNode doc = entity.document();
      ArrayNode existing = (ArrayNode) doc.get(attrIri);
      if (existing == null) {
        throw NgsiLdException.notFound("entity " + id + " has no attribute " + attrIri);
      }
      if (deleteAll) {
        doc.remove(attrIri);
      } else {
        int at = indexOf(existing, datasetId);
        if (at < 0) {
          throw NgsiLdException.notFound("attribute " + attrIri + " of " + id + " has no "
              + (datasetId == null ? "default instance" : "instance with datasetId " + datasetId));
        }
        existing.remove(at);
        if (existing.isEmpty()) {
          doc.remove(attrIri);
        }
      }
      return Outcome.put(new Entity(doc, entity.createdAt(), now()).toStored());
    }));
  }

  /** Clause 5.6.18 (replace entity): the new state replaces every attribute; createdAt is kept. */
  public void replace(String tenant, String id, ObjectNode replacement) {
    rethrow(applyOne(tenant, id, current -> {
      Entity entity = existing(current, id);
      Instant now = now();
      StoredEntity stored = stamped(replacement.deepCopy(), now);
      return Outcome.put(new StoredEntity(id, stored.types(), entity.createdAt(), now, stored.document()));
    }));
  }

  /**
   * Clause 5.6.17 (merge entity): attributes in the fragment are merged into the entity (a given
   * instance merges member by member, sub-attributes likewise); a value of
   * {@code urn:ngsi-ld:null} deletes; types are added.
   */
  public void merge(String tenant, String id, ObjectNode fragment) {
    rethrow(applyOne(tenant, id, current -> {
      Entity entity = existing(current, id);
      ObjectNode doc = entity.document();
      Instant now = now();
      addTypes(doc, fragment.get(TYPE));
      for (Map.Entry<String, JsonNode> attr : attributes(fragment)) {
        String iri = attr.getKey();
        ArrayNode existing = (ArrayNode) doc.get(iri);
        for (JsonNode instance : attr.getValue()) {
          int at = existing == null ? -1 : indexOf(existing, datasetId(instance));
          if (isNull(instance)) {
            if (at >= 0) {
              existing.remove(at);
              if (existing.isEmpty()) {
                doc.remove(iri);
                existing = null;
              }
            }
            continue;
          }
          if (existing == null) {
            existing = Json.array();
            doc.set(iri, existing);
          }
          if (at >= 0) {
            mergeInstance((ObjectNode) existing.get(at), (ObjectNode) instance, now);
          } else {
            ObjectNode fresh = ((ObjectNode) instance).deepCopy();
            stampInstance(fresh, now.toString(), now);
            existing.add(fresh);
          }
        }
      }
      return Outcome.put(new Entity(doc, entity.createdAt(), now).toStored());
    }));
  }

  /** Clause 5.7.2: query by ids, pattern, types, attributes and the q filter, with paging. */
  public QueryResult query(String tenant, EntityQuery query) {
    requireTenant(tenant);
    List<Entity> page = new ArrayList<>(Math.min(query.limit(), EntityQuery.MAX_LIMIT));
    long[] matches = {0};
    // Parsing a stored document is most of a scan's cost: skip it for entities that only count.
    boolean mustRead = !query.attrs().isEmpty() || !query.filter().acceptsAll() || query.geo().isPresent();
    Selector selector = prefilter(query.selectors(), query.hints());
    // The store's spatial index narrows to candidates; the geo-query's own test below is exact.
    Optional<nl.sleutelbos.store.GeoExtent> area = query.geo().flatMap(nl.sleutelbos.ngsild.geo.GeoQuery::searchBox);
    if (area.isPresent()) {
      selector = selector.within(area.get());
    }
    store.scan(tenant, selector, stored -> {
      if (!query.selects(stored.id(), stored.types())) {
        return true;
      }
      Entity entity = null;
      if (mustRead) {
        entity = Entity.of(stored);
        if (!query.attrs().isEmpty() && query.attrs().stream().noneMatch(entity.document()::has)) {
          return true;
        }
        if (!query.filter().test(entity.document())) {
          return true;
        }
        if (query.geo().isPresent() && !query.geo().get().test(entity.document())) {
          return true;
        }
      }
      long index = matches[0]++;
      if (index >= query.offset() && page.size() < query.limit()) {
        page.add(entity != null ? entity : Entity.of(stored));
      }
      return query.count() || page.size() < query.limit();
    });
    return new QueryResult(page, query.count() ? matches[0] : -1);
  }

  /** What the store can narrow on: ids or types, when every selector names some. */
  private static Selector prefilter(List<EntitySelector> selectors, QueryHints hints) {
    Set<String> ids = new java.util.HashSet<>();
    Set<String> types = new java.util.HashSet<>();
    boolean allIds = true;
    boolean allTypes = true;
    for (EntitySelector s : selectors) {
      allIds &= !s.ids().isEmpty();
      allTypes &= s.types() != null;
      ids.addAll(s.ids());
      if (s.types() != null) {
        types.addAll(s.types().allTypes());
      }
    }
    return new Selector(allIds ? ids : Set.of(), allTypes ? types : Set.of(), hints.keys(), hints.texts());
  }

  /** Clause 5.6.7: create each entity; existing ids fail with AlreadyExists. */
  public BatchResult batchCreate(String tenant, List<BatchItem> items) {
    return batch(tenant, items, (entity, fresh, current, now) -> {
      if (current.isPresent()) {
        throw new NgsiLdException(ErrorType.ALREADY_EXISTS, "entity " + fresh.id() + " already exists");
      }
      return fresh;
    });
  }

  /**
   * Clause 5.6.8: create what is new; existing entities are replaced ({@code replace}) or have
   * the given attributes overwritten ({@code update}).
   */
  public BatchResult batchUpsert(String tenant, List<BatchItem> items, boolean replace) {
    return batch(tenant, items, (entity, fresh, current, now) -> {
      if (current.isEmpty()) {
        return fresh;
      }
      if (replace) {
        return new StoredEntity(fresh.id(), fresh.types(), current.get().createdAt(), now, fresh.document());
      }
      Entity old = Entity.of(current.get());
      overwrite(old.document(), entity, now);
      return new Entity(old.document(), old.createdAt(), now).toStored();
    });
  }

  /** Clause 5.6.9: update the attributes of existing entities; a missing entity is an error. */
  public BatchResult batchUpdate(String tenant, List<BatchItem> items, boolean noOverwrite) {
    return batch(tenant, items, (entity, fresh, current, now) -> {
      String id = entity.get(ID).asText();
      Entity old = existing(current, id);
      if (noOverwrite) {
        for (Map.Entry<String, JsonNode> attr : attributes(entity)) {
          if (old.document().has(attr.getKey())) {
            continue;
          }
          ArrayNode instances = ((ArrayNode) attr.getValue()).deepCopy();
          instances.forEach(i -> stampInstance((ObjectNode) i, now.toString(), now));
          old.document().set(attr.getKey(), instances);
        }
      } else {
        overwrite(old.document(), entity, now);
      }
      return new Entity(old.document(), old.createdAt(), now).toStored();
    });
  }

  /** Clause 5.6.10: delete each entity id. */
  public BatchResult batchDelete(String tenant, List<String> ids) {
    List<EntityChange> changes = new ArrayList<>();
    for (String id : ids) {
      changes.add(new EntityChange(id, current -> {
        if (current.isEmpty()) {
          throw NgsiLdException.notFound("no entity with id " + id);
        }
        return Outcome.remove();
      }));
    }
    List<Outcome> outcomes = apply(tenant, changes);
    List<String> deleted = new ArrayList<>();
    List<BatchResult.Failure> errors = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      if (outcomes.get(i) instanceof Outcome.Rejected r) {
        errors.add(new BatchResult.Failure(ids.get(i), asNgsiLd(r.reason())));
      } else {
        deleted.add(ids.get(i));
      }
    }
    return new BatchResult(List.of(), deleted, errors);
  }

  @FunctionalInterface
  private interface BatchStep {
    /**
     * The new state of one entity.
     *
     * @param entity the entity as the client sent it (internal form)
     * @param fresh the same, stamped and serialised ahead of time as a new entity
     */
    StoredEntity apply(ObjectNode entity, StoredEntity fresh, Optional<StoredEntity> current, Instant now);
  }

  private BatchResult batch(String tenant, List<BatchItem> items, BatchStep step) {
    Instant now = now();
    List<EntityChange> changes = new ArrayList<>();
    List<Boolean> existedBefore = new ArrayList<>();
    for (BatchItem item : items) {
      if (item instanceof BatchItem.Valid valid) {
        ObjectNode entity = valid.entity();
        // The common outcome, a new entity, is stamped and serialised here, outside the store's
        // writer, whose thread should only check and write.
        StoredEntity fresh = stamped(entity, now);
        int index = existedBefore.size();
        existedBefore.add(false);
        changes.add(new EntityChange(fresh.id(), current -> {
          existedBefore.set(index, current.isPresent());
          return Outcome.put(step.apply(entity, fresh, current, now));
        }));
      }
    }
    List<Outcome> outcomes = changes.isEmpty() ? List.of() : apply(tenant, changes);
    List<String> created = new ArrayList<>();
    List<String> updated = new ArrayList<>();
    List<BatchResult.Failure> errors = new ArrayList<>();
    int next = 0;
    for (BatchItem item : items) {
      switch (item) {
        case BatchItem.Invalid invalid -> errors.add(new BatchResult.Failure(invalid.entityId(), invalid.error()));
        case BatchItem.Valid valid -> {
          int index = next++;
          String id = valid.entity().get(ID).asText();
          if (outcomes.get(index) instanceof Outcome.Rejected r) {
            errors.add(new BatchResult.Failure(id, asNgsiLd(r.reason())));
          } else if (existedBefore.get(index)) {
            updated.add(id);
          } else {
            created.add(id);
          }
        }
      }
    }
    return new BatchResult(created, updated, errors);
  }

  /** Overwrites (or adds) the given attribute instances, keeping their createdAt. */
  private static void overwrite(ObjectNode doc, ObjectNode fragment, Instant now) {
    addTypes(doc, fragment.get(TYPE));
    for (Map.Entry<String, JsonNode> attr : attributes(fragment)) {
      ArrayNode existing = (ArrayNode) doc.get(attr.getKey());
      if (existing == null) {
        existing = Json.array();
        doc.set(attr.getKey(), existing);
      }
      for (JsonNode instance : attr.getValue()) {
        putInstance(existing, indexOf(existing, datasetId(instance)), instance, now);
      }
    }
  }

  /** Replaces the instance at {@code at} (keeping its createdAt), or adds one when {@code at < 0}. */
  private static void putInstance(ArrayNode existing, int at, JsonNode instance, Instant now) {
    ObjectNode fresh = ((ObjectNode) instance).deepCopy();
    if (at >= 0) {
      stampInstance(fresh, existing.get(at).path(CREATED_AT).asText(now.toString()), now);
      existing.set(at, fresh);
    } else {
      stampInstance(fresh, now.toString(), now);
      existing.add(fresh);
    }
  }

  private static boolean addTypes(ObjectNode doc, JsonNode types) {
    if (types == null) {
      return false;
    }
    ArrayNode current = (ArrayNode) doc.get(TYPE);
    boolean added = false;
    for (JsonNode t : types) {
      boolean present = false;
      for (JsonNode c : current) {
        present |= c.asText().equals(t.asText());
      }
      if (!present) {
        current.add(t.asText());
        added = true;
      }
    }
    return added;
  }

  /** Merges members of a patch into an instance; sub-attributes merge one level down. */
  private static void mergeInstance(ObjectNode target, ObjectNode patch, Instant now) {
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> member = it.next();
      String key = member.getKey();
      JsonNode value = member.getValue();
      if (key.equals(CREATED_AT) || key.equals(MODIFIED_AT)) {
        continue;
      }
      if (key.indexOf(':') >= 0 && value.isObject()) {
        if (isNull(value)) {
          target.remove(key);
        } else if (target.get(key) instanceof ObjectNode sub) {
          mergeInstance(sub, (ObjectNode) value, now);
        } else {
          ObjectNode fresh = ((ObjectNode) value).deepCopy();
          stampInstance(fresh, now.toString(), now);
          target.set(key, fresh);
        }
      } else if (key.equals(TYPE) && !target.path(TYPE).asText().equals(value.asText())) {
        // A patch that changes the attribute's kind replaces what belongs to the old kind.
        target.remove(List.of(VALUE, OBJECT, LANGUAGE_MAP));
        target.set(key, value);
      } else {
        target.set(key, value);
      }
    }
    target.put(MODIFIED_AT, now.toString());
  }

  private static boolean isNull(JsonNode instance) {
    JsonNode v = instance.has(OBJECT) ? instance.get(OBJECT) : instance.get(VALUE);
    return v != null && v.isTextual() && v.asText().equals(NGSI_LD_NULL);
  }

  /**
   * Sets createdAt/modifiedAt on every attribute instance of a new entity and returns it for
   * storing. Stamps in place: the caller hands over a node nobody else uses.
   */
  private static StoredEntity stamped(ObjectNode doc, Instant now) {
    for (Map.Entry<String, JsonNode> attr : attributes(doc)) {
      attr.getValue().forEach(i -> stampInstance((ObjectNode) i, now.toString(), now));
    }
    return new Entity(doc, now, now).toStored();
  }

  private static void stampInstance(ObjectNode instance, String createdAt, Instant now) {
    instance.put(CREATED_AT, createdAt);
    instance.put(MODIFIED_AT, now.toString());
    for (Map.Entry<String, JsonNode> member : instance.properties()) {
      if (member.getKey().indexOf(':') >= 0 && member.getValue() instanceof ObjectNode sub && !sub.has(CREATED_AT)) {
        stampInstance(sub, now.toString(), now);
      }
    }
  }

  /** The attributes of a document: members whose key is an IRI (contains ':'). */
  static List<Map.Entry<String, JsonNode>> attributes(ObjectNode doc) {
    List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
    for (Map.Entry<String, JsonNode> member : doc.properties()) {
      if (member.getKey().indexOf(':') >= 0) {
        out.add(member);
      }
    }
    return out;
  }

  private static String datasetId(JsonNode instance) {
    JsonNode d = instance.get(DATASET_ID);
    return d == null ? null : d.asText();
  }

  private static int indexOf(ArrayNode instances, String datasetId) {
    for (int i = 0; i < instances.size(); i++) {
      if (java.util.Objects.equals(datasetId(instances.get(i)), datasetId)) {
        return i;
      }
    }
    return -1;
  }

  private static Entity existing(Optional<StoredEntity> current, String id) {
    return current.map(Entity::of).orElseThrow(() -> NgsiLdException.notFound("no entity with id " + id));
  }

  private Outcome applyOne(String tenant, String id, Mutation mutation) {
    return apply(tenant, List.of(new EntityChange(id, mutation))).get(0);
  }

  /**
   * Every write of this service goes through here, so that the indexers see each change inside
   * the store's transaction and what they derive is committed with it.
   */
  public List<Outcome> apply(String tenant, List<EntityChange> changes) {
    if (indexers.isEmpty()) {
      return store.apply(tenant, changes);
    }
    List<EntityChange> indexed = new ArrayList<>(changes.size());
    for (EntityChange change : changes) {
      Mutation mutation = change.mutation();
      indexed.add(new EntityChange(change.entityId(), current -> index(tenant, current, mutation.apply(current))));
    }
    return store.apply(tenant, indexed);
  }

  private Outcome index(String tenant, Optional<StoredEntity> current, Outcome outcome) {
    switch (outcome) {
      case Outcome.Put put -> {
        EntityWrite write = new EntityWrite(current, Optional.of(put.entity()));
        Derived derived = put.derived();
        for (EntityIndexer indexer : indexers) {
          derived = indexer.derive(tenant, write, derived);
        }
        return put.with(derived);
      }
      case Outcome.Remove remove when current.isPresent() -> {
        EntityWrite write = new EntityWrite(current, Optional.empty());
        Derived derived = new Derived(List.of(), List.of(), remove.event());
        for (EntityIndexer indexer : indexers) {
          derived = indexer.derive(tenant, write, derived);
        }
        return new Outcome.Remove(derived.event());
      }
      default -> {
        return outcome;
      }
    }
  }

  private static void rethrow(Outcome outcome) {
    if (outcome instanceof Outcome.Rejected r) {
      throw r.reason();
    }
  }

  private static NgsiLdException asNgsiLd(RuntimeException e) {
    return e instanceof NgsiLdException n ? n
        : new NgsiLdException(ErrorType.INTERNAL_ERROR, "internal error: " + e.getClass().getSimpleName());
  }

  /** Reads of a tenant that was never written fail with NonexistentTenant (clause 4.14). */
  public void requireTenant(String tenant) {
    if (!tenant.isEmpty() && !store.tenantExists(tenant)) {
      throw new NgsiLdException(ErrorType.NONEXISTENT_TENANT, "tenant '" + tenant + "' does not exist");
    }
  }

  private Instant now() {
    return clock.instant();
  }
}

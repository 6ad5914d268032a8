package nl.sleutelbos.store;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The temporal history of entities: every {@link AttributeInstance} kept, per tenant, keyed by
 * entity, attribute and time. Instances come from two doors: the entity write path (the
 * {@link Derived#history()} of a put, committed in the entity's own transaction) and
 * {@link #append}, which the temporal API uses to write instances directly.
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li>An instance's <em>key time</em> is its {@code observedAt}, or its {@code modifiedAt} when it
 *       was not observed. Reads by {@link TimeProperty#OBSERVED_AT} see only observed instances.
 *   <li>Instances of one attribute come back in ascending key time, ties broken by instance id;
 *       {@code latestFirst} reverses that order.
 *   <li>An entity exists in history from its first instance until {@link #deleteEntity}; it
 *       remembers the types it was last written with.
 *   <li>Writes are durable when the call returns, like {@link EntityStore#apply}; reads may run
 *       beside writes and see committed data only.
 * </ul>
 */
public interface History {

  /** Which time of an instance a {@link Span} bounds (NGSI-LD {@code timeproperty}). */
  enum TimeProperty { OBSERVED_AT, CREATED_AT, MODIFIED_AT }

  /**
   * A time range on one time property: {@code from} inclusive, {@code until} exclusive; an empty
   * end is open.
   */
  record Span(TimeProperty property, Optional<Instant> from, Optional<Instant> until) {
    public static final Span ALL = new Span(TimeProperty.OBSERVED_AT, Optional.empty(), Optional.empty());

    public Span {
      requireNonNull(property, "property is null");
      requireNonNull(from, "from is null");
      requireNonNull(until, "until is null");
    }

    /** Every instance, whatever its times. Reading with it includes instances that were not observed. */
    public static Span all(TimeProperty property) {
      return new Span(property, Optional.empty(), Optional.empty());
    }
  }

  /** An entity that has history, with the types it was last written with. */
  record Subject(String id, List<String> types) {
    public Subject {
      requireNonNull(id, "id is null");
      types = List.copyOf(types);
    }
  }

  /**
   * The numbers of one period of an attribute's history: all instances counted, those holding a
   * number summed. min and max are NaN when no instance of the period held a number.
   *
   * @param distinct how many different values (numbers or documents) the period holds, or -1
   *     when not asked for
   */
  record Bucket(Instant start, long count, long numbers, double sum, double sumsq, double min, double max,
      long distinct) {}

  /**
   * Appends the instances of one entity in one durable write. The entity's types replace the
   * ones remembered for it.
   *
   * @return whether the entity had no history before
   * @throws IllegalArgumentException if an instance belongs to another entity
   */
  boolean append(String tenant, String entityId, List<String> types, List<AttributeInstance> instances);

  /** The entity with its types, if it has history. */
  Optional<Subject> subject(String tenant, String entityId);

  /**
   * Entities with history in ascending id order, starting after {@code afterId} (empty: from the
   * start), at most {@code limit}; {@code ids} and {@code types} narrow exactly (empty: any).
   */
  List<Subject> subjects(String tenant, Set<String> ids, Set<String> types, Optional<String> afterId, int limit);

  /**
   * The instances of an entity in the span, attribute by attribute (in IRI order), at most
   * {@code limitPerAttribute} of each attribute.
   *
   * @param attributes the attributes to read; empty means all
   * @param latestFirst newest first (for {@code lastN}) instead of oldest first
   */
  List<AttributeInstance> read(String tenant, String entityId, Set<String> attributes, Span span,
      int limitPerAttribute, boolean latestFirst);

  /**
   * Summarises one attribute over the span in consecutive periods of {@code period} that start at
   * the span's {@code from}, which must be given, as must {@code until}. Periods without instances
   * are left out.
   *
   * @param distinct whether to count distinct values, which costs a sort per period
   */
  List<Bucket> summarize(String tenant, String entityId, String attribute, Span span, Duration period,
      boolean distinct);

  /** Replaces one instance, keeping its instance id; false if there is no such instance. */
  boolean replace(String tenant, String entityId, String attribute, String instanceId, AttributeInstance replacement);

  /** Deletes one instance; false if there is no such instance. */
  boolean deleteInstance(String tenant, String entityId, String attribute, String instanceId);

  /**
   * Deletes instances of an attribute: those of one datasetId (empty: the default instance), or
   * all when {@code all} is set.
   *
   * @return how many were deleted
   */
  int deleteAttribute(String tenant, String entityId, String attribute, Optional<String> datasetId, boolean all);

  /** Deletes the entity's whole history; false if it had none. */
  boolean deleteEntity(String tenant, String entityId);

  /**
   * Deletes at most {@code batch} instances, of entities of {@code type} and of {@code attribute}
   * (empty: every attribute), whose key time is before {@code before}. Each call is its own short
   * transaction, so that a retention sweep never holds up writes for long.
   *
   * @return how many were deleted; less than {@code batch} means none are left
   */
  int expire(String tenant, String type, Optional<String> attribute, Instant before, int batch);
}

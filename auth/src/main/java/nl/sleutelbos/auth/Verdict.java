package nl.sleutelbos.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What the enforcement point concluded: go ahead under obligations, or stop with a reason. */
public sealed interface Verdict {

  /** Go ahead, and fulfil every obligation before answering. */
  record Permit(List<Obligation> obligations) implements Verdict {
    public Permit {
      obligations = List.copyOf(obligations);
    }

    /** The attributes to drop from every entity in the answer. */
    public Set<String> removedAttributes() {
      Set<String> names = new java.util.LinkedHashSet<>();
      for (Obligation o : obligations) {
        if (o instanceof Obligation.RemoveAttributes r) {
          names.addAll(r.names());
        }
      }
      return names;
    }

    /**
     * Removes the attributes the subject may not see from an entity, in place. Works on the
     * internal expanded form and on compacted output alike: a member is removed when its name is
     * the term or the term's expansion in the default vocabulary.
     */
    public ObjectNode redact(ObjectNode entity) {
      return redact(entity, removedAttributes());
    }

    /** As {@link #redact(ObjectNode)}, for attributes withheld under a permit decided earlier. */
    public static ObjectNode redact(ObjectNode entity, Set<String> removed) {
      if (removed.isEmpty()) {
        return entity;
      }
      List<String> drop = new ArrayList<>();
      for (Iterator<String> names = entity.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (removed.contains(name) || removed.contains(Terms.compact(name))) {
          drop.add(name);
        }
      }
      entity.remove(drop);
      return entity;
    }

    /** Redacts every entity of an array answer, in place. */
    public JsonNode redactAll(JsonNode entities) {
      for (JsonNode entity : entities) {
        if (entity instanceof ObjectNode object) {
          redact(object);
        }
      }
      return entities;
    }

    /**
     * The granularity to answer a temporal request with: what was asked, or the coarsest
     * granularity an obligation allows if that is coarser. Empty asked (raw instances) becomes the cap.
     */
    public Optional<Duration> granularity(Optional<Duration> asked) {
      Optional<Duration> result = asked;
      for (Obligation o : obligations) {
        if (o instanceof Obligation.CapGranularity cap
            && (result.isEmpty() || result.get().compareTo(cap.coarsest()) < 0)) {
          result = Optional.of(cap.coarsest());
        }
      }
      return result;
    }

    /**
     * Checks an aggregate answer against the aggregation obligations.
     *
     * @param connections the number of distinct connections the aggregate is over
     * @throws AccessDeniedException if an obligation requires more; a smaller group is never answered
     */
    public void checkAggregate(int connections) throws AccessDeniedException {
      for (Obligation o : obligations) {
        if (o instanceof Obligation.RequireAggregation agg && connections < agg.minConnections()) {
          throw new AccessDeniedException("an aggregate must cover at least " + agg.minConnections()
              + " connections; this one covers " + connections);
        }
      }
    }

    /** Whether only aggregates may be answered (no single connection's data). */
    public boolean aggregatesOnly() {
      return obligations.stream().anyMatch(o -> o instanceof Obligation.RequireAggregation);
    }
  }

  /** Stop: answer 403 with this reason. */
  record Deny(String reason) implements Verdict {
    public Deny {
      java.util.Objects.requireNonNull(reason, "reason is null");
    }
  }
}

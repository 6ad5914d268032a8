package nl.sleutelbos.ngsild.temporal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.ngsild.context.LdContext;
import nl.sleutelbos.ngsild.entity.EntityWriter;
import nl.sleutelbos.store.AttributeInstance;
import nl.sleutelbos.store.History;

/**
 * Renders a {@link TemporalEntity} for one client, compacted with the client's context, in one of
 * the representations of clause 4.5.7 (normalized: every instance in full), 4.5.9 (temporalValues:
 * {@code "values": [[value, time], ...]}) and 4.5.19 (aggregatedValues:
 * {@code "<method>": [[value, start, end], ...]}). An attribute with instances of several
 * datasetIds is an array of such objects in the simplified forms, one per datasetId.
 */
public final class TemporalWriter {
  private final LdContext context;

  public TemporalWriter(LdContext context) {
    this.context = context;
  }

  public ObjectNode write(TemporalEntity entity, TemporalRequest request) {
    ObjectNode out = Json.object();
    out.put("id", entity.id());
    ArrayNode types = Json.array();
    entity.types().forEach(types::add);
    out.set("type", new EntityWriter(context).types(types));
    History.TimeProperty property = request.when().span().property();
    for (Map.Entry<String, List<AttributeInstance>> a : entity.instances().entrySet()) {
      String name = context.compactIri(a.getKey());
      out.set(name, request.representation() == Representation.TEMPORAL_VALUES
          ? temporalValues(a.getValue(), property)
          : normalized(a.getValue(), request.sysAttrs()));
    }
    for (Map.Entry<String, List<Aggregate>> a : entity.aggregates().entrySet()) {
      out.set(context.compactIri(a.getKey()), aggregated(a.getValue(), request.methods()));
    }
    return out;
  }

  private ArrayNode normalized(List<AttributeInstance> instances, boolean sysAttrs) {
    ArrayNode out = Json.array();
    for (AttributeInstance i : instances) {
      ObjectNode internal = Instances.internal(i);
      if (!sysAttrs) {
        internal.remove(Instances.CREATED_AT);
        internal.remove(Instances.MODIFIED_AT);
      }
      out.add(compacted(internal));
    }
    return out;
  }

  /** Sub-attribute keys are IRIs in the internal form; the client sees its own terms. */
  private ObjectNode compacted(ObjectNode instance) {
    ObjectNode out = Json.object();
    for (Iterator<Map.Entry<String, JsonNode>> it = instance.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> m = it.next();
      if (m.getKey().indexOf(':') >= 0 && m.getValue() instanceof ObjectNode sub) {
        out.set(context.compactIri(m.getKey()), compacted(sub));
      } else {
        out.set(m.getKey(), m.getValue());
      }
    }
    return out;
  }

  private JsonNode temporalValues(List<AttributeInstance> instances, History.TimeProperty property) {
    Map<Optional<String>, ObjectNode> byDataset = new LinkedHashMap<>();
    for (AttributeInstance i : instances) {
      ObjectNode internal = Instances.internal(i);
      String type = internal.path(Instances.TYPE).asText("Property");
      ObjectNode group = byDataset.computeIfAbsent(i.datasetId(), d -> {
        ObjectNode g = Json.object();
        g.put(Instances.TYPE, type);
        d.ifPresent(id -> g.put(Instances.DATASET_ID, id));
        return g;
      });
      String list = switch (type) {
        case "Relationship" -> "objects";
        case "LanguageProperty" -> "languageMaps";
        default -> "values";
      };
      JsonNode value = switch (type) {
        case "Relationship" -> internal.get(Instances.OBJECT);
        case "LanguageProperty" -> internal.get(Instances.LANGUAGE_MAP);
        default -> internal.get(Instances.VALUE);
      };
      ArrayNode pair = Json.array();
      pair.add(value);
      pair.add(TemporalService.timeOf(i, property).toString());
      (group.has(list) ? (ArrayNode) group.get(list) : group.putArray(list)).add(pair);
    }
    return single(byDataset.values());
  }

  private JsonNode aggregated(List<Aggregate> periods, Set<AggregationMethod> methods) {
    ObjectNode out = Json.object();
    out.put(Instances.TYPE, "Property");
    for (AggregationMethod m : AggregationMethod.values()) {
      if (!methods.contains(m)) {
        continue;
      }
      ArrayNode list = out.putArray(m.term());
      for (Aggregate p : periods) {
        ArrayNode triple = Json.array();
        Double v = m.of(p.bucket());
        if (v == null) {
          triple.addNull();
        } else if (m == AggregationMethod.TOTAL_COUNT || m == AggregationMethod.DISTINCT_COUNT) {
          triple.add(v.longValue());
        } else {
          triple.add(v);
        }
        triple.add(p.start().toString());
        triple.add(p.end().toString());
        list.add(triple);
      }
    }
    return out;
  }

  private static JsonNode single(java.util.Collection<ObjectNode> groups) {
    if (groups.size() == 1) {
      return groups.iterator().next();
    }
    ArrayNode out = Json.array();
    groups.forEach(out::add);
    return out;
  }
}

package nl.sleutelbos.ngsild.temporal;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import nl.sleutelbos.store.AttributeInstance;

/**
 * An entity's history as one read found it: per attribute (expanded IRI, in IRI order) its
 * instances in ascending time, or its aggregation periods.
 */
public record TemporalEntity(String id, List<String> types, SortedMap<String, List<AttributeInstance>> instances,
    SortedMap<String, List<Aggregate>> aggregates) {
  public TemporalEntity {
    requireNonNull(id, "id is null");
    types = List.copyOf(types);
    instances = new TreeMap<>(instances);
    aggregates = new TreeMap<>(aggregates);
  }

  static TemporalEntity of(String id, List<String> types, Map<String, List<AttributeInstance>> instances,
      Map<String, List<Aggregate>> aggregates) {
    return new TemporalEntity(id, types, new TreeMap<>(instances), new TreeMap<>(aggregates));
  }
}

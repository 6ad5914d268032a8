package nl.sleutelbos.ngsild.temporal;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.Set;
import nl.sleutelbos.ngsild.NgsiLdException;

/**
 * What a temporal read asks for: which times, which attributes, and in which representation.
 *
 * @param when the temporal query (timerel, timeproperty, lastN)
 * @param attrs expanded attribute IRIs; empty means all
 * @param representation the answer's form
 * @param methods the aggregation methods, for {@link Representation#AGGREGATED} only
 * @param period the aggregation period; empty means the whole span as one period
 * @param sysAttrs whether instances show createdAt and modifiedAt
 */
public record TemporalRequest(TemporalQuery when, Set<String> attrs, Representation representation,
    Set<AggregationMethod> methods, Optional<AggregationPeriod> period, boolean sysAttrs) {
  public TemporalRequest {
    requireNonNull(when, "when is null");
    attrs = Set.copyOf(attrs);
    requireNonNull(representation, "representation is null");
    methods = Set.copyOf(methods);
    requireNonNull(period, "period is null");
    if (representation == Representation.AGGREGATED && methods.isEmpty()) {
      throw NgsiLdException.badRequest("options=aggregatedValues needs aggrMethods");
    }
    if (representation != Representation.AGGREGATED && (!methods.isEmpty() || period.isPresent())) {
      throw NgsiLdException.badRequest("aggrMethods and aggrPeriodDuration need options=aggregatedValues");
    }
    if (representation == Representation.AGGREGATED && when.lastN().isPresent()) {
      throw NgsiLdException.badRequest("lastN cannot be combined with options=aggregatedValues");
    }
  }
}

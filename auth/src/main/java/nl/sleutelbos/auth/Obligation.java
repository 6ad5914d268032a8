package nl.sleutelbos.auth;

import java.time.Duration;
import java.util.Set;

/**
 * What a permit obliges the enforcement point to do before the answer leaves. A permit whose
 * obligations the enforcement point does not understand is a deny (XACML 3.0 §7.18), so this set
 * is closed.
 */
public sealed interface Obligation {
  /** XACML obligation ids, as the policies name them. */
  String REMOVE_ATTRIBUTES_ID = "urn:sleutelbos:obligation:remove-attributes";
  String CAP_GRANULARITY_ID = "urn:sleutelbos:obligation:cap-granularity";
  String REQUIRE_AGGREGATION_ID = "urn:sleutelbos:obligation:require-aggregation";

  /** Drop these attributes (terms or IRIs) from every entity in the answer. */
  record RemoveAttributes(Set<String> names) implements Obligation {
    public RemoveAttributes {
      names = Set.copyOf(names);
    }
  }

  /** Answer temporal requests at this granularity or coarser, never finer. */
  record CapGranularity(Duration coarsest) implements Obligation {
    public CapGranularity {
      if (coarsest.isNegative() || coarsest.isZero()) {
        throw new IllegalArgumentException("granularity must be positive: " + coarsest);
      }
    }
  }

  /** Answer only with aggregates over at least this many connections; below it, deny. */
  record RequireAggregation(int minConnections) implements Obligation {
    public RequireAggregation {
      if (minConnections < 1) {
        throw new IllegalArgumentException("minConnections < 1: " + minConnections);
      }
    }
  }
}

package nl.sleutelbos.ngsild.temporal;

import java.util.EnumSet;
import java.util.Set;
import nl.sleutelbos.ngsild.NgsiLdException;
import nl.sleutelbos.store.History;

/**
 * The aggregation functions of clause 4.5.19 ({@code aggrMethods}), each computed from a
 * {@link History.Bucket}. Counts cover every instance; the other functions cover the instances
 * that hold a number and are null for a period without any. stddev is the population standard
 * deviation.
 */
public enum AggregationMethod {
  TOTAL_COUNT("totalCount"),
  DISTINCT_COUNT("distinctCount"),
  SUM("sum"),
  AVG("avg"),
  MIN("min"),
  MAX("max"),
  STDDEV("stddev"),
  SUMSQ("sumsq");

  private final String term;

  AggregationMethod(String term) {
    this.term = term;
  }

  /** The name in requests and answers, for example {@code totalCount}. */
  public String term() {
    return term;
  }

  /** The methods of a comma-separated {@code aggrMethods} list; refuses unknown ones with BadRequestData. */
  public static Set<AggregationMethod> parseList(String text) {
    Set<AggregationMethod> out = EnumSet.noneOf(AggregationMethod.class);
    for (String name : text.split(",", -1)) {
      out.add(of(name.strip()));
    }
    return out;
  }

  public static AggregationMethod of(String name) {
    for (AggregationMethod m : values()) {
      if (m.term.equals(name)) {
        return m;
      }
    }
    throw NgsiLdException.badRequest("unknown aggregation method '" + name + "'; allowed: totalCount, "
        + "distinctCount, sum, avg, min, max, stddev, sumsq");
  }

  /** The value for a period, or null when it is undefined (no numbers in the period). */
  public Double of(History.Bucket b) {
    return switch (this) {
      case TOTAL_COUNT -> (double) b.count();
      case DISTINCT_COUNT -> (double) b.distinct();
      case SUM -> b.numbers() == 0 ? null : b.sum();
      case SUMSQ -> b.numbers() == 0 ? null : b.sumsq();
      case AVG -> b.numbers() == 0 ? null : b.sum() / b.numbers();
      case MIN -> b.numbers() == 0 ? null : b.min();
      case MAX -> b.numbers() == 0 ? null : b.max();
      case STDDEV -> {
        if (b.numbers() == 0) {
          yield null;
        }
        double mean = b.sum() / b.numbers();
        yield Math.sqrt(Math.max(0, b.sumsq() / b.numbers() - mean * mean));
      }
    };
  }
}

package nl.sleutelbos.store.internal;

import java.util.List;
import nl.sleutelbos.store.History;

/**
 * The SQL both backends use to bound a history read by a {@link History.Span}: which column holds
 * the span's time, and the conditions with their arguments (microseconds).
 */
public final class SpanSql {
  private SpanSql() {}

  /** The column of the time property: the key time t for observedAt. */
  public static String column(History.TimeProperty property) {
    return switch (property) {
      case OBSERVED_AT -> "t";
      case CREATED_AT -> "created_at";
      case MODIFIED_AT -> "modified_at";
    };
  }

  /**
   * Appends " AND ..." conditions for the span to sql and their arguments to args. A bounded span
   * on observedAt admits only observed instances; an unbounded one admits every instance.
   *
   * @param observedTrue the backend's literal for a true observed flag
   */
  public static void where(History.Span span, String observedTrue, StringBuilder sql, List<Object> args) {
    String column = column(span.property());
    if (span.property() == History.TimeProperty.OBSERVED_AT && (span.from().isPresent() || span.until().isPresent())) {
      sql.append(" AND observed = ").append(observedTrue);
    }
    span.from().ifPresent(from -> {
      sql.append(" AND ").append(column).append(" >= ?");
      args.add(Micros.of(from));
    });
    span.until().ifPresent(until -> {
      sql.append(" AND ").append(column).append(" < ?");
      args.add(Micros.of(until));
    });
  }

  /** The key time of an instance: observedAt, or modifiedAt when it was not observed. */
  public static long keyTime(nl.sleutelbos.store.AttributeInstance instance) {
    return Micros.of(instance.observedAt().orElse(instance.modifiedAt()));
  }
}

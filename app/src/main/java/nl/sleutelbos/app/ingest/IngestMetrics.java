package nl.sleutelbos.app.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import nl.sleutelbos.ngsild.Json;

/**
 * The counts of this process's ingest since it started: telegrams accepted, accepted with quality
 * flags (per flag), rejected (per reason), and repeats (re-deliveries of readings already kept).
 * Every telegram that reaches ingest lands in exactly one of accepted, flagged, late, repeated
 * or rejected, so nothing is dropped without a count. Late telegrams (older than their meter's
 * newest) are kept as history; they are out-of-order arrivals or re-deliveries of a batch that
 * committed before its acknowledgement got out, which cannot be told apart, so neither is
 * counted as accepted twice. Thread-safe and cheap on the hot path.
 */
public final class IngestMetrics {
  private final LongAdder accepted = new LongAdder();
  private final LongAdder flagged = new LongAdder();
  private final LongAdder repeated = new LongAdder();
  private final LongAdder late = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final Map<String, LongAdder> flags = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> reasons = new ConcurrentHashMap<>();

  void count(TelegramResult result) {
    switch (result) {
      case TelegramResult.Accepted a when a.late() -> {
        late.increment();
        a.flags().forEach(f -> flags.computeIfAbsent(f, k -> new LongAdder()).increment());
      }
      case TelegramResult.Accepted a -> {
        if (a.flags().isEmpty()) {
          accepted.increment();
        } else {
          flagged.increment();
          a.flags().forEach(f -> flags.computeIfAbsent(f, k -> new LongAdder()).increment());
        }
      }
      case TelegramResult.Repeated r -> repeated.increment();
      case TelegramResult.Rejected r -> {
        rejected.increment();
        reasons.computeIfAbsent(r.reason().code(), k -> new LongAdder()).increment();
      }
    }
  }

  /** Accepted without flags. */
  public long accepted() {
    return accepted.sum();
  }

  public long flagged() {
    return flagged.sum();
  }

  public long rejected() {
    return rejected.sum();
  }

  public long repeated() {
    return repeated.sum();
  }

  public long late() {
    return late.sum();
  }

  /** Everything that reached ingest. */
  public long total() {
    return accepted() + flagged() + late() + rejected() + repeated();
  }

  public ObjectNode toJson() {
    ObjectNode out = Json.object();
    out.put("telegrams", total());
    out.put("accepted", accepted());
    out.put("flagged", flagged());
    out.put("late", late());
    out.put("repeated", repeated());
    out.put("rejected", rejected());
    ObjectNode byFlag = out.putObject("flags");
    sorted(flags).forEach(byFlag::put);
    ObjectNode byReason = out.putObject("rejections");
    sorted(reasons).forEach(byReason::put);
    return out;
  }

  /** The Prometheus text exposition format (version 0.0.4). */
  public String toPrometheus() {
    StringBuilder out = new StringBuilder();
    out.append("# HELP sleutelbos_ingest_telegrams_total Telegrams that reached ingest, by outcome.\n");
    out.append("# TYPE sleutelbos_ingest_telegrams_total counter\n");
    line(out, "sleutelbos_ingest_telegrams_total", "outcome", "accepted", accepted());
    line(out, "sleutelbos_ingest_telegrams_total", "outcome", "flagged", flagged());
    line(out, "sleutelbos_ingest_telegrams_total", "outcome", "late", late());
    line(out, "sleutelbos_ingest_telegrams_total", "outcome", "repeated", repeated());
    line(out, "sleutelbos_ingest_telegrams_total", "outcome", "rejected", rejected());
    out.append("# HELP sleutelbos_ingest_flags_total Quality flags on accepted telegrams, by flag.\n");
    out.append("# TYPE sleutelbos_ingest_flags_total counter\n");
    sorted(flags).forEach((k, v) -> line(out, "sleutelbos_ingest_flags_total", "flag", k, v));
    out.append("# HELP sleutelbos_ingest_rejections_total Rejected telegrams, by reason.\n");
    out.append("# TYPE sleutelbos_ingest_rejections_total counter\n");
    sorted(reasons).forEach((k, v) -> line(out, "sleutelbos_ingest_rejections_total", "reason", k, v));
    return out.toString();
  }

  private static void line(StringBuilder out, String name, String label, String value, long count) {
    out.append(name).append('{').append(label).append("=\"").append(value).append("\"} ").append(count).append('\n');
  }

  private static Map<String, Long> sorted(Map<String, LongAdder> counts) {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }
}

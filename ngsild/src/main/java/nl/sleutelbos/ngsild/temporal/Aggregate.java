package nl.sleutelbos.ngsild.temporal;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import nl.sleutelbos.store.History;

/** The summary of one aggregation period [start, end) of one attribute. */
public record Aggregate(Instant start, Instant end, History.Bucket bucket) {
  public Aggregate {
    requireNonNull(start, "start is null");
    requireNonNull(end, "end is null");
    requireNonNull(bucket, "bucket is null");
  }
}

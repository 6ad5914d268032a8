package nl.sleutelbos.ngsild.context;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** How often and when a stored context was used; in memory only, updated on every request. */
final class Usage {
  private final AtomicLong hits = new AtomicLong();
  private volatile Instant last;

  void hit(Instant now) {
    hits.incrementAndGet();
    last = now;
  }

  long hits() {
    return hits.get();
  }

  /** Null if never used. */
  Instant last() {
    return last;
  }
}

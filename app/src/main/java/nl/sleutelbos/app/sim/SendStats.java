package nl.sleutelbos.app.sim;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * What became of the telegrams sent: generated and sent, and — as far as the transport learns it —
 * accepted, flagged, repeated and rejected by the ingest, or lost to a transport failure.
 * Thread-safe.
 */
public final class SendStats {
  final LongAdder sent = new LongAdder();
  final LongAdder accepted = new LongAdder();
  final LongAdder flagged = new LongAdder();
  final LongAdder repeated = new LongAdder();
  final LongAdder rejected = new LongAdder();
  final LongAdder failed = new LongAdder();
  private final AtomicReference<String> lastError = new AtomicReference<>();

  public long sent() {
    return sent.sum();
  }

  /** Accepted without a quality flag. */
  public long accepted() {
    return accepted.sum();
  }

  public long flagged() {
    return flagged.sum();
  }

  public long repeated() {
    return repeated.sum();
  }

  public long rejected() {
    return rejected.sum();
  }

  /** Telegrams the transport could not deliver (connection refused, 4xx/5xx for a whole batch). */
  public long failed() {
    return failed.sum();
  }

  /** The last failure's message, or null. */
  public String lastError() {
    return lastError.get();
  }

  void fail(long telegrams, String message) {
    failed.add(telegrams);
    lastError.set(message);
  }
}

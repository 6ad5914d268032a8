package nl.sleutelbos.bench;

import java.util.Arrays;

/** Latencies of one phase, recorded per thread and merged; percentiles by sorting (exact). */
final class Histogram {
  private long[] nanos = new long[1024];
  private int size;

  void record(long latencyNanos) {
    if (size == nanos.length) {
      nanos = Arrays.copyOf(nanos, size * 2);
    }
    nanos[size++] = latencyNanos;
  }

  synchronized void addAll(Histogram other) {
    for (int i = 0; i < other.size; i++) {
      record(other.nanos[i]);
    }
  }

  synchronized void clear() {
    size = 0;
  }

  int count() {
    return size;
  }

  /** The q-quantile in milliseconds, e.g. {@code millis(0.99)}. */
  double millis(double q) {
    if (size == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(nanos, size);
    Arrays.sort(sorted);
    int index = (int) Math.min(size - 1, Math.ceil(q * size) - 1);
    return sorted[Math.max(0, index)] / 1e6;
  }
}

package nl.sleutelbos.app.ingest;

import java.time.Instant;

/**
 * {@code time.toString()}, remembered for the last time asked: the telegrams of a batch mostly
 * share their time, and formatting an Instant is the dearest part of a per-telegram answer.
 * Immutable, so threads share the last one without locking; a miss only formats again.
 */
record TimeText(Instant time, String text) {
  private static TimeText last;

  static String of(Instant time) {
    TimeText known = last;
    if (known != null && known.time.equals(time)) {
      return known.text;
    }
    String text = time.toString();
    last = new TimeText(time, text);
    return text;
  }
}

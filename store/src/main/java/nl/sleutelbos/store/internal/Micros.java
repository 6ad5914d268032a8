package nl.sleutelbos.store.internal;

import java.time.Instant;

/** Instants as microseconds since the epoch: the precision both backends keep. */
public final class Micros {
  private Micros() {}

  public static long of(Instant instant) {
    return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
  }

  public static Instant toInstant(long micros) {
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
  }
}

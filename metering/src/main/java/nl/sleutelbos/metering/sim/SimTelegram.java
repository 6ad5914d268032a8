package nl.sleutelbos.metering.sim;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Set;

/**
 * One telegram the simulator produced.
 *
 * @param sequence its place in the fleet's stream, from 0
 * @param measuredAt the true simulated time it was measured (its timestamp differs under {@link Fault#SKEW})
 * @param reading the values it carries, faults included
 * @param text the DSMR 5 telegram, {@code /} to the CRC line
 * @param faults the faults injected into it, empty for an honest telegram
 */
public record SimTelegram(long sequence, Instant measuredAt, Reading reading, String text, Set<Fault> faults) {
  public SimTelegram {
    requireNonNull(measuredAt, "measuredAt is null");
    requireNonNull(reading, "reading is null");
    requireNonNull(text, "text is null");
    faults = Set.copyOf(faults);
  }

  public String meterId() {
    return reading.meterId();
  }
}

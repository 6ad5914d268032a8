package nl.sleutelbos.metering.validation;

import java.math.BigDecimal;

/**
 * A connection's capacity as the grid operator states it: phases times the fuse rating per
 * phase, e.g. 3x25 A (the common Dutch household connection) or 1x35 A.
 */
public record ConnectionCapacity(int phases, int amperesPerPhase) {

  public ConnectionCapacity {
    if (phases != 1 && phases != 3) {
      throw new IllegalArgumentException("phases is 1 or 3: " + phases);
    }
    if (amperesPerPhase < 1 || amperesPerPhase > 10_000) {
      throw new IllegalArgumentException("amperesPerPhase not in 1..10000: " + amperesPerPhase);
    }
  }

  /** Parses {@code 3x25}, {@code 3x25A}, {@code 1 x 35 A} (case-insensitive). */
  public static ConnectionCapacity parse(String text) {
    String compact = text.replace(" ", "").toLowerCase(java.util.Locale.ROOT);
    if (compact.endsWith("a")) {
      compact = compact.substring(0, compact.length() - 1);
    }
    int x = compact.indexOf('x');
    try {
      if (x < 1) {
        throw new NumberFormatException();
      }
      return new ConnectionCapacity(Integer.parseInt(compact.substring(0, x)),
          Integer.parseInt(compact.substring(x + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a capacity like 3x25A: " + text);
    }
  }

  /** The largest power the connection carries at the given phase voltage, in kW. */
  public BigDecimal maxPowerKw(BigDecimal phaseVoltage) {
    return phaseVoltage.multiply(BigDecimal.valueOf((long) phases * amperesPerPhase)).movePointLeft(3);
  }

  @Override
  public String toString() {
    return phases + "x" + amperesPerPhase + "A";
  }
}

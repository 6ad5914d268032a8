package nl.sleutelbos.metering.validation;

/** What is odd about an accepted reading. A flagged reading is stored with its flags, never dropped. */
public enum QualityFlag {
  /** A cumulative register (energy per tariff and direction, an M-Bus meter's value) is lower than before. */
  REGISTER_DECREASED,
  /** The telegram's time is later than its receipt plus {@link ValidationConfig#futureTolerance()}. */
  TIMESTAMP_IN_FUTURE,
  /** The telegram's time is earlier than its receipt minus {@link ValidationConfig#maxAge()}. */
  TIMESTAMP_TOO_OLD,
  /** The telegram is not later than the meter's last accepted one; registers are then not compared. */
  OUT_OF_ORDER,
  /** Power or a phase current above what the connection can carry, plus {@link ValidationConfig#capacityTolerance()}. */
  POWER_ABOVE_CAPACITY,
  /** A phase voltage outside the nominal voltage ± {@link ValidationConfig#voltageTolerance()} (EN 50160). */
  VOLTAGE_OUT_OF_RANGE,
  /** More than {@link ValidationConfig#maxMissedIntervals()} expected intervals passed since the last telegram. */
  GAP
}

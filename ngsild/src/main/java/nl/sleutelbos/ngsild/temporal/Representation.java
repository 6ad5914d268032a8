package nl.sleutelbos.ngsild.temporal;

/** How a temporal entity is answered (clause 4.5.7 to 4.5.9 and 4.5.19). */
public enum Representation {
  /** Every instance in full, with its instanceId. */
  NORMALIZED,
  /** {@code options=temporalValues}: per attribute a list of [value, time] pairs. */
  TEMPORAL_VALUES,
  /** {@code options=aggregatedValues}: per attribute and method a list of [value, start, end]. */
  AGGREGATED
}

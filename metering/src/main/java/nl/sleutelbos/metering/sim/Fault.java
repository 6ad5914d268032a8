package nl.sleutelbos.metering.sim;

/** A fault the simulator can put into a telegram on request. */
public enum Fault {
  /** The CRC does not match the telegram's bytes (a transmission error): the head-end must reject it. */
  CRC,
  /** The energy registers were set back (tampering, a meter swap gone wrong): lower than the telegram before. */
  ROLLBACK,
  /** The meter's clock is off: the telegram's timestamp is not the time it was measured. */
  SKEW,
  /** A manipulated sensor: every measured power and energy increment is reduced by a percentage. */
  UNDERREPORT
}

package nl.sleutelbos.metering.sim;

/**
 * Output of a rooftop solar installation per kWp: the sun's elevation (so midday, more in summer,
 * nothing at night) times the day's clearness. Scaled so that one kWp yields
 * {@value #YIELD_KWH_PER_KWP} kWh a year on average, the usual Dutch figure.
 */
final class SolarProfile {
  static final double YIELD_KWH_PER_KWP = 875;
  private static final double EXPONENT = 1.15;
  private static final double MEAN_CLEARNESS = 0.6;
  /** Output per kWp at the sun's zenith on a clear day; calibrated once over a whole year. */
  private static final double SCALE = calibrate();

  private SolarProfile() {}

  private static double calibrate() {
    double sum = 0;
    long start = 1_704_067_200L; // 2024-01-01T00:00Z; any year gives the same within 0.1 %
    for (long t = start; t < start + 365L * 86_400; t += 900) {
      sum += Math.pow(Math.max(0, Climate.sunElevationSine(t + 450)), EXPONENT) * 0.25;
    }
    return YIELD_KWH_PER_KWP / (sum * MEAN_CLEARNESS);
  }

  /** Output in kW of one kWp at this instant, given the day's clearness (0.2–1). */
  static double perKwp(long epochSecond, double clearness) {
    double sine = Climate.sunElevationSine(epochSecond);
    if (sine <= 0) {
      return 0;
    }
    return Math.min(0.9, SCALE * Math.pow(sine, EXPONENT) * clearness);
  }
}

package nl.sleutelbos.metering.sim;

/**
 * The shape of a Dutch household's electricity use through the day and the year, after the NEDU
 * standard profile E1A (small connections, single tariff): low at night, a morning rise, a midday
 * plateau, the evening peak around 18:00–20:00, and more in winter than in summer. Factors are
 * relative to the yearly mean, so {@code annual kWh / 8760 × factor} is the mean power in kW.
 */
final class LoadProfile {
  /** Hourly factors for working days and for weekends, by local hour (before normalisation). */
  private static final double[] WEEKDAY = {
      0.55, 0.48, 0.45, 0.44, 0.44, 0.48, 0.65, 0.95, 1.00, 0.88, 0.84, 0.88,
      0.95, 0.90, 0.85, 0.88, 1.05, 1.45, 1.78, 1.75, 1.60, 1.40, 1.10, 0.80};
  private static final double[] WEEKEND = {
      0.62, 0.52, 0.47, 0.45, 0.44, 0.45, 0.50, 0.62, 0.85, 1.05, 1.12, 1.15,
      1.18, 1.10, 1.02, 1.00, 1.10, 1.45, 1.75, 1.70, 1.58, 1.40, 1.15, 0.85};
  /** Amplitude of the season: +22 % in January, −22 % in July (E1A's winter/summer ratio ≈ 1.55). */
  private static final double SEASON = 0.22;
  private static final double WEEK_MEAN = (5 * mean(WEEKDAY) + 2 * mean(WEEKEND)) / 7;

  private LoadProfile() {}

  private static double mean(double[] hours) {
    double sum = 0;
    for (double h : hours) {
      sum += h;
    }
    return sum / hours.length;
  }

  /** The factor at this instant; its mean over a year is 1. */
  static double factor(long epochSecond) {
    long local = epochSecond + Climate.localOffset(epochSecond);
    long day = Math.floorDiv(local, 86_400L);
    // 1 January 1970 was a Thursday: day 2 (Saturday) and 3 (Sunday) mod 7 are the weekend.
    int weekday = (int) Math.floorMod(day + 3, 7L); // 0 = Monday
    double[] hours = weekday >= 5 ? WEEKEND : WEEKDAY;
    double hour = Math.floorMod(local, 86_400L) / 3600.0 - 0.5;
    int h0 = (int) Math.floor(hour);
    double frac = hour - h0;
    double shape = hours[Math.floorMod(h0, 24)] * (1 - frac) + hours[Math.floorMod(h0 + 1, 24)] * frac;
    return shape / WEEK_MEAN * (1 + SEASON * Climate.winterness(epochSecond));
  }

  /** Dutch low tariff (1): weekdays 23:00–07:00 and the whole weekend, local time. */
  static boolean lowTariff(long epochSecond) {
    long local = epochSecond + Climate.localOffset(epochSecond);
    int weekday = (int) Math.floorMod(Math.floorDiv(local, 86_400L) + 3, 7L);
    int hour = (int) (Math.floorMod(local, 86_400L) / 3600);
    return weekday >= 5 || hour >= 23 || hour < 7;
  }
}

package nl.sleutelbos.metering.sim;

/**
 * A household's hourly gas use: space heating in proportion to heating degrees (18 °C minus the
 * outside temperature, halved at night when the thermostat is set back) plus hot water and
 * cooking, 15 % of the year's use, mostly in the morning and evening. Scaled so that a household
 * uses its annual volume in a normal year.
 */
final class GasProfile {
  private static final double HOT_WATER_SHARE = 0.15;
  private static final double HEATING_BASE = 18.0;
  private static final double[] HOT_WATER = {
      0.2, 0.1, 0.1, 0.1, 0.2, 0.5, 1.6, 2.4, 1.8, 1.2, 0.9, 0.9,
      1.1, 0.9, 0.8, 0.8, 1.0, 1.6, 1.9, 1.6, 1.3, 1.2, 0.9, 0.5};
  private static final double HOT_WATER_SUM;
  /** Heating degree-hours of a normal year, for scaling. */
  private static final double NORMAL_DEGREE_HOURS;

  static {
    double s = 0;
    for (double h : HOT_WATER) {
      s += h;
    }
    HOT_WATER_SUM = s;
    double sum = 0;
    long start = 1_704_067_200L;
    for (long t = start; t < start + 365L * 86_400; t += 3600) {
      sum += heatingDegrees(t, Climate.normalTemperature(t));
    }
    NORMAL_DEGREE_HOURS = sum;
  }

  private GasProfile() {}

  private static double heatingDegrees(long epochSecond, double outside) {
    int hour = localHour(epochSecond);
    double setback = hour >= 23 || hour < 6 ? 0.5 : 1.0;
    return Math.max(0, HEATING_BASE - outside) * setback;
  }

  private static int localHour(long epochSecond) {
    return (int) (Math.floorMod(epochSecond + Climate.localOffset(epochSecond), 86_400L) / 3600);
  }

  /** Cubic metres used in the hour that starts at {@code hourStart}, for this annual volume. */
  static double hour(long hourStart, double annualM3, Climate climate) {
    long mid = hourStart + 1800;
    double heating = heatingDegrees(mid, climate.temperature(mid)) / NORMAL_DEGREE_HOURS;
    double water = HOT_WATER[localHour(mid)] / HOT_WATER_SUM / 365.0;
    return annualM3 * ((1 - HOT_WATER_SHARE) * heating + HOT_WATER_SHARE * water);
  }
}

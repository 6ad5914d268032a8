package nl.sleutelbos.metering.sim;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The state of N simulated households' meters, in primitive arrays so a million meters fit in
 * about 80 MB (no object per meter): each household's fixed traits (annual use, solar panels,
 * gas, phases) and its cumulative registers, advanced only forward in time.
 *
 * <p>Power at an instant is a pure function of (seed, meter, time): the household's annual use
 * times the {@link LoadProfile} factor times a quarter-hourly randomness of ±50 %, minus its solar
 * output ({@link SolarProfile}). Energy between two telegrams is that power integrated in steps of
 * at most a quarter of an hour (ending on quarter-hours) and added to the register of the tariff in force (or to the returned
 * registers when the panels produce more than the household uses); gas is added per whole hour
 * ({@link GasProfile}). So registers only grow, and the same seed gives the same fleet.
 *
 * <p>Not thread-safe: one meter's telegrams must come from one thread, in time order.
 */
final class Fleet {
  /** The meter makes the fleet is bought from, with their DSMR 5 identification lines. */
  static final String[] HEADERS = {"ISK5\\2M550T-1012", "Ene5\\T210-D ESMR5.0", "KFM5KAIFA-METER", "XMX5LGF0010453011217"};
  /** Integration steps end at quarter-hours, where the household's randomness changes. */
  private static final long STEP = 900;
  /** Registers climb from here; see {@link #startRegisters}. */
  private static final long REFERENCE = 1_767_225_600L; // 2026-01-01T00:00:00Z
  /** How many times the average rate the registers climb between runs (see {@link #startRegisters}). */
  private static final int CLIMB = 8;
  private static final int K_TRAIT = 10;
  private static final int K_LOAD = 11;
  private static final int K_SOLAR = 12;

  private final long seed;
  private final int size;
  private final Climate climate;
  private final float[] annualKwh;
  private final float[] solarKwp;
  private final float[] gasM3;
  private final float[] voltageOffset;
  private final byte[] traits; // bit 0: three phases; bits 1-2: make
  private final long[] delivered1;
  private final long[] delivered2;
  private final long[] returned1;
  private final long[] returned2;
  private final double[] gasLitres;
  private final long[] lastSecond;
  private final int[] lastGasHour;

  Fleet(long seed, int size, double solarShare) {
    if (size < 1) {
      throw new IllegalArgumentException("size < 1: " + size);
    }
    this.seed = seed;
    this.size = size;
    this.climate = new Climate(seed);
    annualKwh = new float[size];
    solarKwp = new float[size];
    gasM3 = new float[size];
    voltageOffset = new float[size];
    traits = new byte[size];
    delivered1 = new long[size];
    delivered2 = new long[size];
    returned1 = new long[size];
    returned2 = new long[size];
    gasLitres = new double[size];
    lastSecond = new long[size];
    lastGasHour = new int[size];
    for (int i = 0; i < size; i++) {
      // Two uniforms averaged: a bell-ish spread around the Dutch mean of about 2,900 kWh and 1,150 m³.
      annualKwh[i] = (float) (2900 * (0.55 + 0.45 * (trait(i, 0) + trait(i, 1))));
      solarKwp[i] = trait(i, 2) < solarShare ? (float) (2 + 4 * trait(i, 3)) : 0;
      gasM3[i] = trait(i, 4) < 0.9 ? (float) (1150 * (0.5 + 0.5 * (trait(i, 5) + trait(i, 6)))) : 0;
      voltageOffset[i] = (float) (-3 + 8 * trait(i, 7));
      int make = (int) (trait(i, 8) * HEADERS.length);
      traits[i] = (byte) ((trait(i, 9) < 0.3 ? 1 : 0) | make << 1);
      double years = 1 + 7 * trait(i, 10);
      long annualWh = (long) (annualKwh[i] * 1000);
      delivered1[i] = (long) (annualWh * years * 0.45) * 1000;
      delivered2[i] = (long) (annualWh * years * 0.55) * 1000;
      long solarWh = (long) (solarKwp[i] * SolarProfile.YIELD_KWH_PER_KWP * 650 * Math.min(years, 4));
      returned1[i] = solarWh * 35 / 100 * 1000;
      returned2[i] = solarWh * 65 / 100 * 1000;
      gasLitres[i] = gasM3[i] * 1000 * years;
      lastSecond[i] = Long.MIN_VALUE;
    }
  }

  private double trait(int meter, int which) {
    return Noise.uniform(seed, K_TRAIT, meter, which);
  }

  int size() {
    return size;
  }

  double annualKwh(int meter) {
    return annualKwh[meter];
  }

  double solarKwp(int meter) {
    return solarKwp[meter];
  }

  boolean hasGas(int meter) {
    return gasM3[meter] > 0;
  }

  int phaseCount(int meter) {
    return (traits[meter] & 1) == 1 ? 3 : 1;
  }

  /** The household's consumption in kW at this instant (what it uses, before solar). */
  double consumption(int meter, long epochSecond) {
    double noise = 0.5 + Noise.uniform(seed, K_LOAD, meter, Math.floorDiv(epochSecond, 900L));
    return annualKwh[meter] / 8760.0 * LoadProfile.factor(epochSecond) * noise;
  }

  /** The household's solar output in kW at this instant. */
  double solar(int meter, long epochSecond) {
    if (solarKwp[meter] == 0) {
      return 0;
    }
    double passingClouds = 0.8 + 0.4 * Noise.uniform(seed, K_SOLAR, meter, Math.floorDiv(epochSecond, 900L));
    return solarKwp[meter] * SolarProfile.perKwp(epochSecond, climate.clearness(epochSecond)) * passingClouds;
  }

  /** Sets the delivered registers back by {@code wh} each, never below zero. */
  void rollBack(int meter, long wh) {
    delivered1[meter] = Math.max(0, delivered1[meter] - wh * 1000);
    delivered2[meter] = Math.max(0, delivered2[meter] - wh * 1000);
  }

  /**
   * Advances the meter to {@code epochSecond} and reads it.
   *
   * @param sensor the share of the truth the meter's sensor reports (1 for an honest meter)
   * @param stamped the time the meter's clock shows
   */
  Reading read(int meter, String meterId, long epochSecond, double sensor, Instant stamped) {
    advance(meter, epochSecond, sensor);
    double uses = consumption(meter, epochSecond);
    double makes = solar(meter, epochSecond);
    double net = (uses - makes) * sensor;
    int phases = phaseCount(meter);
    Reading.Phase[] values = new Reading.Phase[phases];
    long volt = Noise.hash(seed, 13, meter, epochSecond);
    for (int p = 0; p < phases; p++) {
      // A three-phase household draws most on L1; panels feed all phases equally.
      double share = phases == 1 ? 1 : p == 0 ? 0.5 : p == 1 ? 0.3 : 0.2;
      double netPhase = phases == 1 ? net
          : (uses * share - makes / 3) * sensor;
      // Voltage: the feeder's own level, a little jitter, and a rise when this house pushes power into the grid.
      double volts = 230 + voltageOffset[meter] + ((volt >>> (p * 16) & 0xffff) / 65535.0 - 0.5) * 3
          + Math.max(0, -netPhase) * 1.5;
      int delivered = (int) Math.round(Math.max(0, netPhase) * 1000);
      int returned = (int) Math.round(Math.max(0, -netPhase) * 1000);
      values[p] = new Reading.Phase((int) Math.round(volts * 10), (int) Math.round(Math.abs(netPhase) * 1000 / volts),
          delivered, returned);
    }
    Optional<Reading.Gas> gas = Optional.empty();
    if (gasM3[meter] > 0) {
      gas = Optional.of(new Reading.Gas(gasId(meter), Instant.ofEpochSecond(lastGasHour[meter] * 3600L),
          (long) gasLitres[meter]));
    }
    return new Reading(meterId, HEADERS[traits[meter] >> 1 & 3], meterId, stamped,
        LoadProfile.lowTariff(epochSecond) ? 1 : 2,
        delivered1[meter] / 1000, delivered2[meter] / 1000, returned1[meter] / 1000, returned2[meter] / 1000,
        (int) Math.round(Math.max(0, net) * 1000), (int) Math.round(Math.max(0, -net) * 1000),
        List.of(values), gas);
  }

  private void advance(int meter, long to, double sensor) {
    long from = lastSecond[meter];
    int hour = (int) Math.floorDiv(to, 3600L);
    if (from == Long.MIN_VALUE) {
      startRegisters(meter, to);
      lastSecond[meter] = to;
      lastGasHour[meter] = hour;
      return;
    }
    if (to < from) {
      throw new IllegalStateException("meter " + meter + " asked for " + to + " after " + from);
    }
    // Registers in mWh so that one-second telegrams still add up.
    for (long t = from; t < to; ) {
      long step = Math.min(STEP - Math.floorMod(t, STEP), to - t);
      long mid = t + step / 2;
      double kw = (consumption(meter, mid) - solar(meter, mid)) * sensor;
      long mwh = Math.round(Math.abs(kw) * step * (1000 / 3.6)); // kW·s → mWh
      boolean low = LoadProfile.lowTariff(mid);
      if (kw >= 0) {
        if (low) {
          delivered1[meter] += mwh;
        } else {
          delivered2[meter] += mwh;
        }
      } else if (low) {
        returned1[meter] += mwh;
      } else {
        returned2[meter] += mwh;
      }
      t += step;
    }
    lastSecond[meter] = to;
    if (gasM3[meter] > 0) {
      for (long h = lastGasHour[meter]; h < hour; h++) {
        gasLitres[meter] += GasProfile.hour(h * 3600, gasM3[meter], climate) * 1000 * sensor;
      }
    }
    lastGasHour[meter] = hour;
  }

  /**
   * A meter's registers at its first telegram: what it counted before, plus a climb since
   * {@link #REFERENCE} at {@value #CLIMB} times the household's average rate. The climb is faster
   * than any stretch of real use, so a fleet started again later (the demo run a second time)
   * never begins below where the previous run left its registers, which the head-end would rightly
   * flag as a roll-back.
   */
  private void startRegisters(int meter, long at) {
    double years = (at - REFERENCE) / (Climate.DAYS_PER_YEAR * 86_400);
    long deliveredMwh = (long) (annualKwh[meter] * 1e6 * CLIMB * years);
    long returnedMwh = (long) (solarKwp[meter] * SolarProfile.YIELD_KWH_PER_KWP * 1e6 * CLIMB * years);
    delivered1[meter] = Math.max(0, delivered1[meter] + deliveredMwh * 45 / 100);
    delivered2[meter] = Math.max(0, delivered2[meter] + deliveredMwh * 55 / 100);
    returned1[meter] = Math.max(0, returned1[meter] + returnedMwh * 35 / 100);
    returned2[meter] = Math.max(0, returned2[meter] + returnedMwh * 65 / 100);
    gasLitres[meter] = Math.max(0, gasLitres[meter] + gasM3[meter] * 1000 * CLIMB * years);
  }

  /** The gas meter's equipment id: {@code gas-0001} beside {@code meter-0001}. */
  static String gasId(int meter) {
    return FleetSimulator.padded("gas-", meter + 1);
  }
}

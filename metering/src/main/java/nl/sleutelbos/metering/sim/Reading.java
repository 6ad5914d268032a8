package nl.sleutelbos.metering.sim;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What one simulated meter reports in one telegram, in the integer units of DSMR's fixed
 * decimals: energy in Wh (kWh with three decimals), power in W, voltage in tenths of a volt,
 * current in whole amperes, gas in litres (m³ with three decimals).
 *
 * @param meterId the head-end's name for the meter ({@code meter-0001})
 * @param header the identification line without the slash, e.g. {@code ISK5\2M550T-1012}
 * @param equipmentId the meter's equipment identifier (OBIS 0-0:96.1.1, written hex-encoded); the
 *     simulator uses the meter id, which is how the head-end knows a meter
 * @param timestamp the time the meter stamps on the telegram (its own clock, skew included)
 * @param tariff the tariff in force, 1 (low) or 2 (normal)
 * @param delivered1 energy delivered to the client, tariff 1, Wh (1-0:1.8.1)
 * @param delivered2 energy delivered to the client, tariff 2, Wh (1-0:1.8.2)
 * @param returned1 energy returned by the client, tariff 1, Wh (1-0:2.8.1)
 * @param returned2 energy returned by the client, tariff 2, Wh (1-0:2.8.2)
 * @param powerDelivered actual power delivered, W (1-0:1.7.0)
 * @param powerReturned actual power returned, W (1-0:2.7.0)
 * @param phases one or three phases, L1 first
 * @param gas the gas meter on M-Bus channel 1, if the household has gas
 */
public record Reading(String meterId, String header, String equipmentId, Instant timestamp, int tariff,
    long delivered1, long delivered2, long returned1, long returned2, int powerDelivered, int powerReturned,
    List<Phase> phases, Optional<Gas> gas) {

  public Reading {
    requireNonNull(meterId, "meterId is null");
    requireNonNull(header, "header is null");
    requireNonNull(equipmentId, "equipmentId is null");
    requireNonNull(timestamp, "timestamp is null");
    phases = List.copyOf(phases);
    requireNonNull(gas, "gas is null");
  }

  /** Total energy delivered to the client over both tariffs, Wh. */
  public long delivered() {
    return delivered1 + delivered2;
  }

  /** Total energy returned by the client over both tariffs, Wh. */
  public long returned() {
    return returned1 + returned2;
  }

  /**
   * One phase's instantaneous values.
   *
   * @param voltage tenths of a volt (1-0:32.7.0 and on)
   * @param current whole amperes (1-0:31.7.0 and on)
   * @param delivered power delivered on this phase, W (1-0:21.7.0 and on)
   * @param returned power returned on this phase, W (1-0:22.7.0 and on)
   */
  public record Phase(int voltage, int current, int delivered, int returned) {}

  /**
   * The gas meter's last hourly value.
   *
   * @param equipmentId its serial number (0-1:96.1.0)
   * @param measuredAt the whole hour the value is for (0-1:24.2.1)
   * @param litres the cumulative volume in litres
   */
  public record Gas(String equipmentId, Instant measuredAt, long litres) {}
}

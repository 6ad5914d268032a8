package nl.sleutelbos.metering.sim;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which faults to inject, and where. Rates are the share of all telegrams (0 to 1) that carry the
 * fault, chosen by the seed; targeted faults name meters.
 *
 * <p>Text form ({@link #parse}), comma-separated, keys may repeat for more meters:
 * <pre>
 *   crc=0.01                     1 % of telegrams with a wrong CRC
 *   rollback=0.001               0.1 % of telegrams after the delivered registers were set back
 *   skew=0.01                    1 % of telegrams stamped one hour ahead of the time measured
 *   skew=meter-0003:-PT30M       every telegram of meter-0003 stamped 30 minutes behind
 *   underreport=meter-0001:20    meter-0001's sensor reports 20 % less than it measures
 * </pre>
 *
 * @param crcRate share of telegrams with a corrupted CRC
 * @param rollbackRate share of telegrams whose meter's delivered registers were set back by {@link #ROLLBACK_WH} first
 * @param skewRate share of telegrams stamped {@link #SKEW_OFFSET} ahead
 * @param skewedMeters meters whose clock is always off, by the given (signed) duration
 * @param underreport meters with a manipulated sensor, by the percentage it under-reports (0–100, exclusive)
 */
public record FaultPlan(double crcRate, double rollbackRate, double skewRate, Map<String, Duration> skewedMeters,
    Map<String, Double> underreport) {
  public static final FaultPlan NONE = new FaultPlan(0, 0, 0, Map.of(), Map.of());
  /** How far a roll-back sets each delivered register back: 100 kWh, clearly more than any telegram adds. */
  public static final long ROLLBACK_WH = 100_000;
  /** How far ahead a randomly skewed telegram is stamped. */
  public static final Duration SKEW_OFFSET = Duration.ofHours(1);

  public FaultPlan {
    rate("crc", crcRate);
    rate("rollback", rollbackRate);
    rate("skew", skewRate);
    skewedMeters = Map.copyOf(requireNonNull(skewedMeters, "skewedMeters is null"));
    underreport = Map.copyOf(requireNonNull(underreport, "underreport is null"));
    underreport.forEach((meter, percent) -> {
      if (!(percent > 0 && percent < 100)) {
        throw new IllegalArgumentException("underreport for " + meter + " must be a percentage above 0 and below 100: " + percent);
      }
    });
  }

  private static void rate(String name, double rate) {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException(name + " must be a share of telegrams from 0 to 1: " + rate);
    }
  }

  /** Reads the text form; an empty text is no faults. */
  public static FaultPlan parse(String text) {
    requireNonNull(text, "text is null");
    double crc = 0;
    double rollback = 0;
    double skew = 0;
    Map<String, Duration> skewed = new LinkedHashMap<>();
    Map<String, Double> under = new LinkedHashMap<>();
    for (String part : text.split(",")) {
      String item = part.strip();
      if (item.isEmpty()) {
        continue;
      }
      int eq = item.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("fault '" + item + "' needs the form kind=value");
      }
      String kind = item.substring(0, eq).strip();
      String value = item.substring(eq + 1).strip();
      switch (kind) {
        case "crc" -> crc = number(item, value);
        case "rollback" -> rollback = number(item, value);
        case "skew" -> {
          int colon = value.lastIndexOf(':');
          if (colon < 0) {
            skew = number(item, value);
          } else {
            skewed.put(value.substring(0, colon), duration(item, value.substring(colon + 1)));
          }
        }
        case "underreport" -> {
          int colon = value.lastIndexOf(':');
          if (colon < 0) {
            throw new IllegalArgumentException("fault '" + item + "' needs the form underreport=METER:PERCENT");
          }
          under.put(value.substring(0, colon), number(item, value.substring(colon + 1)));
        }
        default -> throw new IllegalArgumentException("unknown fault '" + kind + "'; known: crc, rollback, skew, underreport");
      }
    }
    return new FaultPlan(crc, rollback, skew, skewed, under);
  }

  private static double number(String item, String value) {
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("fault '" + item + "': not a number: " + value);
    }
  }

  /** Whole seconds (-1800) or an ISO-8601 duration (-PT30M). */
  private static Duration duration(String item, String value) {
    try {
      return value.matches("[+-]?\\d+") ? Duration.ofSeconds(Long.parseLong(value)) : Duration.parse(value);
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new IllegalArgumentException("fault '" + item + "': not seconds or an ISO-8601 duration: " + value);
    }
  }

  public boolean isEmpty() {
    return crcRate == 0 && rollbackRate == 0 && skewRate == 0 && skewedMeters.isEmpty() && underreport.isEmpty();
  }
}

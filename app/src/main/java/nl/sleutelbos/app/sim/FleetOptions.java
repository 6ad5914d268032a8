package nl.sleutelbos.app.sim;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import nl.sleutelbos.metering.sim.FaultPlan;
import nl.sleutelbos.metering.sim.FleetSettings;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The simulated fleet's options, shared by {@code sim} and {@code demo}. */
public final class FleetOptions {
  @Option(names = "--meters", defaultValue = "1000", description = "How many meters, 1 to 1,000,000 (default: ${DEFAULT-VALUE}).")
  int meters;

  @Option(names = "--interval", defaultValue = "10s", converter = DurationConverter.class,
      description = "Simulated time between two telegrams of one meter: 10s, 15m, 1h or ISO-8601 (default: ${DEFAULT-VALUE}).")
  Duration interval;

  @Option(names = "--speed", defaultValue = "1",
      description = "How much faster than real time the simulated clock runs, e.g. 60 for an hour a minute (default: ${DEFAULT-VALUE}). "
          + "Above 1 the clock runs ahead of the server's: start in the past with --start to replay.")
  double speed;

  @Option(names = "--start", description = "Simulated time of the first telegram, ISO-8601 (default: now).")
  String start;

  @Option(names = "--seed", defaultValue = "" + FleetSettings.DEFAULT_SEED, description = "Seed of the fleet's traits, loads and faults (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--solar-share", defaultValue = "" + FleetSettings.DEFAULT_SOLAR_SHARE,
      description = "Share of households with solar panels (default: ${DEFAULT-VALUE}).")
  double solarShare;

  @Option(names = "--faults", defaultValue = "", paramLabel = "LIST",
      description = "Faults to inject, comma-separated: crc=0.01 (share of telegrams with a bad CRC), rollback=0.001 "
          + "(registers set back), skew=0.01 (an hour ahead) or skew=meter-0003:-PT30M, underreport=meter-0001:20 (percent).")
  String faults;

  public double speed() {
    return speed;
  }

  /** The fleet these options describe; a bad value is a parameter error naming it. */
  public FleetSettings settings(CommandLine cmd) {
    try {
      Instant first = start == null ? Instant.now().truncatedTo(ChronoUnit.SECONDS)
          : Instant.parse(start).truncatedTo(ChronoUnit.SECONDS);
      return new FleetSettings(meters, seed, first, interval, solarShare, FaultPlan.parse(faults));
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new CommandLine.ParameterException(cmd, e.getMessage());
    }
  }

  /** {@code 10s}, {@code 15m}, {@code 1h}, {@code 1d}, or an ISO-8601 duration. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String v = value.strip().toLowerCase(java.util.Locale.ROOT);
      try {
        if (v.matches("\\d+[smhd]")) {
          long n = Long.parseLong(v.substring(0, v.length() - 1));
          return switch (v.charAt(v.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
          };
        }
        return Duration.parse(value.strip());
      } catch (DateTimeParseException | NumberFormatException e) {
        throw new CommandLine.TypeConversionException("not a duration (10s, 15m, 1h, PT15M): " + value);
      }
    }
  }
}

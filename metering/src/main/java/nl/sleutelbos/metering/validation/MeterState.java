package nl.sleutelbos.metering.validation;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import nl.sleutelbos.metering.dsmr.MbusReading;
import nl.sleutelbos.metering.dsmr.Telegram;

/**
 * What the head-end remembers of a meter between telegrams: the time of the last accepted one and
 * the last value of each cumulative register, keyed by OBIS reference ({@code 1-0:1.8.1},
 * {@code 1-0:1.8.2}, {@code 1-0:2.8.1}, {@code 1-0:2.8.2}, and {@code 0-n:24.2.1} for the M-Bus
 * device on channel n), in the telegram's units (kWh, m3, GJ).
 */
public record MeterState(Instant lastTimestamp, Map<String, BigDecimal> registers) {

  public MeterState {
    Objects.requireNonNull(lastTimestamp, "lastTimestamp is null");
    registers = Map.copyOf(registers);
  }

  /** The state right after accepting {@code telegram} as the first of its meter. */
  public static MeterState of(Telegram telegram, Instant receivedAt) {
    return new MeterState(telegram.timestamp().orElse(receivedAt), registersOf(telegram));
  }

  /** The cumulative registers the telegram carries, keyed as described above. */
  public static Map<String, BigDecimal> registersOf(Telegram telegram) {
    Map<String, BigDecimal> registers = new LinkedHashMap<>();
    telegram.energyDeliveredTariff1().ifPresent(v -> registers.put("1-0:1.8.1", v));
    telegram.energyDeliveredTariff2().ifPresent(v -> registers.put("1-0:1.8.2", v));
    telegram.energyReturnedTariff1().ifPresent(v -> registers.put("1-0:2.8.1", v));
    telegram.energyReturnedTariff2().ifPresent(v -> registers.put("1-0:2.8.2", v));
    for (MbusReading device : telegram.mbus()) {
      device.value().ifPresent(v -> registers.put(mbusRegister(device.channel()), v));
    }
    return registers;
  }

  private static final String[] MBUS = {"0-0:24.2.1", "0-1:24.2.1", "0-2:24.2.1", "0-3:24.2.1", "0-4:24.2.1"};

  /** The key of the M-Bus device's register on {@code channel}. */
  static String mbusRegister(int channel) {
    return channel >= 0 && channel < MBUS.length ? MBUS[channel] : "0-" + channel + ":24.2.1";
  }

  /** This state moved on to {@code telegram} at {@code time}: its registers replace those it carries. */
  MeterState advance(Telegram telegram, Instant time) {
    Map<String, BigDecimal> merged = new LinkedHashMap<>(registers);
    merged.putAll(registersOf(telegram));
    return new MeterState(time, merged);
  }
}

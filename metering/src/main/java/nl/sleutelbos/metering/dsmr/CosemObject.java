package nl.sleutelbos.metering.dsmr;

import java.util.List;
import java.util.Objects;

/**
 * An OBIS object the parser does not know, kept as it came: its reference (e.g. {@code 0-0:96.1.4})
 * and the raw text inside each pair of brackets, in order (units included, e.g. {@code 1.000*kWh}).
 */
public record CosemObject(String obis, List<String> values) {
  public CosemObject {
    Objects.requireNonNull(obis, "obis is null");
    values = List.copyOf(values);
    if (values.isEmpty()) {
      throw new IllegalArgumentException("an object has at least one value: " + obis);
    }
  }
}

package nl.sleutelbos.metering.dsmr;

import java.math.BigDecimal;
import java.util.Objects;

/** A value with the unit the telegram gave it, for objects whose unit varies between DSMR versions. */
public record Quantity(BigDecimal value, Unit unit) {
  public Quantity {
    Objects.requireNonNull(value, "value is null");
    Objects.requireNonNull(unit, "unit is null");
  }
}

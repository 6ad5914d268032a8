package nl.sleutelbos.metering.dsmr;

/** The units a P1 telegram may carry after {@code *} (or, in DSMR 2.2/3 gas lines, in brackets). */
public enum Unit {
  KWH("kWh"), KW("kW"), V("V"), A("A"), M3("m3"), GJ("GJ"), S("s");

  private final String symbol;

  Unit(String symbol) {
    this.symbol = symbol;
  }

  /** As written in a telegram: {@code kWh}, {@code m3}, ... */
  public String symbol() {
    return symbol;
  }

  /** The unit with this symbol, compared ignoring case (some meters write {@code M3}); null if none. */
  public static Unit ofSymbol(CharSequence symbol) {
    for (Unit unit : values()) {
      if (unit.symbol.contentEquals(symbol) || unit.symbol.equalsIgnoreCase(symbol.toString())) {
        return unit;
      }
    }
    return null;
  }
}

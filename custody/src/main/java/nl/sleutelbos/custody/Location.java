package nl.sleutelbos.custody;

import java.util.Locale;
import java.util.Set;

/** The country (ISO 3166-1 alpha-2) where a backend's keys physically are. */
public record Location(String country) {
  private static final Set<String> EU = Set.of(
      "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
      "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK");

  public Location {
    if (country == null || !country.matches("[A-Za-z]{2}")) {
      throw new IllegalArgumentException("country is not ISO 3166-1 alpha-2: " + country);
    }
    country = country.toUpperCase(Locale.ROOT);
  }

  /** Whether the country is an EU member state. */
  public boolean inEu() {
    return EU.contains(country);
  }
}

package nl.sleutelbos.auth;

import java.util.Set;

/**
 * Which entity types hold personal data (a household's consumption, its consents). The
 * enforcement point marks a request on such a type with {@code urn:sleutelbos:resource:personal}
 * so the policy decides on one boolean instead of repeating this list in every rule; attributes
 * that are personal on otherwise technical entities (a meter's power reading) are removed by the
 * policy's {@code remove-attributes} obligations instead.
 */
public final class PersonalData {
  /** Terms of the default vocabulary. */
  public static final Set<String> TYPES = Set.of("Reading", "MeterReading", "EnergyReading", "Household", "Consent");

  private PersonalData() {}

  static boolean isPersonal(Set<String> compactTypes) {
    for (String type : compactTypes) {
      if (TYPES.contains(type)) {
        return true;
      }
    }
    return false;
  }
}

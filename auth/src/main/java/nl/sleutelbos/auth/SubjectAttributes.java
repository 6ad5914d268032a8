package nl.sleutelbos.auth;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.Set;

/**
 * Who asks, as the policy sees it. Built from the identity module's {@code Subject}: its id and
 * roles, and its organisation split into kind and name ({@code supplier:eneco} is kind
 * {@code supplier}, name {@code eneco}; a household's name is its connection id).
 *
 * @param organisationKind {@code operator}, {@code vendor}, {@code supplier}, {@code household}, {@code meter},
 *     {@code auditor}, or empty when the token names no organisation
 */
public record SubjectAttributes(String id, Set<String> roles, Optional<String> organisationKind,
    Optional<String> organisationName, Optional<String> country) {
  public SubjectAttributes {
    requireNonNull(id, "id is null");
    roles = Set.copyOf(roles);
    requireNonNull(organisationKind, "organisationKind is null");
    requireNonNull(organisationName, "organisationName is null");
    requireNonNull(country, "country is null");
  }

  /**
   * From the text form of an organisation as tokens carry it: {@code operator} or {@code kind:name}.
   */
  public static SubjectAttributes of(String id, Set<String> roles, String organisation, Optional<String> country) {
    int colon = organisation.indexOf(':');
    return colon < 0
        ? new SubjectAttributes(id, roles, Optional.of(organisation), Optional.empty(), country)
        : new SubjectAttributes(id, roles, Optional.of(organisation.substring(0, colon)),
            Optional.of(organisation.substring(colon + 1)), country);
  }

  /** The organisation in its text form, as a consent names its grantee ({@code supplier:eneco}). */
  public Optional<String> organisation() {
    return organisationKind.map(kind -> organisationName.map(name -> kind + ":" + name).orElse(kind));
  }
}

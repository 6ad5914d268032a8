package nl.sleutelbos.identity;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who is asking: the attributes the policy decision point decides on, taken from a verified
 * access token (ours or a trusted external issuer's).
 *
 * @param id the subject identifier ({@code sub}); for a client-credentials token, the client id
 * @param roles the roles, e.g. {@code operator-admin}, {@code auditor}; may be empty
 * @param organisation the organisation the subject acts for, if the token names one
 * @param country the organisation's country (ISO 3166-1 alpha-2, upper case), if known
 * @param issuer the {@code iss} of the token that proved it
 * @param clientId the OAuth2 client the token was issued to, if the token says
 */
public record Subject(String id, Set<String> roles, Optional<Organisation> organisation, Optional<String> country,
    String issuer, Optional<String> clientId) {
  private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");

  /** The role that may administer clients and signing keys until the policy point decides. */
  public static final String ADMIN_ROLE = "operator-admin";

  public Subject {
    requireNonNull(id, "id is null");
    roles = Set.copyOf(roles);
    requireNonNull(organisation, "organisation is null");
    requireNonNull(country, "country is null");
    country.ifPresent(Subject::checkCountry);
    requireNonNull(issuer, "issuer is null");
    requireNonNull(clientId, "clientId is null");
  }

  public boolean hasRole(String role) {
    return roles.contains(role);
  }

  /** @throws IllegalArgumentException unless the text is two upper-case letters */
  public static String checkCountry(String country) {
    if (!COUNTRY.matcher(country).matches()) {
      throw new IllegalArgumentException("country '" + country + "' must be an ISO 3166-1 alpha-2 code such as NL");
    }
    return country;
  }
}

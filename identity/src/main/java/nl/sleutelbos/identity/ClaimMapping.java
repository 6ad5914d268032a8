package nl.sleutelbos.identity;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jwt.JWTClaimsSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How an external issuer's claims become subject attributes. Each claim is named by a dotted
 * path into the claims object ({@code realm_access.roles} for Keycloak's roles); an absent claim
 * gives an absent attribute, and a fixed organisation can stand in for an issuer that names none
 * (an issuer run by one supplier vouches for that supplier's people only).
 *
 * @param subject the claim holding the subject id
 * @param roles the claim holding the roles: an array of strings, or one space-separated string
 * @param organisation the claim holding the organisation in its text form ({@code supplier:eneco})
 * @param country the claim holding the ISO country code
 * @param fixedOrganisation used when present, whatever the token says
 */
public record ClaimMapping(String subject, String roles, String organisation, String country,
    Optional<Organisation> fixedOrganisation) {
  /** {@code sub}, {@code roles}, {@code organisation}, {@code country}: the names our own tokens use. */
  public static final ClaimMapping DEFAULT = new ClaimMapping("sub", "roles", "organisation", "country", Optional.empty());

  public ClaimMapping {
    requireNonNull(subject, "subject is null");
    requireNonNull(roles, "roles is null");
    requireNonNull(organisation, "organisation is null");
    requireNonNull(country, "country is null");
    requireNonNull(fixedOrganisation, "fixedOrganisation is null");
  }

  /** The subject the claims describe, as vouched for by {@code issuer}. */
  Subject map(JWTClaimsSet claims, String issuer) throws InvalidTokenException {
    Object id = at(claims.getClaims(), subject);
    if (!(id instanceof String s) || s.isEmpty()) {
      throw new InvalidTokenException("the token has no subject in claim " + subject);
    }
    Set<String> roleSet = new LinkedHashSet<>();
    Object r = at(claims.getClaims(), roles);
    if (r instanceof String text) {
      for (String role : text.split(" ")) {
        if (!role.isEmpty()) {
          roleSet.add(role);
        }
      }
    } else if (r instanceof List<?> list) {
      for (Object role : list) {
        if (role instanceof String text) {
          roleSet.add(text);
        }
      }
    }
    Optional<Organisation> org = fixedOrganisation;
    if (org.isEmpty() && at(claims.getClaims(), organisation) instanceof String text) {
      try {
        org = Optional.of(Organisation.parse(text));
      } catch (IllegalArgumentException e) {
        throw new InvalidTokenException("the token's " + organisation + " claim is not an organisation: " + e.getMessage());
      }
    }
    Optional<String> countryCode = Optional.empty();
    if (at(claims.getClaims(), country) instanceof String text) {
      try {
        countryCode = Optional.of(Subject.checkCountry(text));
      } catch (IllegalArgumentException e) {
        throw new InvalidTokenException("the token's " + country + " claim: " + e.getMessage());
      }
    }
    Optional<String> clientId = claims.getClaims().get("client_id") instanceof String c ? Optional.of(c) : Optional.empty();
    return new Subject(s, roleSet, org, countryCode, issuer, clientId);
  }

  private static Object at(Map<String, Object> claims, String path) {
    Object value = claims;
    for (String part : path.split("\\.")) {
      if (!(value instanceof Map<?, ?> map)) {
        return null;
      }
      value = map.get(part);
    }
    return value;
  }
}

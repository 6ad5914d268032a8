package nl.sleutelbos.identity;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * How identity is set up.
 *
 * @param audience the audience our tokens carry and external tokens must carry
 * @param tokenLifetime how long an access token of the embedded issuer lives (5 minutes by default)
 * @param external the trusted external OIDC issuers
 */
public record IdentityConfig(String audience, Duration tokenLifetime, List<ExternalIssuer.Config> external) {
  public static final String DEFAULT_AUDIENCE = "sleutelbos";
  public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);
  public static final IdentityConfig DEFAULT = new IdentityConfig(DEFAULT_AUDIENCE, DEFAULT_LIFETIME, List.of());

  public IdentityConfig {
    requireNonNull(audience, "audience is null");
    requireNonNull(tokenLifetime, "tokenLifetime is null");
    external = List.copyOf(external);
  }
}

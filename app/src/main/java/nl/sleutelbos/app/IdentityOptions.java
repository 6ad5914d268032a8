package nl.sleutelbos.app;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import nl.sleutelbos.identity.ClaimMapping;
import nl.sleutelbos.identity.ExternalIssuer;
import nl.sleutelbos.identity.IdentityConfig;
import picocli.CommandLine.Option;

/** The command-line options for identity: token lifetime and the trusted external OIDC issuers. */
final class IdentityOptions {
  @Option(names = "--token-lifetime", defaultValue = "300",
      description = "Seconds an access token of the embedded issuer lives (default: ${DEFAULT-VALUE}).")
  long tokenLifetimeSeconds;

  @Option(names = "--trust-issuer", paramLabel = "URL",
      description = "Also accept tokens of this OpenID Connect issuer (its iss); repeat for more.")
  List<String> trustedIssuers = List.of();

  @Option(names = "--trusted-audience", defaultValue = IdentityConfig.DEFAULT_AUDIENCE,
      description = "The audience external tokens must carry (default: ${DEFAULT-VALUE}).")
  String audience;

  @Option(names = "--roles-claim", defaultValue = "roles",
      description = "Claim (dotted path) with an external subject's roles, e.g. realm_access.roles (default: ${DEFAULT-VALUE}).")
  String rolesClaim;

  @Option(names = "--organisation-claim", defaultValue = "organisation",
      description = "Claim with an external subject's organisation (default: ${DEFAULT-VALUE}).")
  String organisationClaim;

  @Option(names = "--country-claim", defaultValue = "country",
      description = "Claim with an external subject's country (default: ${DEFAULT-VALUE}).")
  String countryClaim;

  IdentityConfig config() {
    ClaimMapping mapping = new ClaimMapping("sub", rolesClaim, organisationClaim, countryClaim, Optional.empty());
    return new IdentityConfig(IdentityConfig.DEFAULT_AUDIENCE, Duration.ofSeconds(tokenLifetimeSeconds),
        trustedIssuers.stream().map(i -> new ExternalIssuer.Config(i, audience, mapping)).toList());
  }
}

package nl.sleutelbos.identity;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Turns an {@code Authorization} header into a {@link Subject}, or refuses it. A token is routed
 * by its (unverified) {@code iss} to the verifier for that issuer — our own embedded issuer or
 * one of the trusted external ones — and only that issuer's keys are ever tried, so a token
 * cannot pick a key from another issuer.
 *
 * <p>Clients send the same token for minutes, and an ES256 verification costs about half a
 * millisecond of CPU, so tokens that verified are remembered (by their full text, at most
 * {@link #CACHE_SIZE}) with their subject until they expire. A remembered token is still refused
 * once it expires or its client is disabled; only the signature and claim checks are skipped.
 */
public final class Authenticator {
  private static final Set<JWSAlgorithm> OWN_ALGORITHMS = Set.of(JWSAlgorithm.ES256);
  private static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");

  private final TokenIssuer own;
  private final SigningKeys keys;
  private final Clients clients;
  private final Map<String, ExternalIssuer> external;
  private final Clock clock;
  static final int CACHE_SIZE = 10_000;
  private final java.util.concurrent.ConcurrentHashMap<String, Verified> verified = new java.util.concurrent.ConcurrentHashMap<>();

  private record Verified(Subject subject, java.time.Instant expires) {}

  public Authenticator(TokenIssuer own, SigningKeys keys, Clients clients, List<ExternalIssuer> external, Clock clock) {
    this.own = requireNonNull(own, "own is null");
    this.keys = requireNonNull(keys, "keys is null");
    this.clients = requireNonNull(clients, "clients is null");
    this.external = external.stream().collect(Collectors.toUnmodifiableMap(ExternalIssuer::issuer, Function.identity()));
    this.clock = requireNonNull(clock, "clock is null");
  }

  /**
   * The subject the header's bearer token proves.
   *
   * @param authorization the {@code Authorization} header, empty if the request had none
   */
  public Subject authenticate(Optional<String> authorization) throws AuthenticationException {
    if (authorization.isEmpty() || authorization.get().isBlank()) {
      throw AuthenticationException.missing();
    }
    String header = authorization.get().strip();
    int space = header.indexOf(' ');
    if (space < 0 || !header.substring(0, space).toLowerCase(Locale.ROOT).equals("bearer")) {
      throw AuthenticationException.invalidRequest("the Authorization header must use the Bearer scheme (RFC 6750 §2.1)");
    }
    String token = header.substring(space + 1).strip();
    if (token.isEmpty() || token.contains(" ")) {
      throw AuthenticationException.invalidRequest("the Authorization header must be 'Bearer <token>'");
    }
    try {
      Verified hit = verified.get(token);
      if (hit != null && clock.instant().isBefore(hit.expires())) {
        checkClient(hit.subject());
        return hit.subject();
      }
      SignedJWT jwt = TokenChecks.parse(token);
      Subject subject = verify(jwt);
      if (verified.size() >= CACHE_SIZE) {
        verified.clear(); // crude but bounded; the next requests simply verify again
      }
      java.util.Date exp = TokenChecks.claims(jwt).getExpirationTime();
      verified.put(token, new Verified(subject, exp.toInstant().plus(TokenChecks.LEEWAY)));
      return subject;
    } catch (InvalidTokenException e) {
      throw AuthenticationException.invalidToken(e);
    }
  }

  private void checkClient(Subject subject) throws InvalidTokenException {
    if (subject.issuer().equals(own.issuer())) {
      String clientId = subject.clientId().orElseThrow();
      if (!clients.active(clientId)) {
        throw new InvalidTokenException("client " + clientId + " is disabled or no longer exists");
      }
    }
  }

  /** Verifies a bare token (no scheme), fully, without the cache. */
  public Subject verify(String token) throws InvalidTokenException {
    return verify(TokenChecks.parse(token));
  }

  private Subject verify(SignedJWT jwt) throws InvalidTokenException {
    JWTClaimsSet unverified = TokenChecks.claims(jwt);
    String issuer = unverified.getIssuer();
    if (own.issuer().equals(issuer)) {
      return verifyOwn(jwt);
    }
    ExternalIssuer trusted = issuer == null ? null : external.get(issuer);
    if (trusted == null) {
      throw new InvalidTokenException("the token's issuer " + issuer + " is not trusted here");
    }
    return trusted.verify(jwt);
  }

  private Subject verifyOwn(SignedJWT jwt) throws InvalidTokenException {
    TokenChecks.checkAlgorithm(jwt.getHeader(), OWN_ALGORITHMS);
    if (!AT_JWT.equals(jwt.getHeader().getType())) {
      // RFC 9068 §4: reject a JWT of another type (an ID token, a client assertion) used as an access token.
      throw new InvalidTokenException("the token's typ is " + jwt.getHeader().getType() + ", not at+jwt");
    }
    String kid = jwt.getHeader().getKeyID();
    JWK key = kid == null ? null : keys.verificationKey(kid).orElse(null);
    if (key == null) {
      throw new InvalidTokenException("the token is signed with key " + kid + ", which is unknown or retired");
    }
    TokenChecks.verifySignature(jwt, key);
    JWTClaimsSet claims = TokenChecks.claims(jwt);
    TokenChecks.checkClaims(claims, own.issuer(), own.audience(), clock);
    Subject subject = ClaimMapping.DEFAULT.map(claims, own.issuer());
    if (subject.clientId().isEmpty()) {
      throw new InvalidTokenException("the token has no client_id");
    }
    checkClient(subject);
    return subject;
  }
}

package nl.sleutelbos.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Set;

/**
 * The checks every JWT we accept goes through (RFC 7519 §7.2, RFC 8725 §3.1, RFC 9068 §4): an
 * allowed asymmetric algorithm named in the header and matching the key ({@code none} and the
 * HMAC algorithms are never accepted, so a public key cannot be misused as an HMAC secret), a
 * valid signature, then issuer, audience, expiry and not-before with a small clock leeway.
 */
final class TokenChecks {
  static final Duration LEEWAY = Duration.ofSeconds(30);
  static final Set<JWSAlgorithm> ASYMMETRIC = Set.of(JWSAlgorithm.ES256, JWSAlgorithm.RS256, JWSAlgorithm.RS384,
      JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512);

  private TokenChecks() {}

  static SignedJWT parse(String token) throws InvalidTokenException {
    if (token.chars().filter(c -> c == '.').count() != 2) {
      throw new InvalidTokenException("the token is not a signed JWT (three base64url parts separated by '.')");
    }
    try {
      return SignedJWT.parse(token);
    } catch (ParseException e) {
      throw new InvalidTokenException("the token is not a well-formed signed JWT: " + e.getMessage());
    }
  }

  static JWTClaimsSet claims(SignedJWT jwt) throws InvalidTokenException {
    try {
      return jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw new InvalidTokenException("the token's claims are not a JSON object: " + e.getMessage());
    }
  }

  static void checkAlgorithm(JWSHeader header, Set<JWSAlgorithm> allowed) throws InvalidTokenException {
    JWSAlgorithm alg = header.getAlgorithm();
    if (!allowed.contains(alg)) {
      throw new InvalidTokenException("algorithm " + alg + " is not accepted; use one of " + allowed);
    }
  }

  static void verifySignature(SignedJWT jwt, JWK key) throws InvalidTokenException {
    JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
    try {
      boolean fits = key instanceof ECKey && JWSAlgorithm.Family.EC.contains(alg)
          || key instanceof RSAKey && JWSAlgorithm.Family.RSA.contains(alg);
      if (!fits) {
        throw new InvalidTokenException("algorithm " + alg + " does not fit key " + key.getKeyID()
            + " of type " + key.getKeyType());
      }
      JWSVerifier verifier = verifier(key);
      if (key.getAlgorithm() != null && !key.getAlgorithm().equals(alg)) {
        throw new InvalidTokenException("key " + key.getKeyID() + " is for " + key.getAlgorithm() + ", not " + alg);
      }
      if (!jwt.verify(verifier)) {
        throw new InvalidTokenException("the token's signature does not verify");
      }
    } catch (JOSEException e) {
      throw new InvalidTokenException("the token's signature cannot be verified: " + e.getMessage());
    }
  }

  /**
   * The verifier for a key, built once: converting the JWK to a JCA key and checking its curve
   * costs about as much as the signature check itself. Keyed by the whole public JWK, so a key
   * id reused for another key gets its own verifier; cleared when it grows past a few rotations.
   */
  private static JWSVerifier verifier(JWK key) throws JOSEException {
    JWSVerifier cached = VERIFIERS.get(key);
    if (cached != null) {
      return cached;
    }
    JWSVerifier verifier = key instanceof ECKey ec ? new ECDSAVerifier(ec.toECPublicKey())
        : new RSASSAVerifier(((RSAKey) key).toRSAPublicKey());
    if (VERIFIERS.size() >= 64) {
      VERIFIERS.clear();
    }
    VERIFIERS.put(key, verifier);
    return verifier;
  }

  private static final java.util.concurrent.ConcurrentHashMap<JWK, JWSVerifier> VERIFIERS =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Issuer, audience, expiry (required), not-before and issued-at, with {@link #LEEWAY}. */
  static void checkClaims(JWTClaimsSet claims, String issuer, String audience, Clock clock) throws InvalidTokenException {
    if (!issuer.equals(claims.getIssuer())) {
      throw new InvalidTokenException("the token's issuer " + claims.getIssuer() + " is not " + issuer);
    }
    if (claims.getAudience() == null || !claims.getAudience().contains(audience)) {
      throw new InvalidTokenException("the token's audience " + claims.getAudience() + " does not include " + audience);
    }
    Instant now = clock.instant();
    Date exp = claims.getExpirationTime();
    if (exp == null) {
      throw new InvalidTokenException("the token has no expiry (exp)");
    }
    if (!now.isBefore(exp.toInstant().plus(LEEWAY))) {
      throw new InvalidTokenException("the token expired at " + exp.toInstant());
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && now.plus(LEEWAY).isBefore(nbf.toInstant())) {
      throw new InvalidTokenException("the token is not valid before " + nbf.toInstant());
    }
    Date iat = claims.getIssueTime();
    if (iat != null && now.plus(LEEWAY).isBefore(iat.toInstant())) {
      throw new InvalidTokenException("the token claims to be issued in the future, at " + iat.toInstant());
    }
    if (claims.getSubject() == null || claims.getSubject().isEmpty()) {
      throw new InvalidTokenException("the token has no subject (sub)");
    }
  }
}

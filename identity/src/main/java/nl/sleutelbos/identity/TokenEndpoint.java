package nl.sleutelbos.identity;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The token endpoint's logic, apart from HTTP: the client-credentials grant (RFC 6749 §4.4) with
 * client authentication by {@code client_secret_basic}, {@code client_secret_post} (§2.3.1) or
 * {@code private_key_jwt} (RFC 7523 §2.2, OIDC Core §9). Exactly one method per request.
 */
public final class TokenEndpoint {
  public static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
  /** How far ahead a client assertion may expire; longer-lived assertions are refused. */
  static final Duration MAX_ASSERTION_LIFETIME = Duration.ofMinutes(10);
  private static final int MAX_REMEMBERED_ASSERTIONS = 100_000;

  private final TokenIssuer issuer;
  private final Clients clients;
  private final String endpointUrl;
  private final Clock clock;
  /** Assertion ids seen, until their expiry: an assertion is good for one token (RFC 7523 §3 item 7). */
  private final ConcurrentHashMap<String, Instant> seenAssertions = new ConcurrentHashMap<>();

  public TokenEndpoint(TokenIssuer issuer, Clients clients, String endpointUrl, Clock clock) {
    this.issuer = requireNonNull(issuer, "issuer is null");
    this.clients = requireNonNull(clients, "clients is null");
    this.endpointUrl = requireNonNull(endpointUrl, "endpointUrl is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /**
   * Answers one token request.
   *
   * @param authorization the Authorization header, if any
   * @param form the decoded form parameters of the body
   */
  public AccessToken token(Optional<String> authorization, Map<String, String> form) throws TokenRequestException {
    String grant = form.get("grant_type");
    if (grant == null) {
      throw new TokenRequestException("invalid_request", "grant_type is missing");
    }
    if (!grant.equals("client_credentials")) {
      throw new TokenRequestException("unsupported_grant_type", "grant_type " + grant
          + " is not supported; this issuer supports client_credentials only");
    }
    if (form.containsKey("scope")) {
      throw new TokenRequestException("invalid_scope", "this issuer grants no scopes; leave scope out "
          + "(what a client may do follows from its roles)");
    }
    boolean basic = authorization.filter(a -> a.regionMatches(true, 0, "Basic ", 0, 6)).isPresent();
    boolean post = form.containsKey("client_secret");
    boolean jwt = form.containsKey("client_assertion") || form.containsKey("client_assertion_type");
    int methods = (basic ? 1 : 0) + (post ? 1 : 0) + (jwt ? 1 : 0);
    if (methods > 1) {
      throw new TokenRequestException("invalid_request", "use exactly one client authentication method (RFC 6749 §2.3)");
    }
    Client client;
    if (basic) {
      client = basic(authorization.get().substring(6).strip(), form);
    } else if (post) {
      String id = form.get("client_id");
      if (id == null) {
        throw new TokenRequestException("invalid_request", "client_secret_post needs client_id");
      }
      client = secret(id, form.get("client_secret"));
    } else if (jwt) {
      client = assertion(form);
    } else {
      throw new TokenRequestException("invalid_client", "no client authentication; use client_secret_basic, "
          + "client_secret_post or private_key_jwt");
    }
    if (client.disabled()) {
      throw new TokenRequestException("invalid_client", "client " + client.id() + " is disabled");
    }
    return issuer.issue(client);
  }

  private Client basic(String credentials, Map<String, String> form) throws TokenRequestException {
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(credentials), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new TokenRequestException("invalid_request", "the Basic credentials are not base64");
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      throw new TokenRequestException("invalid_request", "the Basic credentials must be client_id:client_secret");
    }
    // RFC 6749 §2.3.1: both parts are form-urlencoded before they are joined.
    String id = URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8);
    String secret = URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8);
    if (form.containsKey("client_id") && !form.get("client_id").equals(id)) {
      throw new TokenRequestException("invalid_request", "client_id in the body differs from the Basic credentials");
    }
    return secret(id, secret);
  }

  private Client secret(String id, String secret) throws TokenRequestException {
    return clients.authenticate(id, secret).orElseThrow(() ->
        new TokenRequestException("invalid_client", "unknown client or wrong secret"));
  }

  /** RFC 7523 §3: checks the assertion's type, signature, iss = sub = client, audience, expiry and one-time use. */
  private Client assertion(Map<String, String> form) throws TokenRequestException {
    if (!ASSERTION_TYPE.equals(form.get("client_assertion_type"))) {
      throw new TokenRequestException("invalid_request", "client_assertion_type must be " + ASSERTION_TYPE);
    }
    String text = form.get("client_assertion");
    if (text == null) {
      throw new TokenRequestException("invalid_request", "client_assertion is missing");
    }
    try {
      SignedJWT jwt = TokenChecks.parse(text);
      JWTClaimsSet claims = TokenChecks.claims(jwt);
      String id = claims.getSubject();
      if (id == null || !id.equals(claims.getIssuer())) {
        throw new InvalidTokenException("the assertion's iss and sub must both be the client id");
      }
      if (form.containsKey("client_id") && !form.get("client_id").equals(id)) {
        throw new InvalidTokenException("client_id differs from the assertion's subject");
      }
      Client client = clients.get(id).orElseThrow(() -> new InvalidTokenException("unknown client " + id));
      String jwk = client.publicJwk().orElseThrow(() ->
          new InvalidTokenException("client " + id + " has no registered key; it uses a secret"));
      TokenChecks.checkAlgorithm(jwt.getHeader(), TokenChecks.ASYMMETRIC);
      TokenChecks.verifySignature(jwt, JWK.parse(jwk));
      if (claims.getAudience() == null
          || !(claims.getAudience().contains(endpointUrl) || claims.getAudience().contains(issuer.issuer()))) {
        throw new InvalidTokenException("the assertion's audience must be " + endpointUrl + " or " + issuer.issuer());
      }
      Instant now = clock.instant();
      if (claims.getExpirationTime() == null) {
        throw new InvalidTokenException("the assertion has no exp");
      }
      Instant exp = claims.getExpirationTime().toInstant();
      if (!now.isBefore(exp.plus(TokenChecks.LEEWAY))) {
        throw new InvalidTokenException("the assertion expired at " + exp);
      }
      if (exp.isAfter(now.plus(MAX_ASSERTION_LIFETIME))) {
        throw new InvalidTokenException("the assertion may live at most " + MAX_ASSERTION_LIFETIME.toMinutes() + " minutes");
      }
      if (claims.getJWTID() == null) {
        throw new InvalidTokenException("the assertion has no jti");
      }
      remember(id + " " + claims.getJWTID(), exp.plus(TokenChecks.LEEWAY), now);
      return client;
    } catch (InvalidTokenException e) {
      throw new TokenRequestException("invalid_client", "client assertion refused: " + e.getMessage());
    } catch (ParseException e) {
      throw new IllegalStateException("a stored client key does not parse", e);
    }
  }

  private void remember(String key, Instant until, Instant now) throws InvalidTokenException {
    if (seenAssertions.size() > MAX_REMEMBERED_ASSERTIONS / 2) {
      seenAssertions.values().removeIf(t -> t.isBefore(now));
    }
    if (seenAssertions.size() >= MAX_REMEMBERED_ASSERTIONS) {
      throw new InvalidTokenException("too many assertions in flight; retry shortly");
    }
    if (seenAssertions.putIfAbsent(key, until) != null) {
      throw new InvalidTokenException("the assertion (jti) has been used before");
    }
  }
}

package nl.sleutelbos.identity;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A trusted external OpenID Connect issuer. Its metadata comes from discovery
 * ({@code <issuer>/.well-known/openid-configuration}, OIDC Discovery §4), its keys from the
 * {@code jwks_uri}; both are cached. A token with a {@code kid} not in the cached set makes it
 * fetch the set again — that is how the issuer's key rotation reaches us — but at most once per
 * {@link #MIN_REFRESH}, so tokens with made-up key ids cannot make us hammer the issuer.
 */
public final class ExternalIssuer {
  static final Duration MIN_REFRESH = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @param issuer the issuer identifier, exactly as in its tokens' {@code iss}
   * @param audience the audience its tokens must carry for us
   * @param mapping how its claims become subject attributes
   */
  public record Config(String issuer, String audience, ClaimMapping mapping) {
    public Config {
      requireNonNull(issuer, "issuer is null");
      requireNonNull(audience, "audience is null");
      requireNonNull(mapping, "mapping is null");
    }
  }

  private final Config config;
  private final HttpClient http;
  private final Clock clock;
  private volatile JWKSet keys; // null until first fetched
  private volatile URI jwksUri;
  private volatile Instant lastFetch = Instant.MIN;

  public ExternalIssuer(Config config, HttpClient http, Clock clock) {
    this.config = requireNonNull(config, "config is null");
    this.http = requireNonNull(http, "http is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  public String issuer() {
    return config.issuer();
  }

  /** Verifies one of this issuer's tokens and maps its claims to a subject. */
  Subject verify(SignedJWT jwt) throws InvalidTokenException {
    TokenChecks.checkAlgorithm(jwt.getHeader(), TokenChecks.ASYMMETRIC);
    String kid = jwt.getHeader().getKeyID();
    if (kid == null) {
      throw new InvalidTokenException("the token has no key id (kid) in its header");
    }
    JWK key = key(kid).orElseThrow(() -> new InvalidTokenException("issuer " + config.issuer()
        + " publishes no key " + kid));
    TokenChecks.verifySignature(jwt, key);
    JWTClaimsSet claims = TokenChecks.claims(jwt);
    TokenChecks.checkClaims(claims, config.issuer(), config.audience(), clock);
    return config.mapping().map(claims, config.issuer());
  }

  /** The key from the cache, or after one refresh of the JWKS when it is unknown. */
  private Optional<JWK> key(String kid) throws InvalidTokenException {
    JWKSet cached = keys;
    if (cached != null && cached.getKeyByKeyId(kid) != null) {
      return Optional.of(cached.getKeyByKeyId(kid));
    }
    synchronized (this) {
      if (keys != null && keys.getKeyByKeyId(kid) != null) {
        return Optional.of(keys.getKeyByKeyId(kid));
      }
      Instant now = clock.instant();
      if (keys != null && now.isBefore(lastFetch.plus(MIN_REFRESH))) {
        return Optional.empty();
      }
      lastFetch = now;
      keys = fetchKeys();
      return Optional.ofNullable(keys.getKeyByKeyId(kid));
    }
  }

  private JWKSet fetchKeys() throws InvalidTokenException {
    try {
      if (jwksUri == null) {
        JsonNode discovery = JSON.readTree(get(URI.create(config.issuer() + "/.well-known/openid-configuration")));
        if (!config.issuer().equals(discovery.path("issuer").asText())) {
          // OIDC Discovery §4.3: the issuer in the document must be the one we asked.
          throw new InvalidTokenException("issuer " + config.issuer() + " announces itself as "
              + discovery.path("issuer").asText());
        }
        if (!discovery.hasNonNull("jwks_uri")) {
          throw new InvalidTokenException("issuer " + config.issuer() + " publishes no jwks_uri");
        }
        jwksUri = URI.create(discovery.get("jwks_uri").asText());
      }
      return JWKSet.parse(get(jwksUri));
    } catch (IOException | ParseException | IllegalArgumentException e) {
      throw new InvalidTokenException("the keys of issuer " + config.issuer() + " cannot be fetched: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InvalidTokenException("interrupted while fetching the keys of " + config.issuer(), e);
    }
  }

  private String get(URI uri) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
        .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("GET " + uri + " answered " + response.statusCode());
    }
    return response.body();
  }
}

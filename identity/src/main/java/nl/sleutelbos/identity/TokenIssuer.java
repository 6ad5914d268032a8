package nl.sleutelbos.identity;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Issues JWT access tokens in the RFC 9068 profile: header {@code typ: at+jwt} with the current
 * key's {@code kid}; claims {@code iss, sub, aud, exp, iat, jti, client_id} (§2.2) and the
 * subject attributes {@code roles} (§2.2.3.1), {@code organisation} and {@code country}. The JWS
 * is assembled here and signed through the {@link Signer} handle, so an HSM key works unchanged.
 */
public final class TokenIssuer {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final String issuer;
  private final String audience;
  private final Duration lifetime;
  private final SigningKeys keys;
  private final Clock clock;

  public TokenIssuer(String issuer, String audience, Duration lifetime, SigningKeys keys, Clock clock) {
    this.issuer = requireNonNull(issuer, "issuer is null");
    this.audience = requireNonNull(audience, "audience is null");
    if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("token lifetime must be between 1 s and 1 h: " + lifetime);
    }
    this.lifetime = lifetime;
    this.keys = requireNonNull(keys, "keys is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  public AccessToken issue(Client client) {
    Signer signer = keys.current();
    Instant now = clock.instant();
    Instant expires = now.plus(lifetime);
    ObjectNode header = JSON.createObjectNode();
    header.put("alg", signer.algorithm());
    header.put("typ", "at+jwt");
    header.put("kid", signer.keyId());
    ObjectNode claims = JSON.createObjectNode();
    claims.put("iss", issuer);
    claims.put("sub", client.id());
    claims.put("aud", audience);
    claims.put("exp", expires.getEpochSecond());
    claims.put("iat", now.getEpochSecond());
    claims.put("jti", UUID.randomUUID().toString());
    claims.put("client_id", client.id());
    ArrayNode roles = claims.putArray("roles");
    new TreeSet<>(client.roles()).forEach(roles::add);
    claims.put("organisation", client.organisation().toString());
    client.country().ifPresent(c -> claims.put("country", c));
    String signingInput = encode(header) + "." + encode(claims);
    byte[] signature = signer.sign(signingInput.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    return new AccessToken(signingInput + "." + B64.encodeToString(signature), now, expires);
  }

  public String issuer() {
    return issuer;
  }

  public String audience() {
    return audience;
  }

  public Duration lifetime() {
    return lifetime;
  }

  private static String encode(ObjectNode node) {
    try {
      return B64.encodeToString(JSON.writeValueAsBytes(node));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

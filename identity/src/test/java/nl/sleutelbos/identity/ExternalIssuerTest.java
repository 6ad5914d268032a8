package nl.sleutelbos.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The external issuer's key cache against a small real HTTP server whose JWKS the test rotates:
 * an unknown {@code kid} fetches the set again, at most once per ten seconds. (The API test runs
 * a full OIDC server; this one needs control over the key set that server does not give.)
 */
class ExternalIssuerTest {
  private HttpServer server;
  private String issuer;
  private final AtomicReference<JWKSet> published = new AtomicReference<>();
  private final AtomicReference<String> announcedIssuer = new AtomicReference<>();
  private final AtomicInteger jwksFetches = new AtomicInteger();
  private final SigningKeysTest.MovingClock clock = new SigningKeysTest.MovingClock(Instant.now());

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/grid";
    announcedIssuer.set(issuer);
    server.createContext("/realms/grid/.well-known/openid-configuration", ex -> {
      byte[] body = ("{\"issuer\":\"" + announcedIssuer.get() + "\",\"jwks_uri\":\"" + issuer + "/certs\"}")
          .getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    server.createContext("/realms/grid/certs", ex -> {
      jwksFetches.incrementAndGet();
      byte[] body = published.get().toString(true).getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void anUnknownKeyIdFetchesTheKeysAgainAtMostOncePerTenSeconds() throws Exception {
    ECKey first = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
    ECKey second = new ECKeyGenerator(Curve.P_256).keyID("k2").generate();
    published.set(new JWKSet(first));
    ExternalIssuer external = external();

    assertThat(external.verify(token(first, "sleutelbos")).id()).isEqualTo("alice");
    assertThat(external.verify(token(first, "sleutelbos")).id()).isEqualTo("alice");
    assertThat(jwksFetches).hasValue(1);

    // The issuer rotates: a token with the new kid makes us fetch the set again.
    published.set(new JWKSet(List.of(second, first)));
    clock.advance(ExternalIssuer.MIN_REFRESH);
    assertThat(external.verify(token(second, "sleutelbos")).roles()).containsExactly("operator-engineer");
    assertThat(jwksFetches).hasValue(2);

    // Made-up key ids do not make us hammer the issuer.
    ECKey bogus = new ECKeyGenerator(Curve.P_256).keyID("k9").generate();
    assertThatThrownBy(() -> external.verify(token(bogus, "sleutelbos"))).hasMessageContaining("publishes no key k9");
    assertThat(jwksFetches).hasValue(2);
    clock.advance(ExternalIssuer.MIN_REFRESH);
    assertThatThrownBy(() -> external.verify(token(bogus, "sleutelbos"))).hasMessageContaining("publishes no key k9");
    assertThat(jwksFetches).hasValue(3);
  }

  @Test
  void aKeyWithAnotherKeysIdIsRefusedAndTheAudienceChecked() throws Exception {
    ECKey real = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
    ECKey impostor = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
    published.set(new JWKSet(real));
    ExternalIssuer external = external();
    assertThatThrownBy(() -> external.verify(token(impostor, "sleutelbos"))).hasMessageContaining("signature");
    assertThatThrownBy(() -> external.verify(token(real, "another-api"))).hasMessageContaining("audience");
  }

  @Test
  void aDiscoveryDocumentForAnotherIssuerIsRefused() throws Exception {
    ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
    published.set(new JWKSet(key));
    announcedIssuer.set("https://evil.example/realms/grid");
    assertThatThrownBy(() -> external().verify(token(key, "sleutelbos"))).hasMessageContaining("announces itself as");
  }

  private ExternalIssuer external() {
    ClaimMapping mapping = new ClaimMapping("sub", "realm_access.roles", "organisation", "country", Optional.of(Organisation.OPERATOR));
    return new ExternalIssuer(new ExternalIssuer.Config(issuer, "sleutelbos", mapping), HttpClient.newHttpClient(), clock);
  }

  private SignedJWT token(ECKey key, String audience) throws Exception {
    Instant now = clock.instant();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(),
        new JWTClaimsSet.Builder().issuer(issuer).subject("alice").audience(audience)
            .claim("realm_access", Map.of("roles", List.of("operator-engineer")))
            .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofMinutes(5)))).build());
    jwt.sign(new ECDSASigner(key));
    return SignedJWT.parse(jwt.serialize());
  }
}

package nl.sleutelbos.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import nl.sleutelbos.app.Settings;
import nl.sleutelbos.identity.ClaimMapping;
import nl.sleutelbos.identity.ExternalIssuer;
import nl.sleutelbos.identity.IdentityConfig;
import nl.sleutelbos.identity.Signer;
import nl.sleutelbos.identity.SoftwareSignerStore;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Identity over real HTTP: the bearer-token gate in front of every route, the embedded issuer's
 * token endpoint with each client authentication method, client administration, signing-key
 * rotation, the bootstrap administrator, and an external OIDC issuer — NAV's mock-oauth2-server,
 * a real OAuth2/OIDC server started by the test, with its own discovery document and JWKS.
 */
class IdentityApiTest extends ApiTestBase {
  private static final String TOKEN = "/sleutelbos/v1/oauth/token";
  private static final String FORM = "application/x-www-form-urlencoded";
  private MockOAuth2Server oidc;

  @Override
  protected Settings settings(Path dir) {
    oidc = new MockOAuth2Server();
    oidc.start();
    ClaimMapping mapping = new ClaimMapping("sub", "realm_access.roles", "org", "country", java.util.Optional.empty());
    IdentityConfig identity = new IdentityConfig(IdentityConfig.DEFAULT_AUDIENCE, IdentityConfig.DEFAULT_LIFETIME,
        List.of(new ExternalIssuer.Config(oidc.issuerUrl("partner").toString(), "sleutelbos", mapping)));
    Settings base = super.settings(dir);
    return new Settings(base.host(), base.port(), base.dataDir(), base.store(), base.maxBodyBytes(), base.publicUrl(), identity);
  }

  @AfterAll
  void stopOidc() {
    if (oidc != null) {
      oidc.shutdown();
    }
  }

  // --- the gate -------------------------------------------------------------------------------

  @Test
  void aRequestWithoutTokenIsRefusedWithABearerChallenge() {
    for (String path : List.of(V1 + "/entities?type=Device", V1 + "/types", "/sleutelbos/v1/clients", "/no/such/path")) {
      Api.Response r = api.anonymous().get(path);
      assertThat(r.status()).as(path).isEqualTo(401);
      assertThat(r.header("WWW-Authenticate")).as(path).contains("Bearer realm=\"sleutelbos\"");
      assertThat(r.header("WWW-Authenticate").orElseThrow()).as("no error code without credentials").doesNotContain("error=");
      assertThat(r.errorType()).isEqualTo("Unauthorized");
    }
  }

  @Test
  void healthDiscoveryAndJwksNeedNoToken() {
    assertThat(api.anonymous().get("/health").status()).isEqualTo(200);
    JsonNode discovery = api.anonymous().get("/.well-known/openid-configuration").json();
    String issuer = discovery.path("issuer").asText();
    assertThat(discovery.path("token_endpoint").asText()).isEqualTo(issuer + TOKEN);
    assertThat(discovery.path("jwks_uri").asText()).isEqualTo(issuer + "/.well-known/jwks.json");
    assertThat(discovery.path("token_endpoint_auth_methods_supported").toString())
        .contains("client_secret_basic", "client_secret_post", "private_key_jwt");
    JsonNode jwks = api.anonymous().get("/.well-known/jwks.json").json();
    assertThat(jwks.path("keys")).isNotEmpty();
    JsonNode key = jwks.path("keys").get(0);
    assertThat(key.path("kty").asText()).isEqualTo("EC");
    assertThat(key.path("crv").asText()).isEqualTo("P-256");
    assertThat(key.has("d")).as("never the private part").isFalse();
  }

  @Test
  void aTokenFromTheEndpointOpensTheApiAndNamesTheSubject() {
    BootstrapToken.Credentials admin = BootstrapToken.credentials(dir);
    String token = tokenBasic(admin.clientId(), admin.secret());
    JsonNode subject = api.get("/sleutelbos/v1/subject", "Authorization", "Bearer " + token).json();
    assertThat(subject.path("id").asText()).isEqualTo(admin.clientId());
    assertThat(subject.path("roles").toString()).contains("operator-admin");
    assertThat(subject.path("organisation").asText()).isEqualTo("operator");
    assertThat(subject.path("country").asText()).isEqualTo("NL");
    assertThat(api.get(V1 + "/types", "Authorization", "Bearer " + token).status()).isEqualTo(200);
    assertThat(api.get(V1 + "/types", "Authorization", "bearer " + token).status()).as("scheme is case-insensitive").isEqualTo(200);
  }

  @Test
  void theIssuedTokenFollowsTheJwtAccessTokenProfile() throws Exception {
    BootstrapToken.Credentials admin = BootstrapToken.credentials(dir);
    SignedJWT jwt = SignedJWT.parse(tokenBasic(admin.clientId(), admin.secret()));
    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
    assertThat(jwt.getHeader().getType().toString()).isEqualTo("at+jwt");
    JWTClaimsSet claims = jwt.getJWTClaimsSet();
    assertThat(claims.getAudience()).containsExactly("sleutelbos");
    assertThat(claims.getStringClaim("client_id")).isEqualTo(admin.clientId());
    assertThat(claims.getJWTID()).isNotBlank();
    long lifetime = claims.getExpirationTime().getTime() - claims.getIssueTime().getTime();
    assertThat(Duration.ofMillis(lifetime)).isEqualTo(Duration.ofMinutes(5));
    // A raw r||s signature of 64 bytes, not DER.
    assertThat(jwt.getSignature().decode()).hasSize(64);
  }

  @Test
  void malformedAuthorizationIsABadRequest() {
    Api.Response r = api.get(V1 + "/types", "Authorization", "Basic dXNlcjpwYXNz");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.header("WWW-Authenticate").orElseThrow()).contains("error=\"invalid_request\"");
  }

  @Test
  void forgedExpiredAndMisaddressedTokensAreRefused() throws Exception {
    Signer key = currentKey();
    Instant now = Instant.now();
    String issuer = issuer();
    String clientId = BootstrapToken.credentials(dir).clientId();
    JWTClaimsSet.Builder good = new JWTClaimsSet.Builder().issuer(issuer).subject(clientId).audience("sleutelbos")
        .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300))).claim("client_id", clientId)
        .claim("roles", List.of("operator-admin")).claim("organisation", "operator").jwtID(UUID.randomUUID().toString());
    // The hand-signed good token passes: the refusals below are for the one thing each changes.
    assertThat(status(sign(key, "at+jwt", good.build()))).isEqualTo(200);
    assertRefused(sign(key, "at+jwt", new JWTClaimsSet.Builder(good.build())
        .issueTime(Date.from(now.minusSeconds(900))).expirationTime(Date.from(now.minusSeconds(600))).build()), "expired");
    assertRefused(sign(key, "at+jwt", new JWTClaimsSet.Builder(good.build())
        .notBeforeTime(Date.from(now.plusSeconds(600))).build()), "not valid before");
    assertRefused(sign(key, "at+jwt", new JWTClaimsSet.Builder(good.build()).audience("someone-else").build()), "audience");
    assertRefused(sign(key, "at+jwt", new JWTClaimsSet.Builder(good.build()).issuer("https://evil.example").build()), "not trusted");
    assertRefused(sign(key, "JWT", good.build()), "at+jwt");
    // A real token with its payload changed (roles widened) keeps a signature that no longer fits.
    BootstrapToken.Credentials admin = BootstrapToken.credentials(dir);
    String[] parts = tokenBasic(admin.clientId(), admin.secret()).split("\\.");
    ObjectNode payload = (ObjectNode) Api.MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
    payload.putArray("roles").add("operator-admin").add("auditor");
    String forged = parts[0] + "." + b64(Api.MAPPER.writeValueAsBytes(payload)) + "." + parts[2];
    assertRefused(forged, "signature");
    // A token signed by another key with our kid.
    ECKey other = new ECKeyGenerator(Curve.P_256).keyID(key.keyId()).generate();
    SignedJWT foreign = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("at+jwt"))
        .keyID(key.keyId()).build(), good.build());
    foreign.sign(new ECDSASigner(other));
    assertRefused(foreign.serialize(), "signature");
    // A key id the issuer never had (or has retired past its tokens' lifetime).
    ECKey unknown = new ECKeyGenerator(Curve.P_256).keyID("retired-long-ago").generate();
    SignedJWT stale = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("at+jwt"))
        .keyID(unknown.getKeyID()).build(), good.build());
    stale.sign(new ECDSASigner(unknown));
    assertRefused(stale.serialize(), "unknown or retired");
    assertRefused("not.a.jwt", "well-formed");
    assertRefused("garbage", "signed JWT");
  }

  @Test
  void algNoneAndHmacWithThePublicKeyAreRefused() throws Exception {
    String clientId = BootstrapToken.credentials(dir).clientId();
    Instant now = Instant.now();
    JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer()).subject(clientId).audience("sleutelbos")
        .expirationTime(Date.from(now.plusSeconds(300))).claim("client_id", clientId).build();
    String none = b64("{\"alg\":\"none\",\"typ\":\"at+jwt\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b64(claims.toString().getBytes(StandardCharsets.UTF_8)) + ".";
    assertRefused(none, "");
    // The classic confusion attack: HS256 keyed with the published public key.
    JsonNode jwk = api.anonymous().get("/.well-known/jwks.json").json().path("keys").get(0);
    SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType("at+jwt"))
        .keyID(jwk.path("kid").asText()).build(), claims);
    hmac.sign(new MACSigner(Api.MAPPER.writeValueAsBytes(jwk).length >= 32 ? Api.MAPPER.writeValueAsBytes(jwk) : new byte[32]));
    assertRefused(hmac.serialize(), "algorithm HS256 is not accepted");
  }

  // --- the token endpoint -----------------------------------------------------------------------

  @Test
  void clientSecretPostAndBasicBothWork() {
    JsonNode client = createClient("{\"name\":\"engineer\",\"roles\":[\"operator-engineer\"],\"organisation\":\"operator\"}");
    String id = client.path("client_id").asText();
    String secret = client.path("client_secret").asText();
    Api.Response post = api.anonymous().postAs(FORM, TOKEN,
        "grant_type=client_credentials&client_id=" + enc(id) + "&client_secret=" + enc(secret));
    assertThat(post.status()).as(post.toString()).isEqualTo(200);
    assertThat(post.json().path("token_type").asText()).isEqualTo("Bearer");
    assertThat(post.json().path("expires_in").asInt()).isEqualTo(300);
    assertThat(post.header("Cache-Control")).contains("no-store");
    assertThat(status(tokenBasic(id, secret))).isEqualTo(200);
  }

  @Test
  void tokenRequestErrorsFollowRfc6749() {
    BootstrapToken.Credentials admin = BootstrapToken.credentials(dir);
    Api anonymous = api.anonymous();
    Api.Response wrong = anonymous.postAs(FORM, TOKEN, "grant_type=client_credentials", "Authorization",
        new BootstrapToken.Credentials(admin.clientId(), "wrong").basic());
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.json().path("error").asText()).isEqualTo("invalid_client");
    assertThat(wrong.header("WWW-Authenticate").orElseThrow()).startsWith("Basic");
    Api.Response unknown = anonymous.postAs(FORM, TOKEN, "grant_type=client_credentials&client_id=sb-nobody&client_secret=x");
    assertThat(unknown.json().path("error").asText()).isEqualTo("invalid_client");
    Api.Response grant = anonymous.postAs(FORM, TOKEN, "grant_type=password&username=a&password=b", "Authorization", admin.basic());
    assertThat(grant.status()).isEqualTo(400);
    assertThat(grant.json().path("error").asText()).isEqualTo("unsupported_grant_type");
    Api.Response missing = anonymous.postAs(FORM, TOKEN, "", "Authorization", admin.basic());
    assertThat(missing.json().path("error").asText()).isEqualTo("invalid_request");
    Api.Response twice = anonymous.postAs(FORM, TOKEN, "grant_type=client_credentials&grant_type=client_credentials",
        "Authorization", admin.basic());
    assertThat(twice.json().path("error").asText()).isEqualTo("invalid_request");
    Api.Response json = anonymous.post(TOKEN, "{\"grant_type\":\"client_credentials\"}", "Authorization", admin.basic());
    assertThat(json.status()).isEqualTo(400);
    assertThat(json.json().path("error").asText()).isEqualTo("invalid_request");
    Api.Response scope = anonymous.postAs(FORM, TOKEN, "grant_type=client_credentials&scope=all", "Authorization", admin.basic());
    assertThat(scope.json().path("error").asText()).isEqualTo("invalid_scope");
    Api.Response none = anonymous.postAs(FORM, TOKEN, "grant_type=client_credentials");
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.json().path("error").asText()).isEqualTo("invalid_client");
  }

  @Test
  void privateKeyJwtAuthenticatesWithARegisteredKeyAndRefusesReplays() throws Exception {
    ECKey key = new ECKeyGenerator(Curve.P_256).keyID("device-key-1").generate();
    JsonNode client = createClient("{\"name\":\"head-end\",\"roles\":[\"operator-engineer\"],\"organisation\":\"operator\","
        + "\"jwk\":" + key.toPublicJWK().toJSONString() + "}");
    assertThat(client.has("client_secret")).isFalse();
    assertThat(client.path("token_endpoint_auth_method").asText()).isEqualTo("private_key_jwt");
    String id = client.path("client_id").asText();
    String tokenUrl = api.anonymous().get("/.well-known/openid-configuration").json().path("token_endpoint").asText();
    String assertion = assertion(key, id, tokenUrl, UUID.randomUUID().toString());
    Api.Response ok = jwtToken(assertion);
    assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
    assertThat(status(ok.json().path("access_token").asText())).isEqualTo(200);
    Api.Response replay = jwtToken(assertion);
    assertThat(replay.status()).isEqualTo(401);
    assertThat(replay.json().path("error_description").asText()).contains("used before");
    ECKey stranger = new ECKeyGenerator(Curve.P_256).generate();
    assertThat(jwtToken(assertion(stranger, id, tokenUrl, UUID.randomUUID().toString())).json().path("error").asText())
        .isEqualTo("invalid_client");
    assertThat(jwtToken(assertion(key, id, "https://elsewhere.example/token", UUID.randomUUID().toString()))
        .json().path("error_description").asText()).contains("audience");
    // A private key offered for registration is refused: it must never leave the client.
    Api.Response leaked = api.post("/sleutelbos/v1/clients", "{\"name\":\"x\",\"organisation\":\"operator\",\"jwk\":"
        + key.toJSONString() + "}");
    assertThat(leaked.status()).isEqualTo(400);
    assertThat(leaked.json().path("detail").asText()).contains("private key");
  }

  // --- client administration ------------------------------------------------------------------

  @Test
  void disablingAClientStopsItsTokensAtOnceAndEnablingRestoresThem() {
    JsonNode client = createClient("{\"name\":\"supplier app\",\"roles\":[\"supplier\"],\"organisation\":\"supplier:eneco\",\"country\":\"NL\"}");
    String id = client.path("client_id").asText();
    String secret = client.path("client_secret").asText();
    String token = tokenBasic(id, secret);
    assertThat(status(token)).isEqualTo(200);
    assertThat(api.post("/sleutelbos/v1/clients/" + id + "/disable", "").json().path("disabled").asBoolean()).isTrue();
    Api.Response refused = api.get(V1 + "/types", "Authorization", "Bearer " + token);
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.header("WWW-Authenticate").orElseThrow()).contains("error=\"invalid_token\"").contains("disabled");
    Api.Response noToken = api.anonymous().postAs(FORM, TOKEN, "grant_type=client_credentials",
        "Authorization", new BootstrapToken.Credentials(id, secret).basic());
    assertThat(noToken.json().path("error").asText()).isEqualTo("invalid_client");
    api.post("/sleutelbos/v1/clients/" + id + "/enable", "");
    assertThat(status(token)).isEqualTo(200);
  }

  @Test
  void rotatingASecretRetiresTheOldOne() {
    JsonNode client = createClient("{\"name\":\"auditor\",\"roles\":[\"auditor\"],\"organisation\":\"auditor:adr\"}");
    String id = client.path("client_id").asText();
    String old = client.path("client_secret").asText();
    JsonNode rotated = api.post("/sleutelbos/v1/clients/" + id + "/rotate-secret", "").json();
    String fresh = rotated.path("client_secret").asText();
    assertThat(fresh).isNotEqualTo(old);
    assertThat(api.anonymous().postAs(FORM, TOKEN, "grant_type=client_credentials", "Authorization",
        new BootstrapToken.Credentials(id, old).basic()).status()).isEqualTo(401);
    assertThat(status(tokenBasic(id, fresh))).isEqualTo(200);
  }

  @Test
  void clientsAreListedWithoutSecretsAndOnlyAdministratorsManageThem() {
    JsonNode client = createClient("{\"name\":\"vendor\",\"roles\":[\"vendor\"],\"organisation\":\"vendor:acme\",\"country\":\"CN\"}");
    String id = client.path("client_id").asText();
    Api.Response list = api.get("/sleutelbos/v1/clients");
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.body()).contains(id).doesNotContain("\"client_secret\"").doesNotContain("pbkdf2")
        .doesNotContain(client.path("client_secret").asText());
    assertThat(api.get("/sleutelbos/v1/clients/" + id).json().path("organisation").asText()).isEqualTo("vendor:acme");
    String vendorToken = tokenBasic(id, client.path("client_secret").asText());
    Api.Response forbidden = api.get("/sleutelbos/v1/clients", "Authorization", "Bearer " + vendorToken);
    assertThat(forbidden.status()).isEqualTo(403);
    assertThat(api.post("/sleutelbos/v1/oauth/signing-keys/rotate", "", "Authorization", "Bearer " + vendorToken).status())
        .isEqualTo(403);
    assertThat(api.get("/sleutelbos/v1/clients/sb-nobody").status()).isEqualTo(404);
  }

  @Test
  void badClientRegistrationsAreClear400s() {
    assertThat(api.post("/sleutelbos/v1/clients", "{\"name\":\"x\",\"organisation\":\"government\"}").json()
        .path("detail").asText()).contains("government");
    assertThat(api.post("/sleutelbos/v1/clients", "{\"name\":\"x\",\"organisation\":\"operator\",\"country\":\"nl\"}")
        .status()).isEqualTo(400);
    assertThat(api.post("/sleutelbos/v1/clients", "{\"organisation\":\"operator\"}").json().path("detail").asText())
        .contains("name");
    assertThat(api.post("/sleutelbos/v1/clients", "{\"name\":\"x\",\"organisation\":\"operator\",\"roles\":[\"Admin!\"]}")
        .status()).isEqualTo(400);
    assertThat(api.post("/sleutelbos/v1/clients", "{\"name\":\"x\",\"organisation\":\"operator\",\"secret\":\"mine\"}")
        .status()).isEqualTo(400);
  }

  // --- signing keys and the bootstrap administrator ---------------------------------------------

  @Test
  void rotationKeepsThePreviousKeyPublishedAndItsTokensValid() throws Exception {
    BootstrapToken.Credentials admin = BootstrapToken.credentials(dir);
    String before = tokenBasic(admin.clientId(), admin.secret());
    String oldKid = SignedJWT.parse(before).getHeader().getKeyID();
    Api.Response rotated = api.post("/sleutelbos/v1/oauth/signing-keys/rotate", "");
    assertThat(rotated.status()).isEqualTo(200);
    String newKid = rotated.json().path("kid").asText();
    assertThat(newKid).isNotEqualTo(oldKid);
    assertThat(api.anonymous().get("/.well-known/jwks.json").json().findValuesAsText("kid")).contains(oldKid, newKid);
    assertThat(status(before)).as("a token signed before the rotation").isEqualTo(200);
    String after = tokenBasic(admin.clientId(), admin.secret());
    assertThat(SignedJWT.parse(after).getHeader().getKeyID()).isEqualTo(newKid);
    assertThat(status(after)).isEqualTo(200);
  }

  @Test
  void theBootstrapFileIsForTheOwnerOnly() throws Exception {
    Path file = dir.resolve("bootstrap-admin.json");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    JsonNode json = Api.MAPPER.readTree(Files.readString(file));
    assertThat(json.path("client_id").asText()).startsWith("sb-");
    assertThat(json.path("token_endpoint").asText()).endsWith(TOKEN);
  }

  // --- an external issuer ---------------------------------------------------------------------

  @Test
  void anExternalIssuersTokenIsAcceptedAndItsClaimsMapped() {
    oidc.enqueueCallback(new DefaultOAuth2TokenCallback("partner", "ignored", "JWT", List.of("sleutelbos"),
        Map.of("realm_access", Map.of("roles", List.of("supplier")), "org", "supplier:eneco", "country", "NL"), 300));
    String token = externalToken("partner");
    JsonNode subject = api.get("/sleutelbos/v1/subject", "Authorization", "Bearer " + token).json();
    // For the client-credentials grant the server makes the client id the subject.
    assertThat(subject.path("id").asText()).isEqualTo("partner-app");
    assertThat(subject.path("roles").toString()).isEqualTo("[\"supplier\"]");
    assertThat(subject.path("organisation").asText()).isEqualTo("supplier:eneco");
    assertThat(subject.path("country").asText()).isEqualTo("NL");
    assertThat(subject.path("issuer").asText()).isEqualTo(oidc.issuerUrl("partner").toString());
  }

  @Test
  void anExternalTokenForAnotherAudienceOrFromAnUntrustedIssuerIsRefused() {
    oidc.enqueueCallback(new DefaultOAuth2TokenCallback("partner", "bob", "JWT", List.of("another-api"), Map.of(), 300));
    assertRefused(externalToken("partner"), "audience");
    // The same real server under another issuer id is not configured, so not trusted.
    oidc.enqueueCallback(new DefaultOAuth2TokenCallback("stranger", "eve", "JWT", List.of("sleutelbos"), Map.of(), 300));
    assertRefused(externalToken("stranger"), "not trusted");
  }

  // --- helpers --------------------------------------------------------------------------------

  private String externalToken(String issuerId) {
    Api external = new Api(oidc.baseUrl().toString().replaceAll("/$", ""));
    Api.Response r = external.postAs(FORM, "/" + issuerId + "/token",
        "grant_type=client_credentials&client_id=partner-app&client_secret=anything&scope=sleutelbos");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json().path("access_token").asText();
  }

  private JsonNode createClient(String body) {
    Api.Response r = api.post("/sleutelbos/v1/clients", body);
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    assertThat(r.header("Location")).contains("/sleutelbos/v1/clients/" + r.json().path("client_id").asText());
    return r.json();
  }

  private String tokenBasic(String id, String secret) {
    Api.Response r = api.anonymous().postAs(FORM, TOKEN, "grant_type=client_credentials",
        "Authorization", new BootstrapToken.Credentials(id, secret).basic());
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json().path("access_token").asText();
  }

  private Api.Response jwtToken(String assertion) {
    return api.anonymous().postAs(FORM, TOKEN, "grant_type=client_credentials&client_assertion_type="
        + enc("urn:ietf:params:oauth:client-assertion-type:jwt-bearer") + "&client_assertion=" + enc(assertion));
  }

  private static String assertion(ECKey key, String clientId, String audience, String jti) throws Exception {
    Instant now = Instant.now();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(),
        new JWTClaimsSet.Builder().issuer(clientId).subject(clientId).audience(audience).jwtID(jti)
            .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(60))).build());
    jwt.sign(new ECDSASigner(key));
    return jwt.serialize();
  }

  private int status(String token) {
    // Whether the token is accepted: every accepted subject may read who it is, whatever the policy lets it do.
    return api.get("/sleutelbos/v1/subject", "Authorization", "Bearer " + token).status();
  }

  private void assertRefused(String token, String reason) {
    Api.Response r = api.get(V1 + "/types", "Authorization", "Bearer " + token);
    assertThat(r.status()).as(reason + ": " + r).isEqualTo(401);
    assertThat(r.header("WWW-Authenticate").orElseThrow()).contains("error=\"invalid_token\"");
    assertThat(r.json().path("detail").asText()).contains(reason);
  }

  private String issuer() {
    return api.anonymous().get("/.well-known/openid-configuration").json().path("issuer").asText();
  }

  /** The server's current signing key, opened from its key store on disk (the test runs beside it). */
  private Signer currentKey() {
    String kid = api.anonymous().get("/.well-known/jwks.json").json().path("keys").get(0).path("kid").asText();
    return SoftwareSignerStore.open(dir.resolve("keys")).open(kid).orElseThrow();
  }

  private static String sign(Signer key, String typ, JWTClaimsSet claims) throws Exception {
    String header = "{\"alg\":\"ES256\",\"typ\":\"" + typ + "\",\"kid\":\"" + key.keyId() + "\"}";
    String input = b64(header.getBytes(StandardCharsets.UTF_8)) + "." + b64(claims.toString().getBytes(StandardCharsets.UTF_8));
    return input + "." + b64(key.sign(input.getBytes(StandardCharsets.US_ASCII)));
  }

  private static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}

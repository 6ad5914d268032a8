package nl.sleutelbos.identity;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Identity wired together: the embedded issuer (signing keys, clients, token endpoint), the
 * trusted external issuers, and the authenticator that the HTTP layer puts in front of every
 * protected route. The composition root builds one of these and asks it for its parts.
 */
public final class Identity {
  public static final String TOKEN_PATH = "/sleutelbos/v1/oauth/token";
  public static final String DISCOVERY_PATH = "/.well-known/openid-configuration";
  public static final String JWKS_PATH = "/.well-known/jwks.json";

  private final String issuerUrl;
  private final SigningKeys keys;
  private final Clients clients;
  private final TokenIssuer issuer;
  private final TokenEndpoint tokenEndpoint;
  private final Authenticator authenticator;

  private Identity(String issuerUrl, SigningKeys keys, Clients clients, TokenIssuer issuer, TokenEndpoint tokenEndpoint,
      Authenticator authenticator) {
    this.issuerUrl = issuerUrl;
    this.keys = keys;
    this.clients = clients;
    this.issuer = issuer;
    this.tokenEndpoint = tokenEndpoint;
    this.authenticator = authenticator;
  }

  /**
   * Opens identity on this store and data directory, creating the first signing key and the
   * bootstrap administrator on first start.
   *
   * @param issuerUrl the embedded issuer's identifier: the server's public URL
   * @param signers where the token-signing keys live
   */
  public static Identity open(nl.sleutelbos.store.DocumentStore documents, SignerStore signers, Path dataDir,
      String issuerUrl, IdentityConfig config, Clock clock) {
    Duration publishAfterRetirement = config.tokenLifetime().plus(TokenChecks.LEEWAY);
    SigningKeys keys = SigningKeys.open(documents, signers, publishAfterRetirement, clock);
    Clients clients = new Clients(documents, clock);
    TokenIssuer issuer = new TokenIssuer(issuerUrl, config.audience(), config.tokenLifetime(), keys, clock);
    String tokenUrl = issuerUrl + TOKEN_PATH;
    TokenEndpoint endpoint = new TokenEndpoint(issuer, clients, tokenUrl, clock);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    List<ExternalIssuer> external = config.external().stream().map(c -> new ExternalIssuer(c, http, clock)).toList();
    Authenticator authenticator = new Authenticator(issuer, keys, clients, external, clock);
    BootstrapAdmin.ensure(documents, clients, dataDir, issuerUrl, tokenUrl);
    return new Identity(issuerUrl, keys, clients, issuer, endpoint, authenticator);
  }

  public Authenticator authenticator() {
    return authenticator;
  }

  public TokenEndpoint tokenEndpoint() {
    return tokenEndpoint;
  }

  public Clients clients() {
    return clients;
  }

  public SigningKeys keys() {
    return keys;
  }

  public TokenIssuer issuer() {
    return issuer;
  }

  /**
   * The discovery document (OIDC Discovery §3, RFC 8414 §2) for what this issuer does: the
   * client-credentials grant at the token endpoint and its keys. It has no authorization
   * endpoint and issues no ID tokens, so it names none.
   */
  public ObjectNode discovery() {
    ObjectMapper json = new ObjectMapper();
    ObjectNode doc = json.createObjectNode();
    doc.put("issuer", issuerUrl);
    doc.put("token_endpoint", issuerUrl + TOKEN_PATH);
    doc.put("jwks_uri", issuerUrl + JWKS_PATH);
    doc.putArray("grant_types_supported").add("client_credentials");
    doc.putArray("token_endpoint_auth_methods_supported")
        .add("client_secret_basic").add("client_secret_post").add("private_key_jwt");
    doc.putArray("token_endpoint_auth_signing_alg_values_supported").add("ES256").add("RS256");
    doc.putArray("response_types_supported");
    doc.putArray("subject_types_supported").add("public");
    doc.putArray("access_token_signing_alg_values_supported").add("ES256");
    return doc;
  }
}

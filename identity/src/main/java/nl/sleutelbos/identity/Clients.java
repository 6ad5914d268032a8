package nl.sleutelbos.identity;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import nl.sleutelbos.store.DocumentStore;

/**
 * The registry of the embedded issuer's clients, kept in the document store (collection
 * {@code oauth-clients}). Secrets are generated here, shown once, and stored only as PBKDF2
 * hashes. Thread-safe.
 *
 * <p>Every request's bearer token is checked against its client's state (a disabled client's
 * tokens stop working at once), so that lookup is cached; the cache is updated by this
 * instance's own changes and re-read after {@link #CACHE_TTL}, which bounds how long a change
 * made by another process (the CLI on a PostgreSQL store) takes to be seen.
 */
public final class Clients {
  static final String COLLECTION = "oauth-clients";
  static final Duration CACHE_TTL = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N} ._()-]{1,100}");
  private static final Pattern ROLE = Pattern.compile("[a-z][a-z0-9-]{0,63}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final DocumentStore documents;
  private final Clock clock;
  private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(Optional<Client> client, Instant loadedAt) {}

  /** What a new client is to be. With a public key it authenticates by {@code private_key_jwt}, else by secret. */
  public record Registration(String name, Set<String> roles, Organisation organisation, Optional<String> country,
      Optional<String> publicJwk) {
    public Registration {
      requireNonNull(name, "name is null");
      roles = Set.copyOf(roles);
      requireNonNull(organisation, "organisation is null");
      requireNonNull(country, "country is null");
      requireNonNull(publicJwk, "publicJwk is null");
    }
  }

  /** A new or re-keyed client with its secret, which is shown this once and never again. */
  public record Issued(Client client, Optional<String> secret) {
    @Override
    public String toString() {
      return "Issued[" + client + "]";
    }
  }

  public Clients(DocumentStore documents, Clock clock) {
    this.documents = requireNonNull(documents, "documents is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  public Issued create(Registration registration) throws ClientException {
    if (!NAME.matcher(registration.name()).matches()) {
      throw new ClientException(ClientException.Kind.INVALID, "client name '" + registration.name()
          + "' must be 1 to 100 letters, digits, spaces or . _ ( ) -");
    }
    for (String role : registration.roles()) {
      if (!ROLE.matcher(role).matches()) {
        throw new ClientException(ClientException.Kind.INVALID, "role '" + role
            + "' must be lower case letters, digits and '-', starting with a letter, at most 64 long");
      }
    }
    Optional<String> jwk = registration.publicJwk().isPresent()
        ? Optional.of(checkedPublicKey(registration.publicJwk().get()))
        : Optional.empty();
    String id = "sb-" + HexFormat.of().formatHex(randomBytes(10));
    Optional<String> secret = jwk.isPresent() ? Optional.empty() : Optional.of(Secrets.randomSecret());
    Client client = new Client(id, registration.name(), registration.roles(), registration.organisation(),
        registration.country(), secret.map(SecretHash::hash), jwk, false, clock.instant());
    if (!documents.putIfAbsent(COLLECTION, id, write(client))) {
      throw new IllegalStateException("client id collision on " + id);
    }
    remember(client);
    return new Issued(client, secret);
  }

  /** Every client, ordered by id. */
  public List<Client> list() {
    return documents.list(COLLECTION).stream().map(d -> read(d.body())).toList();
  }

  public Optional<Client> get(String id) {
    return documents.get(COLLECTION, id).map(Clients::read);
  }

  /** Disables (or enables) a client: its tokens stop (or start) being accepted at once. */
  public synchronized Client setDisabled(String id, boolean disabled) throws ClientException {
    Client client = existing(id).withDisabled(disabled);
    documents.put(COLLECTION, id, write(client));
    remember(client);
    return client;
  }

  /** Replaces a secret client's secret; the old one stops working at once. */
  public synchronized Issued rotateSecret(String id) throws ClientException {
    Client client = existing(id);
    if (client.secretHash().isEmpty()) {
      throw new ClientException(ClientException.Kind.CONFLICT, "client " + id
          + " authenticates with private_key_jwt and has no secret to rotate");
    }
    String secret = Secrets.randomSecret();
    Client rotated = client.withSecretHash(SecretHash.hash(secret));
    documents.put(COLLECTION, id, write(rotated));
    remember(rotated);
    return new Issued(rotated, Optional.of(secret));
  }

  /**
   * The client if the secret is its current one. Spends the same hashing work on unknown ids
   * and on clients without a secret, so timing does not tell which ids exist.
   */
  public Optional<Client> authenticate(String id, String secret) {
    Optional<Client> client = get(id);
    String hash = client.flatMap(Client::secretHash).orElse(SecretHash.DECOY);
    boolean matches = SecretHash.matches(secret, hash);
    return matches && client.flatMap(Client::secretHash).isPresent() ? client : Optional.empty();
  }

  /** Whether the client exists and is not disabled, from the cache (see the class comment). */
  public boolean active(String id) {
    Instant now = clock.instant();
    Cached cached = cache.get(id);
    if (cached == null || !now.isBefore(cached.loadedAt().plus(CACHE_TTL))) {
      cached = new Cached(get(id), now);
      cache.put(id, cached);
    }
    return cached.client().map(c -> !c.disabled()).orElse(false);
  }

  private void remember(Client client) {
    cache.put(client.id(), new Cached(Optional.of(client), clock.instant()));
  }

  private Client existing(String id) throws ClientException {
    return get(id).orElseThrow(() -> new ClientException(ClientException.Kind.NOT_FOUND, "no client " + id));
  }

  /** Accepts a public EC P-256 or RSA (2048 bits or more) JWK; refuses private parts outright. */
  private static String checkedPublicKey(String text) throws ClientException {
    JWK jwk;
    try {
      jwk = JWK.parse(text);
    } catch (ParseException e) {
      throw new ClientException(ClientException.Kind.INVALID, "jwk is not a JSON Web Key: " + e.getMessage());
    }
    if (jwk.isPrivate()) {
      throw new ClientException(ClientException.Kind.INVALID,
          "jwk contains a private key; register only the public part (the private key never leaves the client)");
    }
    if (jwk instanceof ECKey ec && !ec.getCurve().getName().equals("P-256")) {
      throw new ClientException(ClientException.Kind.INVALID, "EC jwk must be on P-256, got " + ec.getCurve());
    }
    if (jwk instanceof RSAKey rsa && rsa.size() < 2048) {
      throw new ClientException(ClientException.Kind.INVALID, "RSA jwk must have 2048 bits or more, got " + rsa.size());
    }
    if (!(jwk instanceof ECKey) && !(jwk instanceof RSAKey)) {
      throw new ClientException(ClientException.Kind.INVALID, "jwk must be an EC (P-256) or RSA key, got " + jwk.getKeyType());
    }
    return jwk.toPublicJWK().toJSONString();
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  private static String write(Client c) {
    ObjectNode node = JSON.createObjectNode();
    node.put("id", c.id());
    node.put("name", c.name());
    node.putPOJO("roles", new TreeSet<>(c.roles()));
    node.put("organisation", c.organisation().toString());
    c.country().ifPresent(v -> node.put("country", v));
    c.secretHash().ifPresent(v -> node.put("secretHash", v));
    c.publicJwk().ifPresent(v -> node.put("jwk", v));
    node.put("disabled", c.disabled());
    node.put("created", c.created().toString());
    try {
      return JSON.writeValueAsString(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Client read(String body) {
    try {
      JsonNode n = JSON.readTree(body);
      Set<String> roles = new TreeSet<>();
      n.path("roles").forEach(r -> roles.add(r.asText()));
      return new Client(n.path("id").asText(), n.path("name").asText(), roles,
          Organisation.parse(n.path("organisation").asText()),
          text(n, "country"), text(n, "secretHash"), text(n, "jwk"),
          n.path("disabled").asBoolean(), Instant.parse(n.path("created").asText()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Optional<String> text(JsonNode n, String field) {
    return n.hasNonNull(field) ? Optional.of(n.get(field).asText()) : Optional.empty();
  }
}

package nl.sleutelbos.identity;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import nl.sleutelbos.store.DocumentStore;

/**
 * The issuer's signing keys: one current key that signs new tokens, and the keys it replaced,
 * each still published (in the JWKS) and accepted until the last token it signed has expired —
 * its retirement time plus the longest token lifetime plus the clock leeway. After that the key
 * is dropped from the JWKS and destroyed.
 *
 * <p>Which key is current is recorded in the document store ({@code identity/signing-keys}); the
 * key material stays in the {@link SignerStore}. One server instance owns rotation.
 */
public final class SigningKeys {
  static final String COLLECTION = "identity";
  static final String KEY = "signing-keys";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final DocumentStore documents;
  private final SignerStore signers;
  private final Duration publishAfterRetirement;
  private final Clock clock;
  private volatile State state;

  /** The current signer and the retired keys with the instant each stops being published. */
  private record State(Signer current, Map<String, Retired> retired) {}

  private record Retired(JWK key, Instant publishedUntil) {}

  private SigningKeys(DocumentStore documents, SignerStore signers, Duration publishAfterRetirement, Clock clock) {
    this.documents = documents;
    this.signers = signers;
    this.publishAfterRetirement = publishAfterRetirement;
    this.clock = clock;
  }

  /**
   * Loads the key set, generating the first key on first start.
   *
   * @param publishAfterRetirement how long a replaced key stays published: the longest token
   *     lifetime plus the verifiers' clock leeway
   */
  public static SigningKeys open(DocumentStore documents, SignerStore signers, Duration publishAfterRetirement, Clock clock) {
    SigningKeys keys = new SigningKeys(requireNonNull(documents, "documents is null"),
        requireNonNull(signers, "signers is null"), requireNonNull(publishAfterRetirement), requireNonNull(clock));
    synchronized (keys) {
      Optional<String> stored = documents.get(COLLECTION, KEY);
      if (stored.isEmpty()) {
        keys.state = new State(signers.generate(), Map.of());
        keys.save();
      } else {
        keys.state = keys.read(stored.get());
      }
    }
    return keys;
  }

  /** The signer for new tokens. */
  public Signer current() {
    return state.current();
  }

  /**
   * The public key for a {@code kid}: the current key's, or a retired key's while it is still
   * published. Empty for unknown and expired ids.
   */
  public Optional<JWK> verificationKey(String keyId) {
    State s = state;
    if (s.current().keyId().equals(keyId)) {
      return Optional.of(s.current().publicKey());
    }
    Retired retired = s.retired().get(keyId);
    if (retired != null && clock.instant().isBefore(retired.publishedUntil())) {
      return Optional.of(retired.key());
    }
    return Optional.empty();
  }

  /** The JWKS (RFC 7517 §5): the current key first, then retired keys still published. */
  public JWKSet published() {
    State s = state;
    Instant now = clock.instant();
    List<JWK> keys = new ArrayList<>();
    keys.add(s.current().publicKey());
    s.retired().values().stream().filter(r -> now.isBefore(r.publishedUntil())).forEach(r -> keys.add(r.key()));
    return new JWKSet(keys);
  }

  /**
   * Makes a new key current. The old one stays published until its tokens have expired; keys
   * whose publication has ended are destroyed now.
   *
   * @return the new current signer
   */
  public synchronized Signer rotate() {
    Instant now = clock.instant();
    State old = state;
    Map<String, Retired> retired = new LinkedHashMap<>();
    for (Map.Entry<String, Retired> e : old.retired().entrySet()) {
      if (now.isBefore(e.getValue().publishedUntil())) {
        retired.put(e.getKey(), e.getValue());
      } else {
        signers.destroy(e.getKey());
      }
    }
    retired.put(old.current().keyId(), new Retired(old.current().publicKey(), now.plus(publishAfterRetirement)));
    state = new State(signers.generate(), Map.copyOf(retired));
    save();
    return state.current();
  }

  private State read(String body) {
    try {
      JsonNode node = JSON.readTree(body);
      String currentId = node.path("current").asText();
      Signer current = signers.open(currentId).orElseThrow(() -> new IllegalStateException(
          "the current token-signing key " + currentId + " is missing from its key store"));
      Map<String, Retired> retired = new LinkedHashMap<>();
      for (JsonNode r : node.path("retired")) {
        JWK key = JWK.parse(JSON.writeValueAsString(r.path("key")));
        retired.put(key.getKeyID(), new Retired(key, Instant.parse(r.path("publishedUntil").asText())));
      }
      return new State(current, Map.copyOf(retired));
    } catch (IOException | java.text.ParseException e) {
      throw new IllegalStateException("the stored signing-key set is unreadable", e);
    }
  }

  private void save() {
    ObjectNode node = JSON.createObjectNode();
    node.put("current", state.current().keyId());
    ArrayNode retired = node.putArray("retired");
    try {
      for (Retired r : state.retired().values()) {
        ObjectNode entry = retired.addObject();
        entry.set("key", JSON.readTree(r.key().toPublicJWK().toJSONString()));
        entry.put("publishedUntil", r.publishedUntil().toString());
      }
      documents.put(COLLECTION, KEY, JSON.writeValueAsString(node));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

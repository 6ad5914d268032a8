package nl.sleutelbos.identity;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * A registered OAuth2 client of the embedded issuer. It authenticates with a secret (kept only as
 * a hash) or with a signed JWT assertion verified against its registered public key.
 *
 * @param secretHash the PBKDF2 hash of the secret; never the secret
 * @param publicJwk the public JWK (JSON) for {@code private_key_jwt}, if registered
 */
public record Client(String id, String name, Set<String> roles, Organisation organisation, Optional<String> country,
    Optional<String> secretHash, Optional<String> publicJwk, boolean disabled, Instant created) {
  public Client {
    requireNonNull(id, "id is null");
    requireNonNull(name, "name is null");
    roles = Set.copyOf(roles);
    requireNonNull(organisation, "organisation is null");
    requireNonNull(country, "country is null");
    requireNonNull(secretHash, "secretHash is null");
    requireNonNull(publicJwk, "publicJwk is null");
    requireNonNull(created, "created is null");
  }

  Client withDisabled(boolean value) {
    return new Client(id, name, roles, organisation, country, secretHash, publicJwk, value, created);
  }

  Client withSecretHash(String hash) {
    return new Client(id, name, roles, organisation, country, Optional.of(hash), publicJwk, disabled, created);
  }

  @Override
  public String toString() {
    return "Client[" + id + " " + name + (disabled ? " disabled" : "") + "]"; // never the hash
  }
}

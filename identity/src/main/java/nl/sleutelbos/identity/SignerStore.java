package nl.sleutelbos.identity;

import java.util.Optional;

/**
 * Where token-signing keys are generated and kept. Implementations keep the private part to
 * themselves and hand out {@link Signer} handles. Thread-safe.
 */
public interface SignerStore {
  /** Generates a new EC P-256 key, stores it durably and returns its signer. */
  Signer generate();

  /** The signer for a key id, or empty if the store has no such key. */
  Optional<Signer> open(String keyId);

  /** Destroys the key; later {@link #open} calls return empty. Unknown ids are ignored. */
  void destroy(String keyId);
}

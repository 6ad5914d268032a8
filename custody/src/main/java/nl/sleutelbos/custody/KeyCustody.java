package nl.sleutelbos.custody;

import java.util.List;
import java.util.Optional;
import nl.sleutelbos.identity.SignerStore;

/**
 * Where the operator's keys live. Callers hold {@link KeyHandle}s for keys that never leave
 * custody (storage KEKs, signing keys) and {@link WrappedKey}s for per-device keys, which exist
 * outside custody only wrapped under a storage KEK and are unwrapped only inside it. No method
 * returns or logs plaintext key material; material enters only through {@link InsecureKeyMaterial}.
 *
 * <p>Implementations are thread-safe. A failing device or backend surfaces as a
 * {@link CustodyException} with a {@link CustodyException.Reason}; nothing is half-done: a key
 * generated or unwrapped for one call is destroyed before the call returns.
 */
public interface KeyCustody extends AutoCloseable {

  /** What this backend is and where it stands; the custody report shows it for every key. */
  Backend backend();

  /**
   * Generates an AES-256 storage KEK under this label, non-extractable and sensitive: it can
   * wrap and unwrap, and its value can never be read. Fails with {@code DUPLICATE_LABEL} if taken.
   */
  KeyHandle generateStorageKek(String label);

  /** The KEK with this label, or empty. */
  Optional<KeyHandle> kek(String label);

  /**
   * Brings a known AES key into custody as a non-extractable KEK: a transport key agreed with a
   * vendor, or a test vector's KEK. After this call the material is only reachable as a handle.
   */
  KeyHandle importKek(String label, InsecureKeyMaterial material);

  /**
   * Generates an AES-128 device key inside custody and returns it wrapped under the KEK
   * (RFC 3394). The plaintext never exists outside custody.
   */
  WrappedKey generateDeviceKey(KeyHandle kek);

  /**
   * Wraps a known key under the KEK: RFC 3394 when its length is an AES key size, RFC 5649
   * (with padding) otherwise. Used for vendor factory keys and for known-answer tests.
   */
  WrappedKey importDeviceKey(KeyHandle kek, InsecureKeyMaterial material);

  /**
   * Takes over a key that arrived wrapped under a transport KEK held here (a vendor's factory key):
   * unwraps it inside custody by the method it names (RFC 3394 or RFC 5649) and wraps it under the
   * storage KEK (RFC 3394). The plaintext never leaves custody. Fails with {@code INTEGRITY} when
   * the unwrap does not verify, {@code INVALID} when the key inside is not AES-128 (every device
   * key is), {@code UNKNOWN_KEY} when either KEK is not here.
   */
  WrappedKey rewrap(WrappedKey fromTransport, KeyHandle storageKek);

  /**
   * Unwraps {@code key} and the device's {@code master} key inside custody and wraps the key
   * under the master key (RFC 3394), the DLMS key-transfer form a device can unwrap itself.
   * Both inputs must be wrapped under KEKs held here.
   */
  WrappedKey wrapForDelivery(WrappedKey key, WrappedKey master);

  /**
   * One device's share of a rotation, done in one go: the device's {@code master} key is made
   * usable once, each {@code pending} key (stored NEW earlier, not yet acknowledged) is wrapped
   * for delivery under it, and {@code fresh} new AES-128 keys are generated, each wrapped for
   * storage under {@code storageKek} and for delivery under the master key. A backend with
   * sessions does all of it in one session and destroys every object it made before returning.
   * The default is the same steps through {@link #generateDeviceKey} and {@link #wrapForDelivery}.
   */
  default KeyChange changeKeys(KeyHandle storageKek, WrappedKey master, List<WrappedKey> pending, int fresh) {
    if (fresh < 0) {
      throw new IllegalArgumentException("fresh < 0: " + fresh);
    }
    List<WrappedKey> stored = new java.util.ArrayList<>(fresh);
    List<WrappedKey> forDevice = new java.util.ArrayList<>(pending.size() + fresh);
    for (WrappedKey key : pending) {
      forDevice.add(wrapForDelivery(key, master));
    }
    for (int i = 0; i < fresh; i++) {
      WrappedKey key = generateDeviceKey(storageKek);
      stored.add(key);
      forDevice.add(wrapForDelivery(key, master));
    }
    return new KeyChange(stored, forDevice);
  }

  /**
   * AES-GCM with a device key unwrapped inside custody for this one call: returns ciphertext
   * followed by a tag of {@code tagBytes}. The IV must be 12 bytes. Key values in the additional
   * data are resolved inside custody.
   */
  byte[] gcmEncrypt(WrappedKey key, byte[] iv, List<AadPart> aad, byte[] plaintext, int tagBytes);

  /** The inverse of {@link #gcmEncrypt}; fails with {@code INTEGRITY} when the tag does not verify. */
  byte[] gcmDecrypt(WrappedKey key, byte[] iv, List<AadPart> aad, byte[] ciphertextAndTag, int tagBytes);

  /** {@link #gcmEncrypt(WrappedKey, byte[], List, byte[], int)} with plain additional data. */
  default byte[] gcmEncrypt(WrappedKey key, byte[] iv, byte[] aad, byte[] plaintext, int tagBytes) {
    return gcmEncrypt(key, iv, List.of(new AadPart.Bytes(aad)), plaintext, tagBytes);
  }

  /** {@link #gcmDecrypt(WrappedKey, byte[], List, byte[], int)} with plain additional data. */
  default byte[] gcmDecrypt(WrappedKey key, byte[] iv, byte[] aad, byte[] ciphertextAndTag, int tagBytes) {
    return gcmDecrypt(key, iv, List.of(new AadPart.Bytes(aad)), ciphertextAndTag, tagBytes);
  }

  /** Operator signing keys (ECDSA P-256) kept in this backend. */
  SignerStore signers();

  @Override
  void close();
}

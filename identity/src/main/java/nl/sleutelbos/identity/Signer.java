package nl.sleutelbos.identity;

import com.nimbusds.jose.jwk.JWK;

/**
 * A signing key behind a handle: it signs, it never hands out its private part. The token issuer
 * uses the software implementation today; the key-custody module will back this with a key in the
 * HSM, so nothing here may assume the private key is reachable.
 */
public interface Signer {
  /** The key id ({@code kid}) that tokens signed with this key carry and the JWKS publishes. */
  String keyId();

  /** The JOSE algorithm, {@code ES256} for every signer today. */
  String algorithm();

  /** The public key as a JWK with {@code kid}, {@code use=sig} and {@code alg}; never the private part. */
  JWK publicKey();

  /**
   * Signs the bytes. For ES256 the answer is the JOSE form (RFC 7518 §3.4): the 32-byte r and
   * 32-byte s concatenated, not the DER sequence that JCA and PKCS#11 produce by default.
   */
  byte[] sign(byte[] data);

  /** Whether the key is held in sovereign custody (an EU HSM); a software key is not. */
  boolean sovereign();
}

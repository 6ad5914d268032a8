package nl.sleutelbos.identity;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;

/**
 * An ES256 signer over a software EC P-256 key. For development and tests only: the key lives in
 * a file on the server's disk, which is not sovereign custody, and {@link #sovereign()} says so.
 */
final class SoftwareSigner implements Signer {
  private final String keyId;
  private final PrivateKey privateKey;
  private final ECKey publicKey;

  SoftwareSigner(String keyId, PrivateKey privateKey, ECPublicKey publicKey) {
    this.keyId = requireNonNull(keyId, "keyId is null");
    this.privateKey = requireNonNull(privateKey, "privateKey is null");
    this.publicKey = new ECKey.Builder(Curve.P_256, publicKey)
        .keyID(keyId).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256).build();
  }

  @Override
  public String keyId() {
    return keyId;
  }

  @Override
  public String algorithm() {
    return "ES256";
  }

  @Override
  public JWK publicKey() {
    return publicKey;
  }

  @Override
  public byte[] sign(byte[] data) {
    try {
      // The P1363 format is the raw r||s that JOSE wants; the plain "SHA256withECDSA" gives DER.
      Signature signature = Signature.getInstance("SHA256withECDSAinP1363Format");
      signature.initSign(privateKey);
      signature.update(data);
      return signature.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("signing with " + keyId + " failed", e);
    }
  }

  @Override
  public boolean sovereign() {
    return false;
  }

  @Override
  public String toString() {
    return "SoftwareSigner[" + keyId + "]"; // never the key
  }
}

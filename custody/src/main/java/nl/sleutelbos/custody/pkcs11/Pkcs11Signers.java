package nl.sleutelbos.custody.pkcs11;

import static sun.security.pkcs11.wrapper.PKCS11Constants.*;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.util.Base64URL;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import nl.sleutelbos.custody.CustodyException;
import nl.sleutelbos.custody.CustodyException.Reason;
import nl.sleutelbos.identity.Signer;
import nl.sleutelbos.identity.SignerStore;
import sun.security.pkcs11.wrapper.CK_ATTRIBUTE;
import sun.security.pkcs11.wrapper.CK_MECHANISM;
import sun.security.pkcs11.wrapper.PKCS11Exception;

/**
 * ECDSA P-256 signing keys as token objects: the private key is sensitive and non-extractable,
 * found by its label (the key id). {@code CKM_ECDSA} over a SHA-256 digest answers r||s, which is
 * already the JOSE form {@link Signer#sign} promises.
 */
final class Pkcs11Signers implements SignerStore {
  /** DER of the OID 1.2.840.10045.3.1.7 (P-256). */
  private static final byte[] P256 = {0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x03, 0x01, 0x07};

  private final Pkcs11Custody custody;
  private final boolean sovereign;

  Pkcs11Signers(Pkcs11Custody custody, boolean sovereign) {
    this.custody = custody;
    this.sovereign = sovereign;
  }

  @Override
  public Signer generate() {
    String keyId = UUID.randomUUID().toString();
    return custody.call(s -> {
      CK_ATTRIBUTE[] pub = {
        new CK_ATTRIBUTE(CKA_TOKEN, true),
        new CK_ATTRIBUTE(CKA_LABEL, keyId.toCharArray()),
        new CK_ATTRIBUTE(CKA_VERIFY, true),
        new CK_ATTRIBUTE(CKA_EC_PARAMS, P256),
      };
      CK_ATTRIBUTE[] priv = {
        new CK_ATTRIBUTE(CKA_TOKEN, true),
        new CK_ATTRIBUTE(CKA_PRIVATE, true),
        new CK_ATTRIBUTE(CKA_LABEL, keyId.toCharArray()),
        new CK_ATTRIBUTE(CKA_SIGN, true),
        new CK_ATTRIBUTE(CKA_SENSITIVE, true),
        new CK_ATTRIBUTE(CKA_EXTRACTABLE, false),
      };
      long[] pair = custody.p11().C_GenerateKeyPair(s, new CK_MECHANISM(CKM_EC_KEY_PAIR_GEN), pub, priv);
      return signer(s, keyId, pair[0], pair[1]);
    });
  }

  @Override
  public Optional<Signer> open(String keyId) {
    return custody.call(s -> {
      Optional<Long> priv = custody.findObject(s, CKO_PRIVATE_KEY, keyId);
      Optional<Long> pub = custody.findObject(s, CKO_PUBLIC_KEY, keyId);
      if (priv.isEmpty() || pub.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(signer(s, keyId, pub.get(), priv.get()));
    });
  }

  @Override
  public void destroy(String keyId) {
    custody.call(s -> {
      for (long objectClass : new long[] {CKO_PRIVATE_KEY, CKO_PUBLIC_KEY}) {
        Optional<Long> object = custody.findObject(s, objectClass, keyId);
        if (object.isPresent()) {
          custody.p11().C_DestroyObject(s, object.get());
        }
      }
      return null;
    });
  }

  private Signer signer(long s, String keyId, long publicObject, long privateObject) throws PKCS11Exception {
    CK_ATTRIBUTE[] point = {new CK_ATTRIBUTE(CKA_EC_POINT)};
    custody.p11().C_GetAttributeValue(s, publicObject, point);
    byte[] encoded = point[0].getByteArray();
    // CKA_EC_POINT is the DER OCTET STRING around the uncompressed point 04||x||y (65 bytes).
    byte[] q = encoded.length == 67 && encoded[0] == 0x04 && encoded[1] == 65 ? Arrays.copyOfRange(encoded, 2, 67) : encoded;
    if (q.length != 65 || q[0] != 0x04) {
      throw new CustodyException(Reason.INVALID, "unexpected EC point encoding of " + encoded.length + " bytes");
    }
    JWK jwk = new ECKey.Builder(Curve.P_256, Base64URL.encode(Arrays.copyOfRange(q, 1, 33)), Base64URL.encode(Arrays.copyOfRange(q, 33, 65)))
        .keyID(keyId).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256).build();
    return new TokenSigner(keyId, jwk, privateObject);
  }

  private final class TokenSigner implements Signer {
    private final String keyId;
    private final JWK publicKey;
    private final long privateObject;

    TokenSigner(String keyId, JWK publicKey, long privateObject) {
      this.keyId = keyId;
      this.publicKey = publicKey;
      this.privateObject = privateObject;
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
      byte[] digest;
      try {
        digest = MessageDigest.getInstance("SHA-256").digest(data);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is part of every JDK", e);
      }
      return custody.call(s -> {
        custody.p11().C_SignInit(s, new CK_MECHANISM(CKM_ECDSA), privateObject);
        return custody.p11().C_Sign(s, digest);
      });
    }

    @Override
    public boolean sovereign() {
      return sovereign;
    }
  }
}

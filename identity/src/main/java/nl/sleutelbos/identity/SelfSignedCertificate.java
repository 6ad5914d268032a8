package nl.sleutelbos.identity;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.io.ByteArrayInputStream;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * A minimal self-signed X.509 v3 certificate (RFC 5280 §4.1) for an EC key, built in DER by hand.
 * A PKCS#12 key store holds a private key only beside a certificate, and the JDK has no public
 * API to make one; the certificate carries no meaning beyond that (tokens publish the JWK).
 */
final class SelfSignedCertificate {
  private static final byte[] ECDSA_WITH_SHA256 = {0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x04, 0x03, 0x02};
  private static final byte[] COMMON_NAME = {0x06, 0x03, 0x55, 0x04, 0x03};
  private static final DateTimeFormatter GENERALIZED = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'");

  private SelfSignedCertificate() {}

  static X509Certificate create(KeyPair keys, String commonName, ZonedDateTime from, ZonedDateTime until)
      throws GeneralSecurityException {
    byte[] algorithm = der(0x30, ECDSA_WITH_SHA256);
    byte[] name = der(0x30, der(0x31, der(0x30, COMMON_NAME, der(0x0c, commonName.getBytes(StandardCharsets.UTF_8)))));
    byte[] validity = der(0x30, time(from), time(until));
    byte[] tbs = der(0x30,
        der(0xa0, der(0x02, new byte[] {2})), // [0] version v3
        der(0x02, new BigInteger(1, keys.getPublic().getEncoded(), 0, 16).toByteArray()), // serial
        algorithm, name, validity, name,
        keys.getPublic().getEncoded()); // SubjectPublicKeyInfo is already DER
    Signature signature = Signature.getInstance("SHA256withECDSA");
    signature.initSign(keys.getPrivate());
    signature.update(tbs);
    byte[] sig = signature.sign();
    byte[] bits = new byte[sig.length + 1]; // BIT STRING: leading count of unused bits (0)
    System.arraycopy(sig, 0, bits, 1, sig.length);
    byte[] certificate = der(0x30, tbs, algorithm, der(0x03, bits));
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(certificate));
  }

  private static byte[] time(ZonedDateTime t) {
    // GeneralizedTime is valid for every year; RFC 5280 prefers UTCTime before 2050 but accepts both.
    return der(0x18, GENERALIZED.format(t.withZoneSameInstant(ZoneOffset.UTC)).getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] der(int tag, byte[]... parts) {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      content.writeBytes(p);
    }
    int length = content.size();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    if (length < 0x80) {
      out.write(length);
    } else if (length < 0x100) {
      out.write(0x81);
      out.write(length);
    } else {
      out.write(0x82);
      out.write(length >> 8);
      out.write(length & 0xff);
    }
    out.writeBytes(content.toByteArray());
    return out.toByteArray();
  }
}

package nl.sleutelbos.identity;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * Token-signing keys in a PKCS#12 file under the data directory ({@code token-signing.p12}, mode
 * 0600). The file's password sits beside it in {@code token-signing.pass} (0600) only because
 * PKCS#12 wants one: the protection is the file permissions, which is why this store is for
 * development and why its signers report themselves as not sovereign.
 */
public final class SoftwareSignerStore implements SignerStore {
  private final Path file;
  private final char[] password;
  private final SecureRandom random = new SecureRandom();

  private SoftwareSignerStore(Path file, char[] password) {
    this.file = file;
    this.password = password;
  }

  /** Opens (or creates) the store in this directory. */
  public static SoftwareSignerStore open(Path directory) {
    try {
      Files.createDirectories(directory);
      Path passFile = directory.resolve("token-signing.pass");
      if (!Files.exists(passFile)) {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        Files.writeString(Secrets.createPrivate(passFile), Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
      }
      char[] password = Files.readString(passFile, StandardCharsets.US_ASCII).strip().toCharArray();
      return new SoftwareSignerStore(directory.resolve("token-signing.p12"), password);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the token-signing key store in " + directory, e);
    }
  }

  @Override
  public synchronized Signer generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), random);
      KeyPair keys = generator.generateKeyPair();
      String keyId = UUID.randomUUID().toString();
      ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
      Certificate certificate = SelfSignedCertificate.create(keys, "sleutelbos token signing " + keyId, now, now.plusYears(10));
      KeyStore store = load();
      store.setKeyEntry(keyId, keys.getPrivate(), password, new Certificate[] {certificate});
      save(store);
      return new SoftwareSigner(keyId, keys.getPrivate(), (ECPublicKey) keys.getPublic());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate a token-signing key", e);
    }
  }

  @Override
  public synchronized Optional<Signer> open(String keyId) {
    try {
      KeyStore store = load();
      if (!store.isKeyEntry(keyId)) {
        return Optional.empty();
      }
      PrivateKey key = (PrivateKey) store.getKey(keyId, password);
      ECPublicKey publicKey = (ECPublicKey) store.getCertificate(keyId).getPublicKey();
      return Optional.of(new SoftwareSigner(keyId, key, publicKey));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot read token-signing key " + keyId + " from " + file, e);
    }
  }

  @Override
  public synchronized void destroy(String keyId) {
    try {
      KeyStore store = load();
      if (store.containsAlias(keyId)) {
        store.deleteEntry(keyId);
        save(store);
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot destroy token-signing key " + keyId, e);
    }
  }

  private KeyStore load() throws GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try {
      if (Files.exists(file)) {
        try (InputStream in = Files.newInputStream(file)) {
          store.load(in, password);
        }
      } else {
        store.load(null, password);
      }
      return store;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Writes a new file and moves it over the old one, so a crash leaves one or the other whole. */
  private void save(KeyStore store) throws GeneralSecurityException {
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.deleteIfExists(temp);
      try (OutputStream out = Files.newOutputStream(Secrets.createPrivate(temp))) {
        store.store(out, password);
      }
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}

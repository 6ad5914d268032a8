package nl.sleutelbos.custody.software;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import nl.sleutelbos.custody.AadPart;
import nl.sleutelbos.custody.Backend;
import nl.sleutelbos.custody.CustodyException;
import nl.sleutelbos.custody.CustodyException.Reason;
import nl.sleutelbos.custody.InsecureKeyMaterial;
import nl.sleutelbos.custody.KeyCustody;
import nl.sleutelbos.custody.KeyHandle;
import nl.sleutelbos.custody.Location;
import nl.sleutelbos.custody.Secret;
import nl.sleutelbos.custody.WrapMethod;
import nl.sleutelbos.custody.WrappedKey;
import nl.sleutelbos.identity.SignerStore;
import nl.sleutelbos.identity.SoftwareSignerStore;

/**
 * The development default: KEKs in a PKCS#12 file protected by a passphrase, device keys handled
 * in this process's memory with the JDK's own AES key wrap (RFC 3394, RFC 5649) and AES-GCM.
 * Always reported as not sovereign: the keys are as safe as the file and the process.
 */
public final class SoftwareCustody implements KeyCustody {
  private final Path file;
  private final char[] passphrase;
  private final KeyStore store;
  private final Backend backend;
  private final SignerStore signers;
  private final SecureRandom random = new SecureRandom();
  /**
   * KEKs read from the file, by label: reading one means a PBE decryption (about 10,000
   * PBKDF2 rounds), which a campaign would otherwise pay for every key.
   */
  private final java.util.Map<String, SecretKey> unlocked = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile boolean closed;

  private SoftwareCustody(Path file, char[] passphrase, KeyStore store, Backend backend, SignerStore signers) {
    this.file = file;
    this.passphrase = passphrase;
    this.store = store;
    this.backend = backend;
    this.signers = signers;
  }

  /**
   * Opens (or creates) {@code keys.p12} in the directory; signing keys go to the identity
   * module's software signer store beside it. Fails with {@code WRONG_PIN} on a wrong passphrase.
   */
  public static SoftwareCustody open(Path directory, Secret passphrase, Location location) {
    char[] secret = passphrase.read();
    try {
      Files.createDirectories(directory);
      Path file = directory.resolve("keys.p12");
      KeyStore store = KeyStore.getInstance("PKCS12");
      if (Files.exists(file)) {
        try (InputStream in = Files.newInputStream(file)) {
          store.load(in, secret);
        } catch (IOException e) {
          if (e.getCause() instanceof java.security.UnrecoverableKeyException) {
            throw new CustodyException(Reason.WRONG_PIN, "the key store refused the passphrase");
          }
          throw e;
        }
      } else {
        store.load(null, secret);
      }
      Backend backend = new Backend("software:" + file, location, Optional.empty(), "PKCS#12 file (JDK)", true);
      return new SoftwareCustody(file, secret, store, backend, SoftwareSignerStore.open(directory));
    } catch (IOException | GeneralSecurityException e) {
      throw new CustodyException(Reason.TOKEN_NOT_FOUND, "cannot open the software key store in " + directory, e);
    }
  }

  @Override
  public Backend backend() {
    return backend;
  }

  @Override
  public synchronized KeyHandle generateStorageKek(String label) {
    try {
      KeyGenerator generator = KeyGenerator.getInstance("AES");
      generator.init(256, random);
      return put(label, generator.generateKey());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256 is part of every JDK", e);
    }
  }

  @Override
  public synchronized KeyHandle importKek(String label, InsecureKeyMaterial material) {
    int bytes = material.length();
    if (bytes != 16 && bytes != 24 && bytes != 32) {
      throw new CustodyException(Reason.INVALID, "a KEK is an AES key of 16, 24 or 32 bytes, not " + bytes);
    }
    byte[] value = material.insecureBytes();
    try {
      return put(label, new SecretKeySpec(value, "AES"));
    } finally {
      Arrays.fill(value, (byte) 0);
    }
  }

  @Override
  public synchronized Optional<KeyHandle> kek(String label) {
    return secret(label).map(k -> new KeyHandle(backend.name(), label, k.getEncoded().length * 8));
  }

  @Override
  public WrappedKey generateDeviceKey(KeyHandle kek) {
    SecretKey wrapping = kekOf(kek);
    try {
      KeyGenerator generator = KeyGenerator.getInstance("AES");
      generator.init(128, random);
      return new WrappedKey(kek.label(), WrapMethod.RFC3394, wrap(WrapMethod.RFC3394, wrapping, generator.generateKey()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES key wrap is part of every JDK", e);
    }
  }

  @Override
  public WrappedKey importDeviceKey(KeyHandle kek, InsecureKeyMaterial material) {
    SecretKey wrapping = kekOf(kek);
    WrapMethod method = WrapMethod.forLength(material.length());
    byte[] value = material.insecureBytes();
    try {
      return new WrappedKey(kek.label(), method, wrap(method, wrapping, new SecretKeySpec(value, "AES")));
    } catch (GeneralSecurityException e) {
      throw new CustodyException(Reason.INVALID, "cannot wrap this key", e);
    } finally {
      Arrays.fill(value, (byte) 0);
    }
  }

  @Override
  public WrappedKey rewrap(WrappedKey fromTransport, KeyHandle storageKek) {
    SecretKey storage = kekOf(storageKek);
    SecretKey transport = secret(fromTransport.kek())
        .orElseThrow(() -> new CustodyException(Reason.UNKNOWN_KEY, "no KEK labelled " + fromTransport.kek()));
    SecretKey key;
    try {
      Cipher cipher = Cipher.getInstance(fromTransport.method() == WrapMethod.RFC3394 ? "AES/KW/NoPadding" : "AES/KWP/NoPadding");
      cipher.init(Cipher.UNWRAP_MODE, transport);
      key = (SecretKey) cipher.unwrap(fromTransport.bytes(), "AES", Cipher.SECRET_KEY);
    } catch (GeneralSecurityException e) {
      throw new CustodyException(Reason.INTEGRITY, "unwrapping failed");
    }
    byte[] value = key.getEncoded();
    int length = value.length;
    Arrays.fill(value, (byte) 0);
    if (length != 16) {
      throw new CustodyException(Reason.INVALID, "the wrapped key is not an AES-128 key");
    }
    try {
      return new WrappedKey(storageKek.label(), WrapMethod.RFC3394, wrap(WrapMethod.RFC3394, storage, key));
    } catch (GeneralSecurityException e) {
      throw new CustodyException(Reason.INVALID, "cannot wrap this key", e);
    }
  }

  @Override
  public WrappedKey wrapForDelivery(WrappedKey key, WrappedKey master) {
    SecretKey masterKey = unwrap(master);
    SecretKey newKey = unwrap(key);
    try {
      return new WrappedKey("device-master", WrapMethod.RFC3394, wrap(WrapMethod.RFC3394, masterKey, newKey));
    } catch (GeneralSecurityException e) {
      throw new CustodyException(Reason.INVALID, "cannot wrap for delivery", e);
    }
  }

  @Override
  public byte[] gcmEncrypt(WrappedKey key, byte[] iv, List<AadPart> aad, byte[] plaintext, int tagBytes) {
    return gcm(Cipher.ENCRYPT_MODE, key, iv, aad, plaintext, tagBytes);
  }

  @Override
  public byte[] gcmDecrypt(WrappedKey key, byte[] iv, List<AadPart> aad, byte[] ciphertextAndTag, int tagBytes) {
    return gcm(Cipher.DECRYPT_MODE, key, iv, aad, ciphertextAndTag, tagBytes);
  }

  @Override
  public SignerStore signers() {
    return signers;
  }

  @Override
  public void close() {
    closed = true;
    unlocked.clear();
    Arrays.fill(passphrase, '\0');
  }

  private byte[] gcm(int mode, WrappedKey key, byte[] iv, List<AadPart> aad, byte[] input, int tagBytes) {
    if (iv.length != 12) {
      throw new CustodyException(Reason.INVALID, "GCM IV is not 12 bytes: " + iv.length);
    }
    if (tagBytes < 12 || tagBytes > 16) {
      throw new CustodyException(Reason.INVALID, "GCM tag is not 12 to 16 bytes: " + tagBytes);
    }
    SecretKey k = unwrap(key);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(mode, k, new GCMParameterSpec(tagBytes * 8, iv));
      for (AadPart part : aad) {
        switch (part) {
          case AadPart.Bytes b -> cipher.updateAAD(b.bytes());
          case AadPart.KeyValue v -> {
            byte[] value = unwrap(v.key()).getEncoded();
            cipher.updateAAD(value);
            Arrays.fill(value, (byte) 0);
          }
        }
      }
      return cipher.doFinal(input);
    } catch (AEADBadTagException e) {
      throw new CustodyException(Reason.INTEGRITY, "decryption failed");
    } catch (GeneralSecurityException e) {
      throw new CustodyException(Reason.INVALID, "AES-GCM refused the input", e);
    }
  }

  private static byte[] wrap(WrapMethod method, SecretKey kek, SecretKey key) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance(method == WrapMethod.RFC3394 ? "AES/KW/NoPadding" : "AES/KWP/NoPadding");
    cipher.init(Cipher.WRAP_MODE, kek);
    return cipher.wrap(key);
  }

  private SecretKey unwrap(WrappedKey key) {
    if (key.method() != WrapMethod.RFC3394) {
      throw new CustodyException(Reason.INVALID, "device keys in use are AES keys wrapped by RFC 3394");
    }
    SecretKey kek = secret(key.kek()).orElseThrow(() -> new CustodyException(Reason.UNKNOWN_KEY, "no KEK labelled " + key.kek()));
    try {
      Cipher cipher = Cipher.getInstance("AES/KW/NoPadding");
      cipher.init(Cipher.UNWRAP_MODE, kek);
      return (SecretKey) cipher.unwrap(key.bytes(), "AES", Cipher.SECRET_KEY);
    } catch (java.security.InvalidKeyException e) {
      throw new CustodyException(Reason.INTEGRITY, "unwrapping failed");
    } catch (GeneralSecurityException e) {
      throw new CustodyException(Reason.INTEGRITY, "unwrapping failed");
    }
  }

  private SecretKey kekOf(KeyHandle kek) {
    if (!kek.backend().equals(backend.name())) {
      throw new CustodyException(Reason.UNKNOWN_KEY, "the KEK " + kek.label() + " belongs to " + kek.backend());
    }
    return secret(kek.label()).orElseThrow(() -> new CustodyException(Reason.UNKNOWN_KEY, "no KEK labelled " + kek.label()));
  }

  private synchronized Optional<SecretKey> secret(String label) {
    if (closed) {
      // As a PKCS#11 token that went away: the caller may retry with custody opened again.
      throw new CustodyException(Reason.UNAVAILABLE, "custody is closed");
    }
    SecretKey known = unlocked.get(label);
    if (known != null) {
      return Optional.of(known);
    }
    try {
      Key key = store.getKey(label, passphrase);
      if (key instanceof SecretKey s) {
        unlocked.put(label, s);
      }
      return key instanceof SecretKey s ? Optional.of(s) : Optional.empty();
    } catch (GeneralSecurityException e) {
      throw new CustodyException(Reason.WRONG_PIN, "the key store refused the passphrase for " + label);
    }
  }

  /** Adds the key and rewrites the file atomically, so a crash leaves the old file or the new one. */
  private KeyHandle put(String label, SecretKey key) {
    try {
      if (store.containsAlias(label)) {
        throw new CustodyException(Reason.DUPLICATE_LABEL, "a key labelled " + label + " exists");
      }
      store.setEntry(label, new KeyStore.SecretKeyEntry(key), new KeyStore.PasswordProtection(passphrase));
      Path temp = file.resolveSibling(file.getFileName() + ".tmp");
      try (OutputStream out = Files.newOutputStream(temp)) {
        store.store(out, passphrase);
      }
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return new KeyHandle(backend.name(), label, key.getEncoded().length * 8);
    } catch (IOException | GeneralSecurityException e) {
      throw new CustodyException(Reason.UNAVAILABLE, "cannot write the software key store", e);
    }
  }
}

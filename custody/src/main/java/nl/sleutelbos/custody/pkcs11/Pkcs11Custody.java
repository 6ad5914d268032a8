package nl.sleutelbos.custody.pkcs11;

import static sun.security.pkcs11.wrapper.PKCS11Constants.*;
import static sun.security.pkcs11.wrapper.PKCS11Exception.RV.*;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import nl.sleutelbos.custody.AadPart;
import nl.sleutelbos.custody.Backend;
import nl.sleutelbos.custody.CustodyException;
import nl.sleutelbos.custody.CustodyException.Reason;
import nl.sleutelbos.custody.InsecureKeyMaterial;
import nl.sleutelbos.custody.KeyCustody;
import nl.sleutelbos.custody.KeyChange;
import nl.sleutelbos.custody.KeyHandle;
import nl.sleutelbos.custody.WrapMethod;
import nl.sleutelbos.custody.WrappedKey;
import nl.sleutelbos.identity.SignerStore;
import sun.security.pkcs11.wrapper.CK_ATTRIBUTE;
import sun.security.pkcs11.wrapper.CK_C_INITIALIZE_ARGS;
import sun.security.pkcs11.wrapper.CK_GCM_PARAMS;
import sun.security.pkcs11.wrapper.CK_MECHANISM;
import sun.security.pkcs11.wrapper.CK_TOKEN_INFO;
import sun.security.pkcs11.wrapper.PKCS11;
import sun.security.pkcs11.wrapper.PKCS11Exception;

/**
 * Custody in a PKCS#11 token through the JDK's SunPKCS11 wrapper.
 *
 * <p>Why the wrapper and not the JCA provider: SunPKCS11's {@code AES/KW/NoPadding} always sends
 * an IV parameter that SoftHSM2 rejects, it has no RFC 5649 wrap, and keys unwrapped by
 * {@code C_UnwrapKey} cannot become JCA keys. So every operation is one or a few PKCS#11 calls on
 * a pooled session, with session objects destroyed explicitly ({@code C_DestroyObject}): the JCA
 * frees them only on garbage collection, and hundreds of thousands of live objects slow the token.
 *
 * <p>KEKs and signing keys are token objects found by {@code CKA_LABEL}; per-device keys exist in
 * the token only as session objects for the duration of one call.
 */
public final class Pkcs11Custody implements KeyCustody {
  private static final long CKM_AES_KEY_WRAP_PAD_ = 0x0000210AL;

  private final PKCS11 p11;
  private final long slot;
  private final Backend backend;
  private final BlockingQueue<Long> sessions;
  private final ConcurrentMap<String, Long> kekObjects = new ConcurrentHashMap<>();
  /** Per session: token KEK object → its session copy ({@link #sessionCopy}). */
  private final ConcurrentMap<Long, Map<Long, Long>> sessionKeks = new ConcurrentHashMap<>();
  private final Pkcs11Signers signers;
  private volatile boolean closed;

  private Pkcs11Custody(PKCS11 p11, long slot, Backend backend, BlockingQueue<Long> sessions) {
    this.p11 = p11;
    this.slot = slot;
    this.backend = backend;
    this.sessions = sessions;
    this.signers = new Pkcs11Signers(this, backend.sovereign());
  }

  /**
   * Loads the library, finds the token by label, logs in and opens the session pool. Fails with
   * {@code TOKEN_NOT_FOUND} or {@code WRONG_PIN}.
   */
  public static Pkcs11Custody open(Pkcs11Config config) {
    PKCS11 p11;
    try {
      CK_C_INITIALIZE_ARGS init = new CK_C_INITIALIZE_ARGS();
      init.flags = CKF_OS_LOCKING_OK;
      p11 = PKCS11.getInstance(config.library().toString(), "C_GetFunctionList", init, false);
    } catch (IOException | PKCS11Exception e) {
      throw new CustodyException(Reason.TOKEN_NOT_FOUND, "cannot load PKCS#11 library " + config.library(), e);
    }
    try {
      long slot = -1;
      String model = "";
      for (long candidate : p11.C_GetSlotList(true)) {
        CK_TOKEN_INFO info = p11.C_GetTokenInfo(candidate);
        if (new String(info.label).strip().equals(config.tokenLabel())) {
          slot = candidate;
          model = new String(info.manufacturerID).strip() + " " + new String(info.model).strip();
          break;
        }
      }
      if (slot < 0) {
        throw new CustodyException(Reason.TOKEN_NOT_FOUND, "no token labelled " + config.tokenLabel());
      }
      BlockingQueue<Long> pool = new ArrayBlockingQueue<>(config.sessions());
      for (int i = 0; i < config.sessions(); i++) {
        pool.add(p11.C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, null, null));
      }
      char[] pin = config.pin().read();
      try {
        p11.C_Login(pool.peek(), CKU_USER, pin);
      } catch (PKCS11Exception e) {
        // The login state belongs to the token and the process: another Pkcs11Custody on the same
        // token may have logged in already, which is fine.
        if (!e.match(CKR_USER_ALREADY_LOGGED_IN)) {
          for (long s : pool) {
            p11.C_CloseSession(s);
          }
          if (e.match(CKR_PIN_INCORRECT) || e.match(CKR_PIN_LOCKED)) {
            throw new CustodyException(Reason.WRONG_PIN, "the token refused the PIN");
          }
          throw e;
        }
      } finally {
        Arrays.fill(pin, '\0');
      }
      Backend backend = new Backend("pkcs11:" + config.tokenLabel(), config.location(), config.certification(), model, false);
      return new Pkcs11Custody(p11, slot, backend, pool);
    } catch (PKCS11Exception e) {
      throw unavailable(e);
    }
  }

  /**
   * The label of the token in this slot, for configurations that name a slot: the custody then
   * follows the token by label. Fails with {@code TOKEN_NOT_FOUND}.
   */
  public static String tokenLabel(java.nio.file.Path library, long slot) {
    try {
      CK_C_INITIALIZE_ARGS init = new CK_C_INITIALIZE_ARGS();
      init.flags = CKF_OS_LOCKING_OK;
      PKCS11 p11 = PKCS11.getInstance(library.toString(), "C_GetFunctionList", init, false);
      return new String(p11.C_GetTokenInfo(slot).label).strip();
    } catch (IOException | PKCS11Exception e) {
      throw new CustodyException(Reason.TOKEN_NOT_FOUND, "no token in slot " + slot + " of " + library, e);
    }
  }

  @Override
  public Backend backend() {
    return backend;
  }

  @Override
  public KeyHandle generateStorageKek(String label) {
    requireFree(label);
    return call(s -> {
      long object = p11.C_GenerateKey(s, new CK_MECHANISM(CKM_AES_KEY_GEN), kekTemplate(label, 32, null));
      kekObjects.put(label, object);
      return new KeyHandle(backend.name(), label, 256);
    });
  }

  @Override
  public KeyHandle importKek(String label, InsecureKeyMaterial material) {
    int bytes = material.length();
    if (bytes != 16 && bytes != 24 && bytes != 32) {
      throw new CustodyException(Reason.INVALID, "a KEK is an AES key of 16, 24 or 32 bytes, not " + bytes);
    }
    requireFree(label);
    return call(s -> {
      byte[] value = material.insecureBytes();
      try {
        long object = p11.C_CreateObject(s, kekTemplate(label, bytes, value));
        kekObjects.put(label, object);
        return new KeyHandle(backend.name(), label, bytes * 8);
      } finally {
        Arrays.fill(value, (byte) 0);
      }
    });
  }

  @Override
  public Optional<KeyHandle> kek(String label) {
    return call(s -> findObject(s, CKO_SECRET_KEY, label).map(object -> {
      kekObjects.put(label, object);
      return new KeyHandle(backend.name(), label, 0);
    }));
  }

  @Override
  public WrappedKey generateDeviceKey(KeyHandle kek) {
    long kekObject = kekObject(kek);
    return call(s -> {
      long key = p11.C_GenerateKey(s, new CK_MECHANISM(CKM_AES_KEY_GEN), NEW_DEVICE_KEY);
      try {
        return new WrappedKey(kek.label(), WrapMethod.RFC3394,
            p11.C_WrapKey(s, new CK_MECHANISM(CKM_AES_KEY_WRAP), sessionCopy(s, kekObject), key));
      } finally {
        p11.C_DestroyObject(s, key);
      }
    });
  }

  @Override
  public WrappedKey importDeviceKey(KeyHandle kek, InsecureKeyMaterial material) {
    long kekObject = kekObject(kek);
    WrapMethod method = WrapMethod.forLength(material.length());
    return call(s -> {
      byte[] value = material.insecureBytes();
      CK_ATTRIBUTE[] base = sessionKeyTemplate(method == WrapMethod.RFC3394 ? CKK_AES : CKK_GENERIC_SECRET);
      CK_ATTRIBUTE[] template = Arrays.copyOf(base, base.length + 1);
      template[base.length] = new CK_ATTRIBUTE(CKA_VALUE, value);
      long key = p11.C_CreateObject(s, template);
      try {
        return new WrappedKey(kek.label(), method, p11.C_WrapKey(s, mechanism(method), kekObject, key));
      } finally {
        Arrays.fill(value, (byte) 0);
        p11.C_DestroyObject(s, key);
      }
    });
  }

  @Override
  public WrappedKey rewrap(WrappedKey fromTransport, KeyHandle storageKek) {
    long transport = kekObject(fromTransport.kek());
    long storage = kekObject(storageKek);
    return call(s -> {
      long key;
      try {
        key = p11.C_UnwrapKey(s, mechanism(fromTransport.method()), transport, fromTransport.bytes(), sessionKeyTemplate(CKK_AES));
      } catch (PKCS11Exception e) {
        if (e.match(CKR_WRAPPED_KEY_LEN_RANGE) || e.match(CKR_TEMPLATE_INCONSISTENT) || e.match(CKR_KEY_SIZE_RANGE)
            || e.match(CKR_ATTRIBUTE_VALUE_INVALID)) {
          throw new CustodyException(Reason.INVALID, "the wrapped key is not an AES-128 key");
        }
        // SoftHSM2 answers a failed integrity check with CKR_GENERAL_ERROR.
        if (e.match(CKR_WRAPPED_KEY_INVALID) || e.match(CKR_ENCRYPTED_DATA_INVALID) || e.match(CKR_GENERAL_ERROR)) {
          throw new CustodyException(Reason.INTEGRITY, "unwrapping failed");
        }
        throw e;
      }
      try {
        // SoftHSM2 leaves CKA_VALUE_LEN at 0 on unwrapped keys; the RFC 3394 output tells the length.
        byte[] wrapped = p11.C_WrapKey(s, new CK_MECHANISM(CKM_AES_KEY_WRAP), storage, key);
        if (wrapped.length != 16 + 8) {
          throw new CustodyException(Reason.INVALID, "the wrapped key is not an AES-128 key");
        }
        return new WrappedKey(storageKek.label(), WrapMethod.RFC3394, wrapped);
      } finally {
        p11.C_DestroyObject(s, key);
      }
    });
  }

  @Override
  public WrappedKey wrapForDelivery(WrappedKey key, WrappedKey master) {
    long keyKek = kekObject(key.kek());
    long masterKek = kekObject(master.kek());
    return call(s -> {
      long masterObject = unwrap(s, sessionCopy(s, masterKek), master);
      try {
        long keyObject = unwrap(s, sessionCopy(s, keyKek), key);
        try {
          return new WrappedKey("device-master", WrapMethod.RFC3394,
              p11.C_WrapKey(s, new CK_MECHANISM(CKM_AES_KEY_WRAP), masterObject, keyObject));
        } finally {
          p11.C_DestroyObject(s, keyObject);
        }
      } finally {
        p11.C_DestroyObject(s, masterObject);
      }
    });
  }

  /**
   * All HSM steps of one device in one session: the master key is unwrapped once, each key is
   * generated (or unwrapped, if pending), wrapped under the storage KEK and under the master key,
   * and destroyed at once, so the token never holds more than two of this call's objects.
   */
  @Override
  public KeyChange changeKeys(KeyHandle storageKek, WrappedKey master, List<WrappedKey> pending, int fresh) {
    if (fresh < 0) {
      throw new IllegalArgumentException("fresh < 0: " + fresh);
    }
    long kekObject = kekObject(storageKek);
    long masterKek = kekObject(master.kek());
    long[] pendingKeks = pending.stream().mapToLong(k -> kekObject(k.kek())).toArray();
    return call(s -> {
      CK_MECHANISM kw = new CK_MECHANISM(CKM_AES_KEY_WRAP);
      List<WrappedKey> stored = new ArrayList<>(fresh);
      List<WrappedKey> forDevice = new ArrayList<>(pending.size() + fresh);
      long masterObject = unwrap(s, sessionCopy(s, masterKek), master);
      try {
        for (int i = 0; i < pending.size(); i++) {
          long key = unwrap(s, sessionCopy(s, pendingKeks[i]), pending.get(i));
          try {
            forDevice.add(new WrappedKey("device-master", WrapMethod.RFC3394, p11.C_WrapKey(s, kw, masterObject, key)));
          } finally {
            p11.C_DestroyObject(s, key);
          }
        }
        long storage = sessionCopy(s, kekObject);
        for (int i = 0; i < fresh; i++) {
          long key = p11.C_GenerateKey(s, new CK_MECHANISM(CKM_AES_KEY_GEN), NEW_DEVICE_KEY);
          try {
            stored.add(new WrappedKey(storageKek.label(), WrapMethod.RFC3394, p11.C_WrapKey(s, kw, storage, key)));
            forDevice.add(new WrappedKey("device-master", WrapMethod.RFC3394, p11.C_WrapKey(s, kw, masterObject, key)));
          } finally {
            p11.C_DestroyObject(s, key);
          }
        }
      } finally {
        p11.C_DestroyObject(s, masterObject);
      }
      return new KeyChange(stored, forDevice);
    });
  }

  /**
   * A session object copy of a token KEK, made once per session and reused for the session's
   * life (PKCS#11 destroys it with the session). Why: SoftHSM2's file object store takes a file
   * lock and checks the object file on every use of a token object; a session copy is used from
   * memory, which roughly doubles the rate of wraps (docs/modules/custody.md). The copy keeps
   * the original's attributes: sensitive, not extractable, wrap and unwrap only.
   */
  private long sessionCopy(long session, long tokenObject) throws PKCS11Exception {
    Map<Long, Long> copies = sessionKeks.computeIfAbsent(session, s -> new ConcurrentHashMap<>());
    Long copy = copies.get(tokenObject);
    if (copy == null) {
      copy = p11.C_CopyObject(session, tokenObject, new CK_ATTRIBUTE[] {new CK_ATTRIBUTE(CKA_TOKEN, false)});
      copies.put(tokenObject, copy);
    }
    return copy;
  }

  @Override
  public byte[] gcmEncrypt(WrappedKey key, byte[] iv, List<AadPart> aadParts, byte[] plaintext, int tagBytes) {
    checkGcm(iv, tagBytes);
    long kekObject = kekObject(key.kek());
    resolveKeks(aadParts);
    return call(s -> {
      byte[] aad = aad(s, aadParts);
      long object = unwrap(s, kekObject, key);
      try {
        p11.C_EncryptInit(s, new CK_MECHANISM(CKM_AES_GCM, new CK_GCM_PARAMS(tagBytes * 8, iv, aad)), object);
        byte[] out = new byte[plaintext.length + tagBytes];
        int n = p11.C_Encrypt(s, 0, plaintext, 0, plaintext.length, 0, out, 0, out.length);
        return Arrays.copyOf(out, n);
      } finally {
        Arrays.fill(aad, (byte) 0);
        p11.C_DestroyObject(s, object);
      }
    });
  }

  @Override
  public byte[] gcmDecrypt(WrappedKey key, byte[] iv, List<AadPart> aadParts, byte[] ciphertextAndTag, int tagBytes) {
    checkGcm(iv, tagBytes);
    if (ciphertextAndTag.length < tagBytes) {
      throw new CustodyException(Reason.INVALID, "shorter than the tag: " + ciphertextAndTag.length);
    }
    long kekObject = kekObject(key.kek());
    resolveKeks(aadParts);
    return call(s -> {
      byte[] aad = aad(s, aadParts);
      long object = unwrap(s, kekObject, key);
      try {
        p11.C_DecryptInit(s, new CK_MECHANISM(CKM_AES_GCM, new CK_GCM_PARAMS(tagBytes * 8, iv, aad)), object);
        byte[] out = new byte[ciphertextAndTag.length];
        int n = p11.C_Decrypt(s, 0, ciphertextAndTag, 0, ciphertextAndTag.length, 0, out, 0, out.length);
        return Arrays.copyOf(out, n);
      } catch (PKCS11Exception e) {
        // SoftHSM2 answers a tag that does not verify with CKR_GENERAL_ERROR.
        if (e.match(CKR_ENCRYPTED_DATA_INVALID) || e.match(CKR_GENERAL_ERROR)) {
          throw new CustodyException(Reason.INTEGRITY, "decryption failed");
        }
        throw e;
      } finally {
        Arrays.fill(aad, (byte) 0);
        p11.C_DestroyObject(s, object);
      }
    });
  }

  private void resolveKeks(List<AadPart> parts) {
    for (AadPart part : parts) {
      if (part instanceof AadPart.KeyValue v) {
        kekObject(v.key().kek());
      }
    }
  }

  /**
   * Joins the additional data. A key value in it (DLMS suite 0 puts the authentication key there)
   * cannot stay in the token: PKCS#11 has no mechanism that feeds a key object into GCM's
   * additional data. So the key is unwrapped as a non-sensitive session object, its value read
   * into this array for this one call, the object destroyed and the array wiped by the caller. It
   * never leaves this class. An HSM with a vendor DLMS mechanism would keep it inside.
   */
  private byte[] aad(long s, List<AadPart> parts) throws PKCS11Exception {
    // KEKs were resolved by resolveKeks before this session was taken: no nested session here.
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (AadPart part : parts) {
      switch (part) {
        case AadPart.Bytes b -> out.writeBytes(b.bytes());
        case AadPart.KeyValue v -> {
          CK_ATTRIBUTE[] template = sessionKeyTemplate(CKK_AES);
          template[3] = new CK_ATTRIBUTE(CKA_SENSITIVE, false);
          long object;
          try {
            object = p11.C_UnwrapKey(s, new CK_MECHANISM(CKM_AES_KEY_WRAP), kekObject(v.key().kek()), v.key().bytes(), template);
          } catch (PKCS11Exception e) {
            if (e.match(CKR_WRAPPED_KEY_INVALID) || e.match(CKR_ENCRYPTED_DATA_INVALID) || e.match(CKR_GENERAL_ERROR)) {
              throw new CustodyException(Reason.INTEGRITY, "unwrapping failed");
            }
            throw e;
          }
          try {
            CK_ATTRIBUTE[] value = {new CK_ATTRIBUTE(CKA_VALUE)};
            p11.C_GetAttributeValue(s, object, value);
            byte[] bytes = value[0].getByteArray();
            out.writeBytes(bytes);
            Arrays.fill(bytes, (byte) 0);
          } finally {
            p11.C_DestroyObject(s, object);
          }
        }
      }
    }
    return out.toByteArray();
  }

  @Override
  public SignerStore signers() {
    return signers;
  }

  @Override
  public void close() {
    closed = true;
    Long s;
    while ((s = sessions.poll()) != null) {
      try {
        p11.C_CloseSession(s);
      } catch (PKCS11Exception e) {
        // The token went away; nothing left to close.
      }
    }
  }

  // --- package-private helpers shared with Pkcs11Signers ----------------------------------------

  interface SessionCall<T> {
    T apply(long session) throws PKCS11Exception;
  }

  PKCS11 p11() {
    return p11;
  }

  <T> T call(SessionCall<T> body) {
    if (closed) {
      throw new CustodyException(Reason.UNAVAILABLE, "custody is closed");
    }
    long session;
    try {
      session = sessions.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CustodyException(Reason.UNAVAILABLE, "interrupted waiting for a PKCS#11 session");
    }
    try {
      return body.apply(session);
    } catch (PKCS11Exception e) {
      throw translate(e);
    } finally {
      release(session);
    }
  }

  /** Back to the pool, or closed if custody was closed while the session was out. */
  private void release(long session) {
    if (!closed) {
      sessions.add(session);
      if (!closed) {
        return;
      }
      if (!sessions.remove(session)) {
        return;
      }
    }
    try {
      p11.C_CloseSession(session);
    } catch (PKCS11Exception e) {
      // The token went away; nothing left to close.
    }
  }

  Optional<Long> findObject(long s, long objectClass, String label) throws PKCS11Exception {
    p11.C_FindObjectsInit(s, new CK_ATTRIBUTE[] {new CK_ATTRIBUTE(CKA_CLASS, objectClass), new CK_ATTRIBUTE(CKA_LABEL, label.toCharArray())});
    try {
      long[] found = p11.C_FindObjects(s, 2);
      return found.length == 0 ? Optional.empty() : Optional.of(found[0]);
    } finally {
      p11.C_FindObjectsFinal(s);
    }
  }

  // --- internals ------------------------------------------------------------------------------

  private void requireFree(String label) {
    if (kek(label).isPresent()) {
      throw new CustodyException(Reason.DUPLICATE_LABEL, "a key labelled " + label + " exists");
    }
  }

  private long kekObject(KeyHandle kek) {
    if (!kek.backend().equals(backend.name())) {
      throw new CustodyException(Reason.UNKNOWN_KEY, "the KEK " + kek.label() + " belongs to " + kek.backend());
    }
    return kekObject(kek.label());
  }

  private long kekObject(String label) {
    Long object = kekObjects.get(label);
    if (object != null) {
      return object;
    }
    return call(s -> findObject(s, CKO_SECRET_KEY, label))
        .map(o -> {
          kekObjects.put(label, o);
          return o;
        })
        .orElseThrow(() -> new CustodyException(Reason.UNKNOWN_KEY, "no KEK labelled " + label));
  }

  private long unwrap(long s, long kekObject, WrappedKey key) throws PKCS11Exception {
    if (key.method() != WrapMethod.RFC3394) {
      throw new CustodyException(Reason.INVALID, "device keys in use are AES keys wrapped by RFC 3394");
    }
    try {
      return p11.C_UnwrapKey(s, new CK_MECHANISM(CKM_AES_KEY_WRAP), kekObject, key.bytes(), sessionKeyTemplate(CKK_AES));
    } catch (PKCS11Exception e) {
      // SoftHSM2 answers a failed RFC 3394 integrity check with CKR_GENERAL_ERROR.
      if (e.match(CKR_WRAPPED_KEY_INVALID) || e.match(CKR_ENCRYPTED_DATA_INVALID) || e.match(CKR_GENERAL_ERROR)) {
        throw new CustodyException(Reason.INTEGRITY, "unwrapping failed");
      }
      throw e;
    }
  }

  private static CK_MECHANISM mechanism(WrapMethod method) {
    return new CK_MECHANISM(method == WrapMethod.RFC3394 ? CKM_AES_KEY_WRAP : CKM_AES_KEY_WRAP_PAD_);
  }

  /** A token KEK: wraps and unwraps, never leaves (sensitive, non-extractable). */
  private static CK_ATTRIBUTE[] kekTemplate(String label, int bytes, byte[] value) {
    CK_ATTRIBUTE[] t = {
      new CK_ATTRIBUTE(CKA_CLASS, CKO_SECRET_KEY),
      new CK_ATTRIBUTE(CKA_KEY_TYPE, CKK_AES),
      new CK_ATTRIBUTE(CKA_TOKEN, true),
      new CK_ATTRIBUTE(CKA_PRIVATE, true),
      new CK_ATTRIBUTE(CKA_LABEL, label.toCharArray()),
      new CK_ATTRIBUTE(CKA_SENSITIVE, true),
      new CK_ATTRIBUTE(CKA_EXTRACTABLE, false),
      new CK_ATTRIBUTE(CKA_WRAP, true),
      new CK_ATTRIBUTE(CKA_UNWRAP, true),
      new CK_ATTRIBUTE(CKA_ENCRYPT, false),
      new CK_ATTRIBUTE(CKA_DECRYPT, false),
      value == null ? new CK_ATTRIBUTE(CKA_VALUE_LEN, (long) bytes) : new CK_ATTRIBUTE(CKA_VALUE, value),
    };
    return t;
  }

  /** A fresh AES-128 device key as a session object ({@link #sessionKeyTemplate}), made once. */
  private static final CK_ATTRIBUTE[] NEW_DEVICE_KEY = newDeviceKeyTemplate();

  private static CK_ATTRIBUTE[] newDeviceKeyTemplate() {
    CK_ATTRIBUTE[] base = sessionKeyTemplate(CKK_AES);
    CK_ATTRIBUTE[] t = Arrays.copyOf(base, base.length + 1);
    t[base.length] = new CK_ATTRIBUTE(CKA_VALUE_LEN, 16L);
    return t;
  }

  /**
   * A device key while it is inside the token for one call: a session object, sensitive (its value
   * cannot be read) but extractable, because the next step wraps it — under the storage KEK or
   * under the device's master key.
   */
  private static CK_ATTRIBUTE[] sessionKeyTemplate(long keyType) {
    return new CK_ATTRIBUTE[] {
      new CK_ATTRIBUTE(CKA_CLASS, CKO_SECRET_KEY),
      new CK_ATTRIBUTE(CKA_KEY_TYPE, keyType),
      new CK_ATTRIBUTE(CKA_TOKEN, false),
      new CK_ATTRIBUTE(CKA_SENSITIVE, true),
      new CK_ATTRIBUTE(CKA_EXTRACTABLE, true),
      new CK_ATTRIBUTE(CKA_ENCRYPT, true),
      new CK_ATTRIBUTE(CKA_DECRYPT, true),
      new CK_ATTRIBUTE(CKA_WRAP, keyType == CKK_AES),
      new CK_ATTRIBUTE(CKA_UNWRAP, keyType == CKK_AES),
    };
  }

  private static void checkGcm(byte[] iv, int tagBytes) {
    if (iv.length != 12) {
      throw new CustodyException(Reason.INVALID, "GCM IV is not 12 bytes: " + iv.length);
    }
    if (tagBytes < 12 || tagBytes > 16) {
      throw new CustodyException(Reason.INVALID, "GCM tag is not 12 to 16 bytes: " + tagBytes);
    }
  }

  private static CustodyException translate(PKCS11Exception e) {
    if (e.match(CKR_DEVICE_REMOVED) || e.match(CKR_TOKEN_NOT_PRESENT) || e.match(CKR_DEVICE_ERROR)
        || e.match(CKR_SESSION_HANDLE_INVALID) || e.match(CKR_SESSION_CLOSED) || e.match(CKR_USER_NOT_LOGGED_IN)
        || e.match(CKR_DEVICE_MEMORY) || e.match(CKR_GENERAL_ERROR)) {
      return unavailable(e);
    }
    if (e.match(CKR_ARGUMENTS_BAD) || e.match(CKR_DATA_LEN_RANGE) || e.match(CKR_KEY_SIZE_RANGE)) {
      return new CustodyException(Reason.INVALID, "the token refused the request", e);
    }
    return new CustodyException(Reason.UNAVAILABLE, "PKCS#11 call failed", e);
  }

  private static CustodyException unavailable(PKCS11Exception e) {
    return new CustodyException(Reason.UNAVAILABLE, "the HSM is not answering", e);
  }
}

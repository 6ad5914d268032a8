package nl.sleutelbos.custody;

import java.util.EnumMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The device side of a key change, as a meter does it: it holds its keys in plaintext, unwraps a
 * delivered key under its current master key (RFC 3394, the JDK's implementation, independent of
 * the backend under test) and takes it into use. Test-only.
 */
final class SimulatedMeter {
  private final Map<KeyRole, byte[]> keys = new EnumMap<>(KeyRole.class);
  private final Map<KeyRole, byte[]> received = new EnumMap<>(KeyRole.class);

  SimulatedMeter(byte[] master) {
    keys.put(KeyRole.MASTER, master.clone());
  }

  void receive(DeviceKey key, WrappedKey forDevice) {
    try {
      Cipher kw = Cipher.getInstance("AES/KW/NoPadding");
      kw.init(Cipher.UNWRAP_MODE, new SecretKeySpec(keys.get(KeyRole.MASTER), "AES"));
      SecretKey unwrapped = (SecretKey) kw.unwrap(forDevice.bytes(), "AES", Cipher.SECRET_KEY);
      received.put(key.role(), unwrapped.getEncoded());
    } catch (java.security.GeneralSecurityException e) {
      throw new AssertionError("the meter cannot unwrap the delivered key", e);
    }
  }

  /** Takes the received key into use, as the meter does before it acknowledges. */
  void activate(KeyRole role) {
    keys.put(role, received.remove(role));
  }

  /** Whether the meter's current key in this role opens what custody sealed with {@code key}. */
  boolean answersWith(KeyCustody custody, DeviceKey key) {
    byte[] mine = keys.get(key.role());
    if (mine == null) {
      return false;
    }
    byte[] iv = new byte[12];
    byte[] sealed = custody.gcmEncrypt(key.wrapped(), iv, new byte[0], new byte[] {42}, 12);
    try {
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(mine, "AES"), new GCMParameterSpec(96, iv));
      return gcm.doFinal(sealed)[0] == 42;
    } catch (java.security.GeneralSecurityException e) {
      return false;
    }
  }
}

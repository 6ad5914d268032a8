package nl.sleutelbos.custody;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Per-device key sets: generated inside custody, kept only wrapped under a storage KEK, so a fleet
 * of millions needs no HSM object slots. Factory keys enter wrapped as well and are marked as
 * known to the vendor.
 */
public final class DeviceKeySets {
  private final KeyCustody custody;
  private final KeyStore keys;

  public DeviceKeySets(KeyCustody custody, KeyStore keys) {
    this.custody = custody;
    this.keys = keys;
  }

  /** Generates one NEW operator key per role for the device, wrapped under the KEK. */
  public List<DeviceKey> generate(String deviceId, Set<KeyRole> roles, KeyHandle storageKek) {
    List<DeviceKey> made = new ArrayList<>();
    for (KeyRole role : roles) {
      WrappedKey wrapped = custody.generateDeviceKey(storageKek);
      made.add(keys.add(deviceId, role, KeyState.NEW, Provenance.OPERATOR_GENERATED, custody.backend().name(), wrapped));
    }
    return made;
  }

  /**
   * Records a key the vendor loaded at the factory, already wrapped under a KEK held here, as the
   * ACTIVE key of the device — the device uses it — and as FACTORY_IMPORTED, to be taken over.
   */
  public DeviceKey importFactoryKey(String deviceId, KeyRole role, WrappedKey wrapped) {
    custody.kek(wrapped.kek()).orElseThrow(() -> new CustodyException(CustodyException.Reason.UNKNOWN_KEY, "no KEK labelled " + wrapped.kek()));
    return keys.add(deviceId, role, KeyState.ACTIVE, Provenance.FACTORY_IMPORTED, custody.backend().name(), wrapped);
  }
}

package nl.sleutelbos.custody;

import java.util.Optional;
import java.util.function.Predicate;

/**
 * Replaces one key of one device (the GXF/OSGP key-change flow, with the key generated in
 * custody): generate the new key, wrap it for delivery under the device's current master key
 * (RFC 3394, the DLMS key-transfer form), store it as NEW, hand it to the delivery channel; on
 * the device's acknowledgement the NEW key becomes ACTIVE and the old one EXPIRED.
 *
 * <p>Every step is safe to repeat: a NEW key that exists already is delivered again rather than
 * replaced, so a crash or a paused campaign resumes without a second key; an acknowledgement
 * activates the new key before it expires the old one, and a repeated acknowledgement finishes
 * that. A key is never ACTIVE unless the device acknowledged it or answered with it.
 */
public final class Rotation {
  private final KeyCustody custody;
  private final KeyStore keys;
  private final DeliveryChannel channel;

  public Rotation(KeyCustody custody, KeyStore keys, DeliveryChannel channel) {
    this.custody = custody;
    this.keys = keys;
    this.channel = channel;
  }

  /** Starts (or resumes) replacing the device's key in this role; returns the NEW key. */
  public DeviceKey rotate(String deviceId, KeyRole role, KeyHandle storageKek) {
    DeviceKey master = keys.latest(deviceId, KeyRole.MASTER, KeyState.ACTIVE)
        .orElseThrow(() -> new CustodyException(CustodyException.Reason.UNKNOWN_KEY, "device " + deviceId + " has no ACTIVE master key"));
    Optional<DeviceKey> pending = keys.latest(deviceId, role, KeyState.NEW);
    DeviceKey next = pending.isPresent()
        ? pending.get()
        : keys.add(deviceId, role, KeyState.NEW, Provenance.OPERATOR_GENERATED, custody.backend().name(), custody.generateDeviceKey(storageKek));
    channel.deliver(next, custody.wrapForDelivery(next.wrapped(), master.wrapped()));
    return next;
  }

  /** The device confirmed it uses {@code key}: it becomes ACTIVE, earlier ACTIVE keys EXPIRED. */
  public DeviceKey acknowledge(DeviceKey key) {
    DeviceKey active = keys.transition(key, KeyState.ACTIVE);
    for (DeviceKey older : keys.versions(key.deviceId(), key.role())) {
      if (older.version() < key.version() && older.state() == KeyState.ACTIVE) {
        keys.transition(older, KeyState.EXPIRED);
      }
    }
    return active;
  }

  /**
   * Recovers a lost acknowledgement: if the device answers with its NEW key, that counts as the
   * acknowledgement. Returns the key now ACTIVE for the role, or empty if the device still uses
   * the old one (deliver again).
   */
  public Optional<DeviceKey> recover(String deviceId, KeyRole role, Predicate<DeviceKey> deviceAnswersWith) {
    Optional<DeviceKey> pending = keys.latest(deviceId, role, KeyState.NEW);
    if (pending.isPresent() && deviceAnswersWith.test(pending.get())) {
      return Optional.of(acknowledge(pending.get()));
    }
    return Optional.empty();
  }
}

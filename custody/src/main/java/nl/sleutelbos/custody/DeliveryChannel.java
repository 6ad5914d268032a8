package nl.sleutelbos.custody;

/**
 * Carries a new key, wrapped under the device's current master key, to the device. Delivery is
 * asynchronous: the device's acknowledgement comes back through {@link Rotation#acknowledge}. A
 * channel may be handed the same key again after a restart and must treat that as a resend.
 */
public interface DeliveryChannel {
  void deliver(DeviceKey key, WrappedKey forDevice);
}

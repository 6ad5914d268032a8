package nl.sleutelbos.custody;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What custody hands back for one device's share of a rotation ({@link KeyCustody#changeKeys}):
 * the fresh keys wrapped for storage under the storage KEK, and every key — the pending ones
 * first, then the fresh ones, in the order asked — wrapped for delivery under the device's master
 * key (RFC 3394). Nothing in it is plaintext.
 */
public record KeyChange(List<WrappedKey> fresh, List<WrappedKey> forDevice) {
  public KeyChange {
    requireNonNull(fresh, "fresh is null");
    requireNonNull(forDevice, "forDevice is null");
    fresh = List.copyOf(fresh);
    forDevice = List.copyOf(forDevice);
  }
}

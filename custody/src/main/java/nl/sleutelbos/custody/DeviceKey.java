package nl.sleutelbos.custody;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One version of one key of one device: its metadata and the key itself wrapped under a storage
 * KEK (never plaintext). {@code version} counts up per (device, role) from 1.
 */
public record DeviceKey(
    String deviceId, KeyRole role, int version, KeyState state, Provenance provenance, String backend,
    WrappedKey wrapped, Instant created, Instant changed) {
  public DeviceKey {
    requireNonNull(deviceId, "deviceId is null");
    requireNonNull(role, "role is null");
    requireNonNull(state, "state is null");
    requireNonNull(provenance, "provenance is null");
    requireNonNull(backend, "backend is null");
    requireNonNull(wrapped, "wrapped is null");
    requireNonNull(created, "created is null");
    requireNonNull(changed, "changed is null");
    if (deviceId.isBlank() || deviceId.contains("/")) {
      throw new IllegalArgumentException("device id is blank or contains '/': " + deviceId);
    }
    if (version < 1) {
      throw new IllegalArgumentException("version < 1: " + version);
    }
  }

  /** The same key in another state. */
  public DeviceKey in(KeyState next, Instant at) {
    return new DeviceKey(deviceId, role, version, next, provenance, backend, wrapped, created, at);
  }
}

package nl.sleutelbos.custody;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/** Every version of every key of one device as read at one moment, by role and version. */
public record DeviceKeys(String deviceId, List<DeviceKey> all) {
  public DeviceKeys {
    requireNonNull(deviceId, "deviceId is null");
    all = List.copyOf(all);
  }

  /** Every version in this role, oldest first. */
  public List<DeviceKey> versions(KeyRole role) {
    return all.stream().filter(k -> k.role() == role).toList();
  }

  /** The key in this role in the given state, the newest if several. */
  public Optional<DeviceKey> latest(KeyRole role, KeyState state) {
    return versions(role).stream().filter(k -> k.state() == state).reduce((a, b) -> b);
  }

  /** The version a new key in this role gets. */
  public int nextVersion(KeyRole role) {
    return versions(role).stream().mapToInt(DeviceKey::version).max().orElse(0) + 1;
  }
}

package nl.sleutelbos.custody;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import nl.sleutelbos.store.CustodyStorage;
import nl.sleutelbos.store.CustodyStorage.KeyRecord;
import nl.sleutelbos.store.CustodyStorage.StateChange;

/**
 * Device-key metadata and wrapped keys, in the store's custody tables ({@code V6__custody.sql},
 * {@link CustodyStorage}): one row per device, role and version.
 *
 * <p>Why a table and not documents (the first version): a campaign reads the keys of a chunk of
 * devices in one query and writes a chunk's new keys in one multi-row transaction, and
 * fleet-wide selections (every device with an ACTIVE FACTORY_IMPORTED key) are one index range.
 *
 * <p>State changes are compare-and-set in the store ({@link KeyState#next()} checked here), and a
 * version is claimed by its insert, so several threads — or processes — may work on the same
 * device without a shared lock: the loser of a race re-reads and tries again.
 */
public final class KeyStore {
  private static final int ATTEMPTS = 8;
  private final CustodyStorage storage;
  private final Clock clock;

  public KeyStore(CustodyStorage storage, Clock clock) {
    this.storage = storage;
    this.clock = clock;
  }

  CustodyStorage storage() {
    return storage;
  }

  /** Now, to the microsecond that the store keeps. */
  Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  /** Stores a new version of the (device, role) key in the given state and provenance. */
  public DeviceKey add(String deviceId, KeyRole role, KeyState state, Provenance provenance, String backend, WrappedKey wrapped) {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Instant now = now();
      DeviceKey key = new DeviceKey(deviceId, role, keysOf(List.of(deviceId)).get(deviceId).nextVersion(role), state, provenance,
          backend, wrapped, now, now);
      if (storage.insertKeys(List.of(record(key)))) {
        return key;
      }
    }
    throw new IllegalStateException("key version taken concurrently " + ATTEMPTS + " times: " + deviceId + " " + role);
  }

  /**
   * Stores all the keys, each with the version it names, in one transaction. Returns false, and
   * stores none of them, if any version is taken already.
   */
  public boolean addAll(List<DeviceKey> keys) {
    return storage.insertKeys(keys.stream().map(KeyStore::record).toList());
  }

  /** Moves a key to {@code next}; fails with {@code INVALID} if its state does not allow that. */
  public DeviceKey transition(DeviceKey key, KeyState next) {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      DeviceKey current = get(key.deviceId(), key.role(), key.version())
          .orElseThrow(() -> new CustodyException(CustodyException.Reason.UNKNOWN_KEY, "no key " + key.deviceId() + " " + key.role() + " v" + key.version()));
      if (current.state() == next) {
        return current;
      }
      if (!current.state().next().contains(next)) {
        throw new CustodyException(CustodyException.Reason.INVALID, current.state() + " cannot become " + next);
      }
      DeviceKey moved = current.in(next, now());
      if (storage.changeStates(List.of(change(current, next, moved.changed())))) {
        return moved;
      }
    }
    throw new IllegalStateException("key state changed concurrently " + ATTEMPTS + " times: " + key.deviceId() + " " + key.role());
  }

  /**
   * The device uses {@code key}: it becomes ACTIVE and every older ACTIVE key of its role EXPIRED,
   * in one transaction, so the role never has two ACTIVE keys or none. Repeating it is harmless.
   * Fails with {@code INVALID} if the key is neither NEW nor ACTIVE.
   */
  public DeviceKey activate(DeviceKey key) {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      List<DeviceKey> versions = versions(key.deviceId(), key.role());
      DeviceKey current = versions.stream().filter(k -> k.version() == key.version()).findFirst()
          .orElseThrow(() -> new CustodyException(CustodyException.Reason.UNKNOWN_KEY, "no key " + key.deviceId() + " " + key.role() + " v" + key.version()));
      if (current.state() != KeyState.NEW && current.state() != KeyState.ACTIVE) {
        throw new CustodyException(CustodyException.Reason.INVALID, current.state() + " cannot become " + KeyState.ACTIVE);
      }
      Instant now = now();
      List<StateChange> changes = new ArrayList<>();
      if (current.state() == KeyState.NEW) {
        changes.add(change(current, KeyState.ACTIVE, now));
      }
      for (DeviceKey older : versions) {
        if (older.version() < key.version() && older.state() == KeyState.ACTIVE) {
          changes.add(change(older, KeyState.EXPIRED, now));
        }
      }
      if (storage.changeStates(changes)) {
        return current.state() == KeyState.ACTIVE ? current : current.in(KeyState.ACTIVE, now);
      }
    }
    throw new IllegalStateException("key state changed concurrently " + ATTEMPTS + " times: " + key.deviceId() + " " + key.role());
  }

  public Optional<DeviceKey> get(String deviceId, KeyRole role, int version) {
    return keys(deviceId).stream().filter(k -> k.role() == role && k.version() == version).findFirst();
  }

  /** Every version of every key of the device, by role and version. */
  public List<DeviceKey> keys(String deviceId) {
    return keysOf(List.of(deviceId)).get(deviceId).all();
  }

  /** Every version of the device's key in this role, oldest first. */
  public List<DeviceKey> versions(String deviceId, KeyRole role) {
    return keysOf(List.of(deviceId)).get(deviceId).versions(role);
  }

  /** The key in this role in the given state, the newest if several. */
  public Optional<DeviceKey> latest(String deviceId, KeyRole role, KeyState state) {
    return keysOf(List.of(deviceId)).get(deviceId).latest(role, state);
  }

  /**
   * The keys of many devices in one read, for a campaign's chunk: every device asked for is in
   * the map (with no keys if it has none), in the order asked.
   */
  public Map<String, DeviceKeys> keysOf(Collection<String> deviceIds) {
    Map<String, List<DeviceKey>> byDevice = new LinkedHashMap<>();
    for (String id : deviceIds) {
      byDevice.put(id, new ArrayList<>());
    }
    for (KeyRecord r : storage.keys(deviceIds)) {
      byDevice.get(r.deviceId()).add(key(r));
    }
    Map<String, DeviceKeys> out = new LinkedHashMap<>();
    byDevice.forEach((id, keys) -> out.put(id, new DeviceKeys(id, keys)));
    return out;
  }

  /** Records what campaigns select devices by: supplier, batch and region (replacing earlier records). */
  public void describeDevices(List<CustodyStorage.DeviceRecord> devices) {
    storage.putDevices(devices);
  }

  private static StateChange change(DeviceKey key, KeyState next, Instant at) {
    return new StateChange(key.deviceId(), key.role().name(), key.version(), key.state().name(), next.name(), at);
  }

  private static KeyRecord record(DeviceKey k) {
    WrappedKey w = k.wrapped();
    return new KeyRecord(k.deviceId(), k.role().name(), k.version(), k.state().name(), k.provenance().name(), k.backend(),
        w.kek(), w.method().name(), w.bytes(), k.created(), k.changed());
  }

  private static DeviceKey key(KeyRecord r) {
    return new DeviceKey(r.deviceId(), KeyRole.valueOf(r.role()), r.version(), KeyState.valueOf(r.state()),
        Provenance.valueOf(r.provenance()), r.backend(), new WrappedKey(r.kek(), WrapMethod.valueOf(r.wrapMethod()), r.wrapped()),
        r.created(), r.changed());
  }
}

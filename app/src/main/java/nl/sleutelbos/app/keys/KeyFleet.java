package nl.sleutelbos.app.keys;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import nl.sleutelbos.custody.CustodyException;
import nl.sleutelbos.custody.DeviceKey;
import nl.sleutelbos.custody.DeviceKeySets;
import nl.sleutelbos.custody.KeyCustody;
import nl.sleutelbos.custody.KeyRole;
import nl.sleutelbos.custody.KeyState;
import nl.sleutelbos.custody.KeyStore;
import nl.sleutelbos.custody.Provenance;
import nl.sleutelbos.custody.Rotation;
import nl.sleutelbos.custody.VendorKeyFile;
import nl.sleutelbos.custody.WrappedKey;
import nl.sleutelbos.store.CustodyStorage;

/**
 * The fleet's device keys as the control plane handles them: provisioning a key set, taking over a
 * vendor's factory keys, acknowledgements, listing and counting. Every change is shown in the
 * NGSI-LD read model ({@link KeyEntities}) after it is stored. Which devices have keys comes from
 * the custody tables ({@link CustodyStorage#selectDevices}).
 */
public final class KeyFleet {
  /** Devices read per page when the whole fleet is counted. */
  private static final int PAGE = 1000;

  /** A request the fleet refuses, with the reason (409 or 422 at the edge). */
  public static final class Conflict extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Conflict(String message) {
      super(message);
    }
  }

  private final KeyCustody custody;
  private final KeyStore keys;
  private final DeviceKeySets sets;
  private final Rotation rotation;
  private final OperatorKeys operatorKeys;
  private final KeyEntities view;
  private final CustodyStorage storage;
  private final java.time.Clock clock;

  public KeyFleet(KeyCustody custody, KeyStore keys, CustodyStorage storage, Rotation rotation, OperatorKeys operatorKeys,
      KeyEntities view, java.time.Clock clock) {
    this.custody = custody;
    this.keys = keys;
    this.sets = new DeviceKeySets(custody, keys);
    this.storage = storage;
    this.rotation = rotation;
    this.operatorKeys = operatorKeys;
    this.view = view;
    this.clock = clock;
  }

  public KeyCustody custody() {
    return custody;
  }

  /** Provisions NEW operator-generated keys for roles the device has no key in yet. */
  public List<DeviceKey> generate(String deviceId, Set<KeyRole> roles) {
    for (KeyRole role : roles) {
      Optional<DeviceKey> live = keys.versions(deviceId, role).stream()
          .filter(k -> k.state() == KeyState.NEW || k.state() == KeyState.ACTIVE).findFirst();
      if (live.isPresent()) {
        throw new Conflict("device " + deviceId + " has a " + live.get().state() + " " + role + " key (v" + live.get().version()
            + "); replace it with a rotation campaign");
      }
    }
    List<DeviceKey> made = sets.generate(deviceId, roles, operatorKeys.storageKek());
    view.show(made, custody.backend());
    return made;
  }

  /**
   * Takes over a vendor's key file, whole or not at all: every line is checked and every key
   * rewrapped from the transport key to the storage KEK inside custody before anything is stored,
   * and then all keys are stored in one transaction, so a bad line anywhere — or a crash — stores
   * nothing. Imported keys are ACTIVE (the device uses them) and FACTORY_IMPORTED (the vendor knows
   * them). {@code device} (supplier, batch, region; blank for unknown) is recorded for every meter
   * of the file, for campaign selections.
   */
  public List<DeviceKey> importVendorFile(String transportKek, String text, CustodyStorage.DeviceRecord device) {
    if (operatorKeys.transportKey(transportKek).isEmpty()) {
      throw new Conflict("no transport key labelled " + transportKek + "; register it first");
    }
    List<VendorKeyFile.Entry> entries = VendorKeyFile.parse(text);
    var storage = operatorKeys.storageKek();
    var existing = keys.keysOf(entries.stream().map(VendorKeyFile.Entry::deviceId).distinct().toList());
    java.time.Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    List<VendorKeyFile.Problem> problems = new ArrayList<>();
    List<DeviceKey> imported = new ArrayList<>();
    for (VendorKeyFile.Entry e : entries) {
      var held = existing.get(e.deviceId());
      if (held.versions(e.role()).stream().anyMatch(k -> k.state() == KeyState.NEW || k.state() == KeyState.ACTIVE)) {
        problems.add(new VendorKeyFile.Problem(e.line(), "meter " + e.deviceId() + " has a " + e.role() + " key in use already"));
        continue;
      }
      try {
        WrappedKey wrapped = custody.rewrap(e.under(transportKek), storage);
        imported.add(new DeviceKey(e.deviceId(), e.role(), held.nextVersion(e.role()), KeyState.ACTIVE, Provenance.FACTORY_IMPORTED,
            custody.backend().name(), wrapped, now, now));
      } catch (CustodyException x) {
        switch (x.reason()) {
          case INTEGRITY -> problems.add(new VendorKeyFile.Problem(e.line(), "the key does not unwrap under transport key " + transportKek));
          case INVALID -> problems.add(new VendorKeyFile.Problem(e.line(), "the key inside is not an AES-128 key"));
          default -> throw x;
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new VendorKeyFile.Rejected(problems);
    }
    if (!keys.addAll(imported)) {
      throw new Conflict("keys of these meters were stored concurrently; import the file again");
    }
    if (!device.supplier().isBlank() || !device.batch().isBlank() || !device.region().isBlank()) {
      keys.describeDevices(imported.stream().map(DeviceKey::deviceId).distinct()
          .map(d -> new CustodyStorage.DeviceRecord(d, device.supplier(), device.batch(), device.region())).toList());
    }
    view.show(imported, custody.backend());
    return imported;
  }

  /** The device confirmed it uses this key: it becomes ACTIVE, the one it replaces EXPIRED. */
  public List<DeviceKey> acknowledge(String deviceId, KeyRole role, int version) {
    DeviceKey key = keys.get(deviceId, role, version)
        .orElseThrow(() -> new CustodyException(CustodyException.Reason.UNKNOWN_KEY, "device " + deviceId + " has no " + role + " key v" + version));
    if (key.state() != KeyState.NEW && key.state() != KeyState.ACTIVE) {
      throw new Conflict(role + " v" + version + " of " + deviceId + " is " + key.state() + "; only a NEW key can be acknowledged");
    }
    rotation.acknowledge(key);
    List<DeviceKey> changed = keys.versions(deviceId, role);
    view.show(changed, custody.backend());
    return changed;
  }

  public List<DeviceKey> keys(String deviceId) {
    return keys.keys(deviceId);
  }

  /** Devices with keys, in id order, after {@code after} ("" for the first page). */
  public List<String> devices(String after, int limit) {
    return storage.selectDevices(CustodyStorage.DeviceFilter.all(), after, limit);
  }

  public long deviceCount() {
    return storage.countDevices(CustodyStorage.DeviceFilter.all());
  }

  /** Counts for the custody report. */
  public record Counts(long devices, long keys, Map<KeyState, Long> byState, Map<Provenance, Long> byProvenance,
      Map<String, Long> byBackend) {}

  /** Counts every key of the fleet, a page of devices at a time. */
  public Counts counts() {
    Map<KeyState, Long> byState = new EnumMap<>(KeyState.class);
    Map<Provenance, Long> byProvenance = new EnumMap<>(Provenance.class);
    Map<String, Long> byBackend = new TreeMap<>();
    long total = 0;
    long devices = 0;
    String after = "";
    while (true) {
      List<String> page = devices(after, PAGE);
      if (page.isEmpty()) {
        break;
      }
      devices += page.size();
      after = page.getLast();
      for (var held : keys.keysOf(page).values()) {
        for (DeviceKey k : held.all()) {
          total++;
          byState.merge(k.state(), 1L, Long::sum);
          byProvenance.merge(k.provenance(), 1L, Long::sum);
          byBackend.merge(k.backend(), 1L, Long::sum);
        }
      }
    }
    return new Counts(devices, total, byState, byProvenance, byBackend);
  }
}

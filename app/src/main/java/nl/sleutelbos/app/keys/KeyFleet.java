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
import nl.sleutelbos.store.DocumentStore;

/**
 * The fleet's device keys as the control plane handles them: provisioning a key set, taking over a
 * vendor's factory keys, acknowledgements, listing and counting. Every change is shown in the
 * NGSI-LD read model ({@link KeyEntities}) after it is stored. Which devices have keys is an index
 * document per device ({@code custody.devices}), the fleet-wide list until key metadata has a table.
 */
public final class KeyFleet {
  static final String DEVICES = "custody.devices";

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
  private final DocumentStore documents;

  public KeyFleet(KeyCustody custody, KeyStore keys, Rotation rotation, OperatorKeys operatorKeys, KeyEntities view, DocumentStore documents) {
    this.custody = custody;
    this.keys = keys;
    this.sets = new DeviceKeySets(custody, keys);
    this.rotation = rotation;
    this.operatorKeys = operatorKeys;
    this.view = view;
    this.documents = documents;
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
    index(deviceId);
    List<DeviceKey> made = sets.generate(deviceId, roles, operatorKeys.storageKek());
    view.show(made, custody.backend());
    return made;
  }

  /**
   * Takes over a vendor's key file, whole or not at all: every line is checked and every key
   * rewrapped from the transport key to the storage KEK inside custody before anything is stored,
   * so a bad line anywhere stores nothing. Imported keys are ACTIVE (the device uses them) and
   * FACTORY_IMPORTED (the vendor knows them).
   */
  public List<DeviceKey> importVendorFile(String transportKek, String text) {
    if (operatorKeys.transportKey(transportKek).isEmpty()) {
      throw new Conflict("no transport key labelled " + transportKek + "; register it first");
    }
    List<VendorKeyFile.Entry> entries = VendorKeyFile.parse(text);
    var storage = operatorKeys.storageKek();
    List<VendorKeyFile.Problem> problems = new ArrayList<>();
    List<WrappedKey> rewrapped = new ArrayList<>();
    for (VendorKeyFile.Entry e : entries) {
      if (keys.versions(e.deviceId(), e.role()).stream().anyMatch(k -> k.state() == KeyState.NEW || k.state() == KeyState.ACTIVE)) {
        problems.add(new VendorKeyFile.Problem(e.line(), "meter " + e.deviceId() + " has a " + e.role() + " key in use already"));
        continue;
      }
      try {
        rewrapped.add(custody.rewrap(e.under(transportKek), storage));
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
    List<DeviceKey> stored = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      index(entries.get(i).deviceId());
      stored.add(sets.importFactoryKey(entries.get(i).deviceId(), entries.get(i).role(), rewrapped.get(i)));
    }
    view.show(stored, custody.backend());
    return stored;
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

  /** Shows keys the rotation made (NEW keys as they are handed to the channel). */
  void shown(DeviceKey key) {
    view.show(List.of(key), custody.backend());
  }

  public List<DeviceKey> keys(String deviceId) {
    return keys.keys(deviceId);
  }

  /** Every device with keys, in id order. */
  public List<String> devices() {
    return documents.list(DEVICES).stream().map(DocumentStore.Document::key).toList();
  }

  /** The devices with an ACTIVE key of this provenance in one of the roles, for a campaign selection. */
  public List<String> devicesWith(Provenance provenance, Set<KeyRole> roles) {
    return devices().stream().filter(d -> keys.keys(d).stream()
        .anyMatch(k -> k.provenance() == provenance && k.state() == KeyState.ACTIVE && roles.contains(k.role()))).toList();
  }

  /** Counts for the custody report. */
  public record Counts(int devices, int keys, Map<KeyState, Integer> byState, Map<Provenance, Integer> byProvenance,
      Map<String, Integer> byBackend) {}

  public Counts counts() {
    Map<KeyState, Integer> byState = new EnumMap<>(KeyState.class);
    Map<Provenance, Integer> byProvenance = new EnumMap<>(Provenance.class);
    Map<String, Integer> byBackend = new TreeMap<>();
    int total = 0;
    List<String> devices = devices();
    for (String d : devices) {
      for (DeviceKey k : keys.keys(d)) {
        total++;
        byState.merge(k.state(), 1, Integer::sum);
        byProvenance.merge(k.provenance(), 1, Integer::sum);
        byBackend.merge(k.backend(), 1, Integer::sum);
      }
    }
    return new Counts(devices.size(), total, byState, byProvenance, byBackend);
  }

  private void index(String deviceId) {
    documents.putIfAbsent(DEVICES, deviceId, "{}");
  }
}

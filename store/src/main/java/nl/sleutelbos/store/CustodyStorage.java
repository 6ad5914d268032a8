package nl.sleutelbos.store;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Durable storage for key custody: per-device key versions (wrapped under a storage KEK, never
 * plaintext), the minimal device record a rotation campaign selects by, and campaign progress.
 * The store knows no key roles or states beyond their names; the custody module owns the rules.
 *
 * <p>Every write is atomic and durable on return, like {@link EntityStore#apply}: all rows of one
 * call are stored in one transaction or none are. Writes that can conflict with a concurrent
 * writer ({@link #insertKeys}, {@link #changeStates}) report the conflict as {@code false} and
 * write nothing, so a caller never needs a lock shared with another process.
 *
 * <p>Reads see committed data only. Times are kept to the microsecond.
 */
public interface CustodyStorage {

  /** One version of one key of one device, as stored. */
  record KeyRecord(
      String deviceId, String role, int version, String state, String provenance, String backend,
      String kek, String wrapMethod, byte[] wrapped, Instant created, Instant changed) {
    public KeyRecord {
      requireNonNull(deviceId, "deviceId is null");
      requireNonNull(role, "role is null");
      requireNonNull(state, "state is null");
      requireNonNull(provenance, "provenance is null");
      requireNonNull(backend, "backend is null");
      requireNonNull(kek, "kek is null");
      requireNonNull(wrapMethod, "wrapMethod is null");
      requireNonNull(wrapped, "wrapped is null");
      requireNonNull(created, "created is null");
      requireNonNull(changed, "changed is null");
      if (version < 1) {
        throw new IllegalArgumentException("version < 1: " + version);
      }
    }
  }

  /** Moves the key (device, role, version) from state {@code from} to {@code to}. */
  record StateChange(String deviceId, String role, int version, String from, String to, Instant at) {
    public StateChange {
      requireNonNull(deviceId, "deviceId is null");
      requireNonNull(role, "role is null");
      requireNonNull(from, "from is null");
      requireNonNull(to, "to is null");
      requireNonNull(at, "at is null");
    }
  }

  /** What a campaign may select a device by. */
  record DeviceRecord(String deviceId, String supplier, String batch, String region) {
    public DeviceRecord {
      requireNonNull(deviceId, "deviceId is null");
      requireNonNull(supplier, "supplier is null");
      requireNonNull(batch, "batch is null");
      requireNonNull(region, "region is null");
    }
  }

  /**
   * Which devices: every device that has at least one key row matching {@code keyProvenance} and
   * {@code keyState} (any key when both are empty), and whose device record matches
   * {@code supplier}, {@code batch} and {@code region} (a device without a record matches only
   * when all three are empty). Empty means "any".
   */
  record DeviceFilter(
      Optional<String> supplier, Optional<String> batch, Optional<String> region,
      Optional<String> keyProvenance, Optional<String> keyState) {
    public DeviceFilter {
      requireNonNull(supplier, "supplier is null");
      requireNonNull(batch, "batch is null");
      requireNonNull(region, "region is null");
      requireNonNull(keyProvenance, "keyProvenance is null");
      requireNonNull(keyState, "keyState is null");
    }

    public static DeviceFilter all() {
      return new DeviceFilter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Whether the filter looks at device records, not only at keys. */
    public boolean byDevice() {
      return supplier.isPresent() || batch.isPresent() || region.isPresent();
    }
  }

  /**
   * A campaign as stored. {@code spec} is opaque to the store; {@code cursor} is the id of the
   * last device whose work is durable and delivered ("" before the first); {@code devicesSkipped}
   * counts devices passed over (for example for want of a master key).
   */
  record CampaignRecord(
      String id, String spec, String status, String cursor, long devicesDone, long devicesTotal,
      long devicesSkipped, long keysDelivered, String reason, Instant created, Instant changed) {
    public CampaignRecord {
      requireNonNull(id, "id is null");
      requireNonNull(spec, "spec is null");
      requireNonNull(status, "status is null");
      requireNonNull(cursor, "cursor is null");
      requireNonNull(reason, "reason is null");
      requireNonNull(created, "created is null");
      requireNonNull(changed, "changed is null");
    }
  }

  /**
   * Stores all the keys in one transaction. Returns false, and stores none of them, if any
   * (device, role, version) is taken already — by an earlier call or by another writer.
   */
  boolean insertKeys(List<KeyRecord> keys);

  /**
   * Applies all the state changes in one transaction. Returns false, and changes nothing, if any
   * key is missing or not in its {@code from} state (compare-and-set, safe across processes).
   */
  boolean changeStates(List<StateChange> changes);

  /** Every key of these devices in one read, ordered by device id, role and version. */
  List<KeyRecord> keys(Collection<String> deviceIds);

  /** Stores (or replaces) the device records, in one transaction. */
  void putDevices(List<DeviceRecord> devices);

  Optional<DeviceRecord> device(String deviceId);

  /**
   * Up to {@code limit} ids of devices the filter admits whose id is greater than {@code after}
   * (by code point; "" for the start), in ascending order: the pages of a campaign.
   */
  List<String> selectDevices(DeviceFilter filter, String after, int limit);

  /** How many devices the filter admits now. */
  long countDevices(DeviceFilter filter);

  /** Stores (or replaces) a campaign. */
  void putCampaign(CampaignRecord campaign);

  Optional<CampaignRecord> campaign(String id);

  /** Every campaign, by id. */
  List<CampaignRecord> campaigns();
}

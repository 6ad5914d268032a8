package nl.sleutelbos.custody;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Replaces keys of devices (the GXF/OSGP key-change flow, with the key generated in custody):
 * generate the new key, wrap it for delivery under the device's current master key (RFC 3394,
 * the DLMS key-transfer form), store it as NEW, hand it to the delivery channel; on the device's
 * acknowledgement the NEW key becomes ACTIVE and the old one EXPIRED.
 *
 * <p>Every step is safe to repeat: a NEW key that exists already is delivered again rather than
 * replaced, so a crash or a paused campaign resumes without a second key; an acknowledgement
 * activates the new key and expires the old one in one transaction. A key is never ACTIVE unless
 * the device acknowledged it or answered with it.
 *
 * <p>Order within a chunk of devices: one read of all their keys, the HSM work of each device in
 * one custody call, one transaction for all the new keys, the {@link Journal}, then delivery — so
 * a key is delivered only once it is durable and recorded.
 */
public final class Rotation {

  /**
   * Records the keys a rotation made, after they are durable and before any is delivered (the
   * app writes it to the audit log). If it throws, nothing of that chunk is delivered.
   */
  @FunctionalInterface
  public interface Journal {
    Journal NONE = keys -> { };

    void generated(List<DeviceKey> keys);
  }

  /** What a chunk came to: the keys handed to the channel, and devices left out for want of an ACTIVE master key. */
  record Chunk(List<DeviceKey> delivered, List<String> withoutMaster) {}

  private static final int ATTEMPTS = 4;
  private final KeyCustody custody;
  private final KeyStore keys;
  private final DeliveryChannel channel;
  private final Journal journal;

  public Rotation(KeyCustody custody, KeyStore keys, DeliveryChannel channel) {
    this(custody, keys, channel, Journal.NONE);
  }

  public Rotation(KeyCustody custody, KeyStore keys, DeliveryChannel channel, Journal journal) {
    this.custody = requireNonNull(custody, "custody is null");
    this.keys = requireNonNull(keys, "keys is null");
    this.channel = requireNonNull(channel, "channel is null");
    this.journal = requireNonNull(journal, "journal is null");
  }

  KeyStore keys() {
    return keys;
  }

  /** Starts (or resumes) replacing the device's key in this role; returns the NEW key. */
  public DeviceKey rotate(String deviceId, KeyRole role, KeyHandle storageKek) {
    Chunk chunk = rotateChunk(List.of(deviceId), EnumSet.of(role), Optional.empty(), storageKek);
    if (!chunk.withoutMaster().isEmpty()) {
      throw new CustodyException(CustodyException.Reason.UNKNOWN_KEY, "device " + deviceId + " has no ACTIVE master key");
    }
    return chunk.delivered().getFirst();
  }

  /**
   * Rotates the roles of each device: a role with a pending NEW key gets it delivered again; any
   * other role gets a new key, unless {@code replacing} is given and the role's ACTIVE key is not
   * of that provenance (a takeover replaces only what the vendor knows).
   */
  Chunk rotateChunk(List<String> deviceIds, Set<KeyRole> roles, Optional<Provenance> replacing, KeyHandle storageKek) {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Optional<Chunk> done = commit(prepare(deviceIds, roles, replacing, storageKek));
      if (done.isPresent()) {
        return done.get();
      }
    }
    throw new IllegalStateException("key versions taken concurrently " + ATTEMPTS + " times in a chunk from " + deviceIds.getFirst());
  }

  /** A chunk's HSM work, done: what {@link #commit} stores, records and delivers. */
  record Prepared(List<String> deviceIds, List<DeviceKey> fresh, List<DeviceKey> delivered, List<WrappedKey> forDevice,
      List<String> withoutMaster) {}

  /**
   * The first half of {@link #rotateChunk}: one read of the chunk's keys, then each device's HSM
   * work in one custody call. Nothing is stored; a campaign runs this for the next chunk while
   * the previous one is being committed.
   */
  Prepared prepare(List<String> deviceIds, Set<KeyRole> roles, Optional<Provenance> replacing, KeyHandle storageKek) {
    Map<String, DeviceKeys> current = keys.keysOf(deviceIds);
    List<DeviceKey> fresh = new ArrayList<>();
    List<DeviceKey> delivered = new ArrayList<>();
    List<WrappedKey> forDevice = new ArrayList<>();
    List<String> withoutMaster = new ArrayList<>();
    String backend = custody.backend().name();
    for (DeviceKeys device : current.values()) {
      Optional<DeviceKey> master = device.latest(KeyRole.MASTER, KeyState.ACTIVE);
      if (master.isEmpty()) {
        withoutMaster.add(device.deviceId());
        continue;
      }
      List<DeviceKey> pending = new ArrayList<>();
      List<KeyRole> make = new ArrayList<>();
      for (KeyRole role : roles) {
        Optional<DeviceKey> waiting = device.latest(role, KeyState.NEW);
        if (waiting.isPresent()) {
          pending.add(waiting.get());
        } else if (replacing.isEmpty() || device.latest(role, KeyState.ACTIVE).map(k -> k.provenance() == replacing.get()).orElse(false)) {
          make.add(role);
        }
      }
      if (pending.isEmpty() && make.isEmpty()) {
        continue;
      }
      KeyChange change = custody.changeKeys(storageKek, master.get().wrapped(), pending.stream().map(DeviceKey::wrapped).toList(), make.size());
      Instant now = keys.now();
      delivered.addAll(pending);
      forDevice.addAll(change.forDevice());
      for (int i = 0; i < make.size(); i++) {
        DeviceKey key = new DeviceKey(device.deviceId(), make.get(i), device.nextVersion(make.get(i)), KeyState.NEW,
            Provenance.OPERATOR_GENERATED, backend, change.fresh().get(i), now, now);
        fresh.add(key);
        delivered.add(key);
      }
    }
    return new Prepared(deviceIds, fresh, delivered, forDevice, withoutMaster);
  }

  /**
   * The second half: the chunk's new keys in one transaction, the {@link Journal}, then delivery.
   * Empty, with nothing stored, if another writer took one of the versions meanwhile: prepare
   * again (its NEW key is then delivered rather than a second one made).
   */
  Optional<Chunk> commit(Prepared p) {
    if (!keys.addAll(p.fresh())) {
      return Optional.empty();
    }
    if (!p.fresh().isEmpty()) {
      journal.generated(p.fresh());
    }
    for (int i = 0; i < p.delivered().size(); i++) {
      channel.deliver(p.delivered().get(i), p.forDevice().get(i));
    }
    return Optional.of(new Chunk(p.delivered(), p.withoutMaster()));
  }

  /** The device confirmed it uses {@code key}: it becomes ACTIVE, earlier ACTIVE keys EXPIRED. */
  public DeviceKey acknowledge(DeviceKey key) {
    return keys.activate(key);
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

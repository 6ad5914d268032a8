package nl.sleutelbos.custody;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import nl.sleutelbos.store.DocumentStore;

/**
 * Device-key metadata and wrapped keys, kept in the store's documents: one collection per device
 * ({@code custody.keys/<device>}), one document per key version ({@code <ROLE>/<version>}).
 *
 * <p>Why documents and not a table in {@code V6__custody.sql}: the store's documents already have
 * the durability of entity writes on both SQLite and PostgreSQL, the access pattern here is "all
 * keys of one device", which a per-device collection answers with one indexed read, and no
 * dialect-specific SQL or edit to the shared store backends is needed. A fleet-wide query (every
 * FACTORY_IMPORTED key, for a campaign selection) is where a table with an index on provenance and
 * state would win; that is the moment to move to V6.
 *
 * <p>State changes are checked against {@link KeyState#next()} and serialised per device in this
 * process (the document store has no compare-and-set), so one Sleutelbos process owns a device's
 * keys. Different devices proceed in parallel, which lets the store group their commits.
 */
public final class KeyStore {
  static final String COLLECTION = "custody.keys/";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final DocumentStore documents;
  private final Clock clock;
  private final Object[] stripes = new Object[1024];

  public KeyStore(DocumentStore documents, Clock clock) {
    this.documents = documents;
    this.clock = clock;
    for (int i = 0; i < stripes.length; i++) {
      stripes[i] = new Object();
    }
  }

  private Object lock(String deviceId) {
    return stripes[Math.floorMod(deviceId.hashCode(), stripes.length)];
  }

  /** Stores a new version of the (device, role) key in the given state and provenance. */
  public DeviceKey add(String deviceId, KeyRole role, KeyState state, Provenance provenance, String backend, WrappedKey wrapped) {
    synchronized (lock(deviceId)) {
      return addLocked(deviceId, role, state, provenance, backend, wrapped);
    }
  }

  private DeviceKey addLocked(String deviceId, KeyRole role, KeyState state, Provenance provenance, String backend, WrappedKey wrapped) {
    int version = versions(deviceId, role).stream().mapToInt(DeviceKey::version).max().orElse(0) + 1;
    Instant now = clock.instant();
    DeviceKey key = new DeviceKey(deviceId, role, version, state, provenance, backend, wrapped, now, now);
    if (!documents.putIfAbsent(COLLECTION + deviceId, documentKey(role, version), write(key))) {
      throw new IllegalStateException("key version taken concurrently: " + deviceId + " " + role + " " + version);
    }
    return key;
  }

  /** Moves a key to {@code next}; fails with {@code INVALID} if its state does not allow that. */
  public DeviceKey transition(DeviceKey key, KeyState next) {
    synchronized (lock(key.deviceId())) {
      return transitionLocked(key, next);
    }
  }

  private DeviceKey transitionLocked(DeviceKey key, KeyState next) {
    DeviceKey current = get(key.deviceId(), key.role(), key.version())
        .orElseThrow(() -> new CustodyException(CustodyException.Reason.UNKNOWN_KEY, "no key " + key.deviceId() + " " + key.role() + " v" + key.version()));
    if (current.state() == next) {
      return current;
    }
    if (!current.state().next().contains(next)) {
      throw new CustodyException(CustodyException.Reason.INVALID, current.state() + " cannot become " + next);
    }
    DeviceKey moved = current.in(next, clock.instant());
    documents.put(COLLECTION + key.deviceId(), documentKey(key.role(), key.version()), write(moved));
    return moved;
  }

  public Optional<DeviceKey> get(String deviceId, KeyRole role, int version) {
    return documents.get(COLLECTION + deviceId, documentKey(role, version)).map(KeyStore::read);
  }

  /** Every version of every key of the device, by role and version. */
  public List<DeviceKey> keys(String deviceId) {
    return documents.list(COLLECTION + deviceId).stream().map(d -> read(d.body())).toList();
  }

  /** Every version of the device's key in this role, oldest first. */
  public List<DeviceKey> versions(String deviceId, KeyRole role) {
    return keys(deviceId).stream().filter(k -> k.role() == role).toList();
  }

  /** The key in this role in the given state, the newest if several. */
  public Optional<DeviceKey> latest(String deviceId, KeyRole role, KeyState state) {
    return versions(deviceId, role).stream().filter(k -> k.state() == state).reduce((a, b) -> b);
  }

  private static String documentKey(KeyRole role, int version) {
    return role + "/" + String.format("%010d", version);
  }

  private static String write(DeviceKey key) {
    ObjectNode o = JSON.createObjectNode();
    o.put("deviceId", key.deviceId());
    o.put("role", key.role().name());
    o.put("version", key.version());
    o.put("state", key.state().name());
    o.put("provenance", key.provenance().name());
    o.put("backend", key.backend());
    o.put("kek", key.wrapped().kek());
    o.put("wrapMethod", key.wrapped().method().name());
    o.put("wrapped", Base64.getEncoder().encodeToString(key.wrapped().bytes()));
    o.put("created", key.created().toString());
    o.put("changed", key.changed().toString());
    return o.toString();
  }

  private static DeviceKey read(String body) {
    try {
      JsonNode o = JSON.readTree(body);
      return new DeviceKey(o.get("deviceId").asText(), KeyRole.valueOf(o.get("role").asText()), o.get("version").asInt(),
          KeyState.valueOf(o.get("state").asText()), Provenance.valueOf(o.get("provenance").asText()), o.get("backend").asText(),
          new WrappedKey(o.get("kek").asText(), WrapMethod.valueOf(o.get("wrapMethod").asText()), Base64.getDecoder().decode(o.get("wrapped").asText())),
          Instant.parse(o.get("created").asText()), Instant.parse(o.get("changed").asText()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a stored key document is not JSON", e);
    }
  }
}

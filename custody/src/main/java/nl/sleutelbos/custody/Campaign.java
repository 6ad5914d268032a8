package nl.sleutelbos.custody;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import nl.sleutelbos.store.DocumentStore;

/**
 * A rotation campaign over a list of devices: for each device, in order, every chosen role is
 * rotated (generated, wrapped for delivery, stored NEW, handed to the channel). Progress — the
 * index of the next device and the status — is a document, written every {@code checkpointEvery}
 * devices and whenever the campaign stops, so a crash or a restart resumes where it was; the
 * devices since the last checkpoint are redone, which {@link Rotation#rotate} makes harmless.
 *
 * <p>When custody fails as {@code UNAVAILABLE} (the HSM went away) the campaign stops with status
 * {@link Status#PAUSED_HSM_UNAVAILABLE} and the reason, and {@link #run} continues it later.
 * Acknowledgements arrive separately, through {@link Rotation#acknowledge}.
 */
public final class Campaign {
  static final String COLLECTION = "custody.campaigns";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Where a campaign stands. */
  public enum Status { RUNNING, PAUSED_HSM_UNAVAILABLE, DELIVERED }

  /** Progress as persisted. */
  public record Progress(String id, Status status, int nextDevice, int devices, String reason) {}

  private final String id;
  private final List<String> devices;
  private final Set<KeyRole> roles;
  private final KeyHandle storageKek;
  private final Rotation rotation;
  private final DocumentStore documents;
  private final int checkpointEvery;

  public Campaign(String id, List<String> devices, Set<KeyRole> roles, KeyHandle storageKek, Rotation rotation, DocumentStore documents, int checkpointEvery) {
    if (checkpointEvery < 1) {
      throw new IllegalArgumentException("checkpointEvery < 1: " + checkpointEvery);
    }
    this.id = id;
    this.devices = List.copyOf(devices);
    this.roles = EnumSet.copyOf(roles);
    this.storageKek = storageKek;
    this.rotation = rotation;
    this.documents = documents;
    this.checkpointEvery = checkpointEvery;
  }

  /** The persisted progress; a campaign never run is RUNNING at device 0. */
  public Progress progress() {
    return documents.get(COLLECTION, id).map(Campaign::read).orElse(new Progress(id, Status.RUNNING, 0, devices.size(), ""));
  }

  /** Runs (or resumes) until every device has its keys delivered or custody fails. */
  public Progress run() {
    int next = progress().nextDevice();
    save(new Progress(id, Status.RUNNING, next, devices.size(), ""));
    try {
      while (next < devices.size()) {
        String device = devices.get(next);
        for (KeyRole role : roles) {
          rotation.rotate(device, role, storageKek);
        }
        next++;
        if (next % checkpointEvery == 0) {
          save(new Progress(id, Status.RUNNING, next, devices.size(), ""));
        }
      }
    } catch (CustodyException e) {
      if (e.reason() != CustodyException.Reason.UNAVAILABLE) {
        save(new Progress(id, Status.RUNNING, next, devices.size(), e.getMessage()));
        throw e;
      }
      return save(new Progress(id, Status.PAUSED_HSM_UNAVAILABLE, next, devices.size(), e.getMessage()));
    }
    return save(new Progress(id, Status.DELIVERED, next, devices.size(), ""));
  }

  private Progress save(Progress p) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", p.id()).put("status", p.status().name()).put("nextDevice", p.nextDevice()).put("devices", p.devices()).put("reason", p.reason());
    documents.put(COLLECTION, id, o.toString());
    return p;
  }

  private static Progress read(String body) {
    try {
      JsonNode o = JSON.readTree(body);
      return new Progress(o.get("id").asText(), Status.valueOf(o.get("status").asText()), o.get("nextDevice").asInt(), o.get("devices").asInt(), o.get("reason").asText());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}

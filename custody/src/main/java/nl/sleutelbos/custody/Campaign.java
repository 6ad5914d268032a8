package nl.sleutelbos.custody;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import nl.sleutelbos.store.DocumentStore;

/**
 * A rotation campaign over a list of devices: for each device, in order, every chosen role is
 * rotated (generated, wrapped for delivery, stored NEW, handed to the channel). Progress — the
 * index of the next device and the status — is a document, written every {@code checkpointEvery}
 * devices and whenever the campaign stops, so a crash or a restart resumes where it was; the
 * devices since the last checkpoint are redone, which {@link Rotation#rotate} makes harmless.
 *
 * <p>Devices run in chunks of {@code checkpointEvery}, spread over {@code workers} threads; the
 * cursor moves past a chunk only when all of it is done, so a stop redoes at most one chunk.
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
  private final int workers;

  public Campaign(String id, List<String> devices, Set<KeyRole> roles, KeyHandle storageKek, Rotation rotation, DocumentStore documents,
      int checkpointEvery, int workers) {
    if (checkpointEvery < 1) {
      throw new IllegalArgumentException("checkpointEvery < 1: " + checkpointEvery);
    }
    if (workers < 1) {
      throw new IllegalArgumentException("workers < 1: " + workers);
    }
    this.workers = workers;
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
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    try {
      while (next < devices.size()) {
        int end = Math.min(devices.size(), next + checkpointEvery);
        List<Future<?>> chunk = new ArrayList<>();
        for (String device : devices.subList(next, end)) {
          chunk.add(pool.submit(() -> {
            for (KeyRole role : roles) {
              rotation.rotate(device, role, storageKek);
            }
          }));
        }
        CustodyException failure = null;
        for (Future<?> f : chunk) {
          try {
            f.get();
          } catch (ExecutionException e) {
            if (!(e.getCause() instanceof CustodyException c)) {
              throw new IllegalStateException("rotation failed", e.getCause());
            }
            failure = failure == null || c.reason() == CustodyException.Reason.UNAVAILABLE ? c : failure;
          }
        }
        if (failure != null) {
          if (failure.reason() != CustodyException.Reason.UNAVAILABLE) {
            save(new Progress(id, Status.RUNNING, next, devices.size(), failure.getMessage()));
            throw failure;
          }
          return save(new Progress(id, Status.PAUSED_HSM_UNAVAILABLE, next, devices.size(), failure.getMessage()));
        }
        next = end;
        save(new Progress(id, Status.RUNNING, next, devices.size(), ""));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return save(new Progress(id, Status.RUNNING, next, devices.size(), "interrupted"));
    } finally {
      pool.shutdownNow();
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

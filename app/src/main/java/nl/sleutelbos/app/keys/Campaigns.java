package nl.sleutelbos.app.keys;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import nl.sleutelbos.custody.Backend;
import nl.sleutelbos.custody.Campaign;
import nl.sleutelbos.custody.KeyHandle;
import nl.sleutelbos.custody.KeyRole;
import nl.sleutelbos.custody.KeyStore;
import nl.sleutelbos.custody.Rotation;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.store.DocumentStore;

/**
 * Rotation campaigns as the control plane runs them: each {@link Campaign} on its own thread,
 * paused and resumed on request. {@link Campaign} keeps the definition and the progress; this keeps
 * only what the operator wants ({@code custody.campaign-wishes}: RUNNING or PAUSED, and who asked),
 * so that a campaign stopped by a shutdown, a crash or a vanished HSM is started again at the next
 * start, and one paused by an operator is not. Progress is shown as a {@code KeyCampaign} entity
 * whenever a campaign starts, pauses or stops.
 */
public final class Campaigns implements AutoCloseable {
  static final String WISHES = "custody.campaign-wishes";
  private static final Logger LOG = Logger.getLogger(Campaigns.class.getName());

  /** What the operator asked for. */
  public enum Wanted { RUNNING, PAUSED }

  private record Wish(Wanted wanted, String requestedBy) {}

  private record Live(Campaign campaign, Thread thread) {}

  private final Rotation rotation;
  private final KeyStore keys;
  private final Backend backend;
  private final KeyEntities view;
  private final DocumentStore documents;
  private final int chunk;
  private final int workers;
  private final Map<String, Live> running = new ConcurrentHashMap<>();

  public Campaigns(Rotation rotation, KeyStore keys, Backend backend, KeyEntities view, DocumentStore documents, int chunk, int workers) {
    this.rotation = rotation;
    this.keys = keys;
    this.backend = backend;
    this.view = view;
    this.documents = documents;
    this.chunk = chunk;
    this.workers = workers;
  }

  /** Starts again every campaign the operator wants running that has not completed. */
  public void resumeInterrupted() {
    for (Campaign.Progress p : Campaign.all(keys)) {
      if (p.status() != Campaign.Status.COMPLETED && wish(p.id()).map(w -> w.wanted() == Wanted.RUNNING).orElse(false)) {
        launch(p.id());
      }
    }
  }

  /** Starts a campaign; returns its id. */
  public String start(Campaign.Selection selection, Set<KeyRole> roles, KeyHandle storageKek, String requestedBy) {
    String id = UUID.randomUUID().toString();
    wish(id, new Wish(Wanted.RUNNING, requestedBy));
    launch(new Campaign(id, selection, roles, storageKek, rotation, chunk, workers));
    return id;
  }

  public boolean exists(String id) {
    return Campaign.definition(keys, id).isPresent() || running.containsKey(id);
  }

  /** Stops the campaign after the chunks in progress; waits for that. */
  public void pause(String id) {
    wish(id, new Wish(Wanted.PAUSED, wish(id).map(Wish::requestedBy).orElse("")));
    Live live = running.get(id);
    if (live != null) {
      stop(live);
    } else {
      rebuild(id).ifPresent(Campaign::pause);
    }
    show(id);
  }

  /** Continues a paused campaign (or one the HSM stopped) from its cursor. */
  public void resume(String id) {
    wish(id, new Wish(Wanted.RUNNING, wish(id).map(Wish::requestedBy).orElse("")));
    launch(id);
  }

  /** Progress as the API and the entity show it. */
  public ObjectNode progress(String id) {
    Live live = running.get(id);
    Campaign.Progress p = live != null ? live.campaign().progress()
        : Campaign.all(keys).stream().filter(x -> x.id().equals(id)).findFirst()
            .orElse(new Campaign.Progress(id, Campaign.Status.RUNNING, "", 0, 0, 0, 0, ""));
    ObjectNode o = Json.object();
    o.put("id", id);
    o.put("status", p.status().name());
    o.put("devicesTotal", p.devicesTotal());
    o.put("devicesDone", p.devicesDone());
    o.put("devicesSkipped", p.devicesSkipped());
    o.put("keysDelivered", p.keysDelivered());
    o.put("reason", p.reason());
    Campaign.definition(keys, id).ifPresent(d -> {
      ArrayNode roles = o.putArray("roles");
      d.roles().stream().sorted().forEach(r -> roles.add(r.name()));
      ObjectNode selection = o.putObject("selection");
      d.selection().supplier().ifPresent(v -> selection.put("supplier", v));
      d.selection().batch().ifPresent(v -> selection.put("batch", v));
      d.selection().region().ifPresent(v -> selection.put("region", v));
      d.selection().provenance().ifPresent(v -> selection.put("provenance", v.name()));
    });
    wish(id).ifPresent(w -> o.put("requestedBy", w.requestedBy()));
    return o;
  }

  private void launch(String id) {
    rebuild(id).ifPresent(this::launch);
  }

  private Optional<Campaign> rebuild(String id) {
    return Campaign.definition(keys, id).map(d -> new Campaign(id, d.selection(), d.roles(),
        new KeyHandle(backend.name(), d.storageKek(), 256), rotation, chunk, workers));
  }

  private synchronized void launch(Campaign campaign) {
    String id = campaign.progress().id();
    if (running.containsKey(id)) {
      return;
    }
    Thread t = Thread.ofVirtual().name("campaign-" + id).unstarted(() -> {
      try {
        campaign.run();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "campaign " + id + " stopped", e);
      } finally {
        running.remove(id);
        try {
          show(id);
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "cannot show campaign " + id, e);
        }
      }
    });
    running.put(id, new Live(campaign, t));
    t.start();
    show(id);
  }

  private void show(String id) {
    view.showCampaign(id, progress(id));
  }

  private Optional<Wish> wish(String id) {
    return documents.get(WISHES, id).map(Json::parseStored)
        .map(o -> new Wish(Wanted.valueOf(o.path("wanted").asText()), o.path("requestedBy").asText()));
  }

  private void wish(String id, Wish w) {
    ObjectNode o = Json.object();
    o.put("wanted", w.wanted().name()).put("requestedBy", w.requestedBy());
    documents.put(WISHES, id, Json.write(o));
  }

  /**
   * Pauses and waits. The request is repeated while the thread lives: a campaign whose thread has
   * not entered {@link Campaign#run} yet would otherwise forget it there.
   */
  private static void stop(Live live) {
    try {
      while (live.thread().isAlive()) {
        live.campaign().pause();
        live.thread().join(200);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Pauses every running campaign (they stay wanted RUNNING, so the next start resumes them). */
  @Override
  public void close() {
    java.util.List<Live> live = java.util.List.copyOf(running.values());
    live.forEach(l -> l.campaign().pause());
    live.forEach(Campaigns::stop);
  }
}

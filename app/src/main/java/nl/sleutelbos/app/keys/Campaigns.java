package nl.sleutelbos.app.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import nl.sleutelbos.custody.Campaign;
import nl.sleutelbos.custody.KeyHandle;
import nl.sleutelbos.custody.KeyRole;
import nl.sleutelbos.custody.Rotation;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.store.DocumentStore;

/**
 * Rotation campaigns as the control plane runs them: each on its own thread, paused on request
 * (the thread is interrupted; {@link Campaign} saves its cursor), resumed on request, and resumed
 * at startup when it was running when Sleutelbos stopped. What a campaign covers (devices, roles,
 * the storage KEK) is a document ({@code custody.campaign-plans}); its progress is
 * {@link Campaign}'s own document, shown as a {@code KeyCampaign} entity.
 */
public final class Campaigns implements AutoCloseable {
  static final String PLANS = "custody.campaign-plans";
  private static final Logger LOG = Logger.getLogger(Campaigns.class.getName());

  /** What the operator asked for: the campaign runs, or it was paused. */
  public enum Wanted { RUNNING, PAUSED }

  public record Plan(String id, List<String> devices, Set<KeyRole> roles, String storageKek, String requestedBy, String selection, Wanted wanted) {}

  private final Rotation rotation;
  private final KeyFleet fleet;
  private final KeyEntities view;
  private final DocumentStore documents;
  private final Clock clock;
  private final int chunk;
  private final int workers;
  private final Map<String, Thread> running = new ConcurrentHashMap<>();

  public Campaigns(Rotation rotation, KeyFleet fleet, KeyEntities view, DocumentStore documents, Clock clock, int chunk, int workers) {
    this.rotation = rotation;
    this.fleet = fleet;
    this.view = view;
    this.documents = documents;
    this.clock = clock;
    this.chunk = chunk;
    this.workers = workers;
  }

  /** Resumes the campaigns that were running when the process stopped. */
  public void resumeInterrupted() {
    for (DocumentStore.Document d : documents.list(PLANS)) {
      Plan plan = read(d.body());
      if (plan.wanted() == Wanted.RUNNING && campaign(plan).progress().status() != Campaign.Status.DELIVERED) {
        launch(plan);
      }
    }
  }

  public Plan start(List<String> devices, Set<KeyRole> roles, KeyHandle storageKek, String requestedBy, String selection) {
    Plan plan = new Plan(UUID.randomUUID().toString(), List.copyOf(devices), EnumSet.copyOf(roles), storageKek.label(), requestedBy, selection, Wanted.RUNNING);
    save(plan);
    show(plan);
    launch(plan);
    return plan;
  }

  public Optional<Plan> plan(String id) {
    return documents.get(PLANS, id).map(Campaigns::read);
  }

  /** Stops the campaign after the devices in flight; its cursor is saved. */
  public Plan pause(Plan plan) {
    Plan paused = with(plan, Wanted.PAUSED);
    save(paused);
    Thread t = running.get(plan.id());
    if (t != null) {
      t.interrupt();
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    show(paused);
    return paused;
  }

  /** Continues a paused campaign (or one the HSM stopped) from its cursor. */
  public Plan resume(Plan plan) {
    Plan resumed = with(plan, Wanted.RUNNING);
    save(resumed);
    launch(resumed);
    return resumed;
  }

  /** Progress as the API and the entity show it. */
  public ObjectNode progress(Plan plan) {
    Campaign.Progress p = campaign(plan).progress();
    ObjectNode o = Json.object();
    o.put("id", plan.id());
    String status = p.status() == Campaign.Status.DELIVERED ? "DELIVERED"
        : plan.wanted() == Wanted.PAUSED ? "PAUSED"
        : running.containsKey(plan.id()) ? "RUNNING" : p.status().name();
    o.put("status", status);
    o.put("devices", p.devices());
    o.put("nextDevice", p.nextDevice());
    ArrayNode roles = o.putArray("roles");
    plan.roles().forEach(r -> roles.add(r.name()));
    o.put("selection", plan.selection());
    o.put("requestedBy", plan.requestedBy());
    o.put("reason", p.reason());
    return o;
  }

  private synchronized void launch(Plan plan) {
    if (running.containsKey(plan.id())) {
      return;
    }
    Thread t = Thread.ofVirtual().name("campaign-" + plan.id()).unstarted(() -> {
      try {
        campaign(plan).run();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "campaign " + plan.id() + " stopped", e);
      } finally {
        running.remove(plan.id());
        try {
          show(plan(plan.id()).orElse(plan));
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "cannot show campaign " + plan.id(), e);
        }
      }
    });
    running.put(plan.id(), t);
    t.start();
  }

  private Campaign campaign(Plan plan) {
    KeyHandle kek = new KeyHandle(fleet.custody().backend().name(), plan.storageKek(), 256);
    return new Campaign(plan.id(), plan.devices(), plan.roles(), kek, rotation, documents, chunk, workers);
  }

  private void show(Plan plan) {
    view.showCampaign(plan.id(), progress(plan));
  }

  private static Plan with(Plan p, Wanted wanted) {
    return new Plan(p.id(), p.devices(), p.roles(), p.storageKek(), p.requestedBy(), p.selection(), wanted);
  }

  private void save(Plan p) {
    ObjectNode o = Json.object();
    o.put("id", p.id()).put("storageKek", p.storageKek()).put("requestedBy", p.requestedBy()).put("selection", p.selection())
        .put("wanted", p.wanted().name());
    ArrayNode d = o.putArray("devices");
    p.devices().forEach(d::add);
    ArrayNode r = o.putArray("roles");
    p.roles().forEach(x -> r.add(x.name()));
    documents.put(PLANS, p.id(), Json.write(o));
  }

  private static Plan read(String body) {
    JsonNode o = Json.parseStored(body);
    List<String> devices = new ArrayList<>();
    o.get("devices").forEach(x -> devices.add(x.asText()));
    Set<KeyRole> roles = EnumSet.noneOf(KeyRole.class);
    o.get("roles").forEach(x -> roles.add(KeyRole.valueOf(x.asText())));
    return new Plan(o.get("id").asText(), devices, roles, o.get("storageKek").asText(), o.get("requestedBy").asText(),
        o.get("selection").asText(), Wanted.valueOf(o.get("wanted").asText()));
  }

  @Override
  public void close() {
    for (Thread t : running.values()) {
      t.interrupt();
    }
    for (Thread t : running.values()) {
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}

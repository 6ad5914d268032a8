package nl.sleutelbos.ngsild.subscription;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.ngsild.context.LdContext;
import nl.sleutelbos.ngsild.entity.Entity;
import nl.sleutelbos.ngsild.entity.EntityWriter;
import nl.sleutelbos.ngsild.entity.View;
import nl.sleutelbos.store.ChangeEvent;
import nl.sleutelbos.store.ChangeFeed;
import nl.sleutelbos.store.EntityStore;
import nl.sleutelbos.store.Selector;
import nl.sleutelbos.store.StoredEntity;

/**
 * Delivers one subscription's notifications, on a virtual thread of its own.
 *
 * <p>It reads the change feed of the subscription's tenant from its durable cursor, collects up to
 * {@link DeliverySettings#batch()} matching changes of one kind into a notification, and sends it
 * until the receiver takes it, waiting longer after each failure. Only then does the cursor move
 * past those changes, and it is saved before the next notification: so every matching change is
 * delivered at least once, in feed order (which is commit order, so per entity too), across
 * receiver outages and restarts. Throttling delays a notification rather than dropping changes:
 * what piles up in the meantime goes out in the next one.
 *
 * <p>A subscription with a timeInterval does not read the feed: every interval it sends the
 * entities that match at that moment (at most {@value #PERIODIC_LIMIT}).
 */
final class Dispatcher {
  private static final Logger LOG = Logger.getLogger(Dispatcher.class.getName());
  static final int PERIODIC_LIMIT = 1000;
  private static final Duration SAVE_SKIPS_EVERY = Duration.ofSeconds(1);

  /** What a dispatcher needs from its surroundings; shared by all dispatchers. */
  record Context(EntityStore store, SubscriptionStore saved, Map<Endpoint.Binding, Notifier> notifiers,
      SubscriptionContexts contexts, Clock clock, DeliverySettings settings) {}

  private final Context ctx;
  private final Semaphore wake = new Semaphore(0);
  private volatile Subscription subscription;
  private volatile SubscriptionFilter filter;
  private volatile DeliveryState state;
  private volatile boolean stopped;
  private Instant lastSave = Instant.EPOCH;
  private boolean wasNotifying = true;
  private Instant nextRound;
  private Thread thread;

  Dispatcher(Context ctx, Subscription subscription, DeliveryState state) {
    this.ctx = ctx;
    this.state = state;
    update(subscription);
  }

  void start() {
    thread = Thread.ofVirtual().name("subscription " + subscription.id()).start(this::run);
  }

  /** Takes a changed subscription; its filter is compiled here so that a bad one fails the caller. */
  void update(Subscription changed) {
    LdContext context = ctx.contexts().resolve(changed.context());
    this.filter = new SubscriptionFilter(changed, context);
    this.subscription = changed;
    wakeUp();
  }

  Subscription subscription() {
    return subscription;
  }

  DeliveryState state() {
    return state;
  }

  /** Whether it reads the feed now, and so holds back trimming at its cursor. */
  boolean readsFeed() {
    Subscription s = subscription;
    return s.timeInterval().isEmpty() && s.notifying(ctx.clock().instant());
  }

  void wakeUp() {
    if (wake.availablePermits() == 0) {
      wake.release();
    }
  }

  /** Stops after the current attempt and saves the cursor; waits for the thread a while. */
  void stop() {
    stopped = true;
    wakeUp();
    if (thread != null) {
      try {
        thread.join(Duration.ofSeconds(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void run() {
    while (!stopped) {
      try {
        step();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "subscription " + subscription.id() + ": dispatch failed; trying again", e);
        await(ctx.settings().poll());
      }
    }
    saveSkips(true);
  }

  private void step() {
    Subscription s = subscription;
    Instant now = ctx.clock().instant();
    boolean notifying = s.notifying(now);
    if (notifying && !wasNotifying) {
      // Paused or expired until now: what happened meanwhile is not notified (clause 5.2.12).
      state = state.skippedTo(ctx.store().feed().latest());
      saveSkips(true);
    }
    wasNotifying = notifying;
    if (!notifying) {
      await(s.expiresAt().isPresent() && now.isBefore(s.expiresAt().get())
          ? min(Duration.between(now, s.expiresAt().get()), ctx.settings().poll()) : ctx.settings().poll());
      return;
    }
    if (s.timeInterval().isPresent()) {
      periodic(s, now);
    } else {
      fromFeed(s, now);
    }
  }

  private void fromFeed(Subscription s, Instant now) {
    ChangeFeed feed = ctx.store().feed();
    long head = feed.latest();
    long cursor = state.cursor();
    List<ChangeFeed.Change> changes = feed.read(s.tenant(), cursor, head, ctx.settings().batch() * 4);
    if (changes.isEmpty()) {
      if (head > cursor) {
        state = state.skippedTo(head);
        saveSkips(false);
      }
      await(ctx.settings().poll());
      return;
    }
    Duration throttle = throttleLeft(s, now);
    if (!throttle.isZero()) {
      await(throttle);
      return;
    }
    SubscriptionFilter f = filter;
    List<Entity> data = new ArrayList<>();
    List<ChangeEvent.Kind> kinds = new ArrayList<>();
    long end = cursor;
    for (ChangeFeed.Change c : changes) {
      Entity entity = Entity.of(new StoredEntity(c.entityId(), c.types(), c.at(), c.at(), c.document()));
      if (matches(f, c, entity)) {
        if (data.size() == ctx.settings().batch() || (!kinds.isEmpty() && kinds.get(0) != c.kind())) {
          break;
        }
        data.add(entity);
        kinds.add(c.kind());
      }
      end = c.sequence();
    }
    if (data.isEmpty()) {
      state = state.skippedTo(end);
      saveSkips(false);
      return;
    }
    deliver(s, kinds.get(0), data, end);
  }

  private boolean matches(SubscriptionFilter f, ChangeFeed.Change c, Entity entity) {
    try {
      return f.matches(c, entity);
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "subscription " + subscription.id() + ": cannot evaluate on " + c.entityId(), e);
      return false;
    }
  }

  private void periodic(Subscription s, Instant now) {
    if (nextRound == null) {
      nextRound = state.lastSuccess().map(t -> t.plus(s.timeInterval().get())).orElse(now);
    }
    if (now.isBefore(nextRound)) {
      await(min(Duration.between(now, nextRound), ctx.settings().poll()));
      return;
    }
    nextRound = now.plus(s.timeInterval().get());
    SubscriptionFilter f = filter;
    Set<String> types = new HashSet<>();
    s.entities().forEach(p -> types.add(p.type()));
    List<Entity> data = new ArrayList<>();
    if (ctx.store().tenantExists(s.tenant())) {
      ctx.store().scan(s.tenant(), new Selector(Set.of(), types, Set.of(), Set.of()), stored -> {
        if (f.selects(stored.id(), stored.types())) {
          Entity entity = Entity.of(stored);
          if (f.state(entity)) {
            data.add(entity);
          }
        }
        return data.size() < PERIODIC_LIMIT;
      });
    }
    if (!data.isEmpty()) { // nothing matches: nothing to say this round
      deliver(s, null, data, state.cursor());
    }
  }

  /** Sends until the receiver takes it, or the subscription stops or changes. */
  private void deliver(Subscription s, ChangeEvent.Kind kind, List<Entity> data, long end) {
    int failures = 0;
    while (!stopped && subscription == s) {
      Instant now = ctx.clock().instant();
      try {
        Notification n = notification(s, kind, data, now);
        Notifier notifier = ctx.notifiers().get(s.notification().endpoint().binding());
        if (notifier == null) {
          throw new Notifier.DeliveryException("no notifier for " + s.notification().endpoint().binding());
        }
        notifier.send(n);
        state = state.delivered(end, now);
        save(s);
        return;
      } catch (Notifier.DeliveryException | RuntimeException e) {
        failures++;
        state = state.failed(now);
        save(s);
        LOG.log(Level.INFO, "subscription " + s.id() + ": notification to " + s.notification().endpoint().redacted()
            + " failed (" + failures + " in a row): " + e.getMessage());
        Instant retryAt = now.plus(ctx.settings().retryAfter(failures));
        // Writes wake us too; only a stop or a changed subscription cuts the wait short.
        while (!stopped && subscription == s && ctx.clock().instant().isBefore(retryAt)) {
          await(Duration.between(ctx.clock().instant(), retryAt));
        }
      }
    }
  }

  private Notification notification(Subscription s, ChangeEvent.Kind kind, List<Entity> data, Instant now) {
    LdContext context = ctx.contexts().resolve(s.context());
    EntityWriter writer = new EntityWriter(context);
    View view = new View(s.notification().format(), false, s.notification().attributes(), null);
    ObjectNode body = Json.object();
    body.put("id", "urn:ngsi-ld:Notification:" + UUID.randomUUID());
    body.put("type", "Notification");
    body.put("subscriptionId", s.id());
    body.put("notifiedAt", now.toString());
    if (kind != null) {
      body.put("triggerReason", switch (kind) {
        case CREATED -> "entityCreated";
        case UPDATED -> "entityUpdated";
        case DELETED -> "entityDeleted";
      });
    }
    ArrayNode array = body.putArray("data");
    for (Entity e : data) {
      if (kind == ChangeEvent.Kind.DELETED) {
        ObjectNode deleted = array.addObject();
        deleted.put("id", e.id());
        deleted.set("type", writer.types(e.document().get("type")));
        deleted.put("deletedAt", e.modifiedAt().toString());
      } else {
        array.add(writer.write(e, view));
      }
    }
    return new Notification(s.tenant(), s.notification().endpoint(), body, s.context(),
        ctx.contexts().linkFor(s.context()));
  }

  private Duration throttleLeft(Subscription s, Instant now) {
    if (s.throttling().isEmpty() || state.lastNotification().isEmpty()) {
      return Duration.ZERO;
    }
    Instant next = state.lastNotification().get().plus(s.throttling().get());
    return now.isBefore(next) ? Duration.between(now, next) : Duration.ZERO;
  }

  private void save(Subscription s) {
    ctx.saved().save(s.tenant(), s.id(), state);
    lastSave = ctx.clock().instant();
  }

  /** Skipping non-matching changes needs no prompt save: redoing the skip after a crash is harmless. */
  private void saveSkips(boolean now) {
    Instant at = ctx.clock().instant();
    if (now || at.isAfter(lastSave.plus(SAVE_SKIPS_EVERY))) {
      save(subscription);
    }
  }

  private void await(Duration d) {
    try {
      if (wake.tryAcquire(Math.max(1, d.toMillis()), TimeUnit.MILLISECONDS)) {
        wake.drainPermits();
      }
    } catch (InterruptedException e) {
      stopped = true;
      Thread.currentThread().interrupt();
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}

package nl.sleutelbos.ngsild.subscription;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import nl.sleutelbos.ngsild.ErrorType;
import nl.sleutelbos.ngsild.NgsiLdException;
import nl.sleutelbos.ngsild.context.LdContext;
import nl.sleutelbos.store.EntityStore;

/**
 * The subscriptions of every tenant (clause 5.8): create, read, update, delete, and one
 * {@link Dispatcher} per subscription that delivers its notifications. Subscriptions and their
 * delivery cursors live in the store, so {@link #start()} after a restart carries on where the
 * last run stopped. The changes of every tenant with subscriptions are put on the change feed
 * by a {@link ChangeIndexer} over the {@link WatchedTenants} this service keeps.
 */
public final class SubscriptionService implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(SubscriptionService.class.getName());
  private static final Duration TRIM_EVERY = Duration.ofSeconds(10);

  private final EntityStore store;
  private final SubscriptionStore saved;
  private final Dispatcher.Context context;
  private final Map<String, Dispatcher> dispatchers = new ConcurrentHashMap<>();
  private final WatchedTenants watched;
  private final Clock clock;
  private AutoCloseable listening;
  private Thread trimmer;
  private volatile boolean closed;

  /** @param watched the tenants whose changes the {@link ChangeIndexer} puts on the feed; this service fills it */
  public SubscriptionService(EntityStore store, WatchedTenants watched, Map<Endpoint.Binding, Notifier> notifiers,
      SubscriptionContexts contexts, Clock clock, DeliverySettings settings) {
    this.store = store;
    this.watched = watched;
    this.saved = new SubscriptionStore(store.documents());
    this.clock = clock;
    this.context = new Dispatcher.Context(store, saved, Map.copyOf(notifiers), contexts, clock, settings);
  }

  /** Loads the stored subscriptions and starts delivering. */
  public void start() {
    for (SubscriptionStore.Saved s : saved.all()) {
      Subscription sub = s.subscription();
      watched.add(sub.tenant());
      DeliveryState state = s.state().orElseGet(() -> DeliveryState.startingAt(store.feed().latest()));
      try {
        Dispatcher d = new Dispatcher(context, sub, state);
        dispatchers.put(SubscriptionStore.key(sub.tenant(), sub.id()), d);
        d.start();
      } catch (RuntimeException e) {
        // Its context may be unreachable now; the subscription stays stored and its tenant on the feed.
        LOG.log(Level.WARNING, "subscription " + sub.id() + " cannot start: " + e.getMessage(), e);
      }
    }
    listening = store.feed().listen(() -> dispatchers.values().forEach(Dispatcher::wakeUp));
    trimmer = Thread.ofVirtual().name("feed trimmer").start(this::trimLoop);
  }

  /** Clause 5.8.1: creates the subscription and starts notifying from now on. */
  public synchronized Subscription create(String tenant, JsonNode body, LdContext ldContext, JsonNode contextValue) {
    Subscription s = new SubscriptionReader(ldContext).read(tenant, body, contextValue, clock.instant());
    String key = SubscriptionStore.key(tenant, s.id());
    if (dispatchers.containsKey(key)) {
      throw new NgsiLdException(ErrorType.ALREADY_EXISTS, "a subscription with id " + s.id() + " exists");
    }
    watched.add(tenant); // before the cursor is taken, so that no write after it misses the feed
    try {
      DeliveryState state = DeliveryState.startingAt(store.feed().latest());
      Dispatcher d = new Dispatcher(context, s, state);
      if (!saved.create(s, state)) {
        throw new NgsiLdException(ErrorType.ALREADY_EXISTS, "a subscription with id " + s.id() + " exists");
      }
      dispatchers.put(key, d);
      d.start();
      return s;
    } catch (RuntimeException e) {
      watched.remove(tenant);
      throw e;
    }
  }

  /** Clause 5.8.3. */
  public Subscription get(String tenant, String id) {
    return dispatcher(tenant, id).subscription();
  }

  public DeliveryState state(String tenant, String id) {
    return dispatcher(tenant, id).state();
  }

  /** Clause 5.8.4: the tenant's subscriptions, by id. */
  public List<Subscription> list(String tenant) {
    return dispatchers.values().stream().map(Dispatcher::subscription).filter(s -> s.tenant().equals(tenant))
        .sorted(Comparator.comparing(Subscription::id)).toList();
  }

  /**
   * Clause 5.8.2: the fragment's members replace the subscription's; {@code notification} is merged
   * member by member. The result is checked as a whole, like a new subscription.
   */
  public synchronized Subscription update(String tenant, String id, JsonNode fragment, LdContext ldContext) {
    Dispatcher d = dispatcher(tenant, id);
    if (!(fragment instanceof ObjectNode patch) || patch.isEmpty()) {
      throw NgsiLdException.badRequest("a subscription update must be a non-empty JSON object");
    }
    if (patch.has("id") && !id.equals(patch.get("id").asText())) {
      throw NgsiLdException.badRequest("the id of a subscription cannot change: " + patch.get("id"));
    }
    Subscription current = d.subscription();
    ObjectNode merged = new SubscriptionWriter(ldContext).write(current, Optional.empty(), clock.instant());
    patch.fields().forEachRemaining(member -> {
      if (member.getKey().equals("notification") && member.getValue() instanceof ObjectNode n
          && merged.get("notification") instanceof ObjectNode existing) {
        existing.setAll(n);
      } else {
        merged.set(member.getKey(), member.getValue());
      }
    });
    Subscription changed = new SubscriptionReader(ldContext)
        .read(tenant, merged, current.context(), current.createdAt(), clock.instant());
    d.update(changed);
    saved.update(changed);
    return changed;
  }

  /** Clause 5.8.5. */
  public synchronized void delete(String tenant, String id) {
    Dispatcher d = dispatcher(tenant, id);
    d.stop();
    dispatchers.remove(SubscriptionStore.key(tenant, id));
    saved.delete(tenant, id);
    watched.remove(tenant);
  }

  private Dispatcher dispatcher(String tenant, String id) {
    Dispatcher d = dispatchers.get(SubscriptionStore.key(tenant, id));
    if (d == null) {
      throw NgsiLdException.notFound("no subscription with id " + id);
    }
    return d;
  }

  /**
   * Trims the feed up to the lowest cursor of the subscriptions that read it. Those that do not
   * read it now (paused, expired, periodic) skip to the head when they start reading again.
   */
  void trim() {
    long head = store.feed().latest();
    long upTo = dispatchers.values().stream().filter(Dispatcher::readsFeed).mapToLong(d -> d.state().cursor())
        .min().orElse(head);
    if (upTo > 0) {
      store.feed().trim(Math.min(upTo, head));
    }
  }

  private void trimLoop() {
    while (!closed) {
      try {
        Thread.sleep(TRIM_EVERY);
        trim();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "trimming the change feed failed", e);
      }
    }
  }

  /** Stops every dispatcher; each saves its cursor. */
  @Override
  public void close() {
    closed = true;
    if (trimmer != null) {
      trimmer.interrupt();
    }
    if (listening != null) {
      try {
        listening.close();
      } catch (Exception e) {
        LOG.log(Level.FINE, "closing the feed listener", e);
      }
    }
    dispatchers.values().forEach(Dispatcher::stop);
  }
}

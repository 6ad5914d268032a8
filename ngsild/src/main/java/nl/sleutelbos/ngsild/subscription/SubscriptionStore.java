package nl.sleutelbos.ngsild.subscription;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import nl.sleutelbos.store.DocumentStore;

/**
 * Subscriptions and their delivery states in the store's document collections, so that both
 * survive a restart. Keys are the tenant and the id joined by a newline, which neither holds.
 */
final class SubscriptionStore {
  private static final String SUBSCRIPTIONS = "ngsi-ld.subscriptions";
  private static final String STATES = "ngsi-ld.subscription-states";

  record Saved(Subscription subscription, Optional<DeliveryState> state) {}

  private final DocumentStore documents;

  SubscriptionStore(DocumentStore documents) {
    this.documents = documents;
  }

  static String key(String tenant, String id) {
    return tenant + "\n" + id;
  }

  /** Stores a new subscription; false if its id is taken in its tenant. */
  boolean create(Subscription s, DeliveryState state) {
    if (!documents.putIfAbsent(SUBSCRIPTIONS, key(s.tenant(), s.id()), SubscriptionCodec.write(s))) {
      return false;
    }
    save(s.tenant(), s.id(), state);
    return true;
  }

  void update(Subscription s) {
    documents.put(SUBSCRIPTIONS, key(s.tenant(), s.id()), SubscriptionCodec.write(s));
  }

  void save(String tenant, String id, DeliveryState state) {
    documents.put(STATES, key(tenant, id), SubscriptionCodec.write(state));
  }

  /** Deletes the subscription, then its state; false if there was none. */
  boolean delete(String tenant, String id) {
    boolean existed = documents.delete(SUBSCRIPTIONS, key(tenant, id));
    documents.delete(STATES, key(tenant, id));
    return existed;
  }

  List<Saved> all() {
    Map<String, DeliveryState> states = new HashMap<>();
    for (DocumentStore.Document d : documents.list(STATES)) {
      states.put(d.key(), SubscriptionCodec.readState(d.body()));
    }
    List<Saved> all = new ArrayList<>();
    for (DocumentStore.Document d : documents.list(SUBSCRIPTIONS)) {
      all.add(new Saved(SubscriptionCodec.read(d.body()), Optional.ofNullable(states.get(d.key()))));
    }
    return all;
  }
}

package nl.sleutelbos.app.notify;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.store.DocumentStore;

/**
 * The attributes each subscription's notifications must not carry: what the PEP's permit hid from
 * the subject that created (or changed) the subscription. Notifications leave long after that
 * request, through the dispatcher, so the obligation is kept here, durably, and fulfilled by
 * {@link RedactingNotifier} on every notification. Recorded before the subscription exists, so no
 * notification can go out unredacted. Thread-safe.
 */
public final class WithheldAttributes {
  private static final String COLLECTION = "subscription-withheld";

  private final DocumentStore documents;
  private final Map<String, Set<String>> cache = new ConcurrentHashMap<>();

  public WithheldAttributes(DocumentStore documents) {
    this.documents = requireNonNull(documents, "documents is null");
  }

  /**
   * Records what a new subscription withholds; false (and nothing changed) when a record for this
   * id exists already, which means the subscription does too.
   */
  public boolean recordNew(String tenant, String subscriptionId, Set<String> attributes) {
    boolean fresh = documents.putIfAbsent(COLLECTION, key(tenant, subscriptionId), encode(attributes));
    if (fresh) {
      cache.put(key(tenant, subscriptionId), Set.copyOf(attributes));
    }
    return fresh;
  }

  /** Adds to what a subscription withholds: a change by another subject never widens what it is told. */
  public void add(String tenant, String subscriptionId, Set<String> attributes) {
    Set<String> all = new TreeSet<>(of(tenant, subscriptionId));
    if (all.addAll(attributes)) {
      documents.put(COLLECTION, key(tenant, subscriptionId), encode(all));
      cache.put(key(tenant, subscriptionId), Set.copyOf(all));
    }
  }

  public void forget(String tenant, String subscriptionId) {
    documents.delete(COLLECTION, key(tenant, subscriptionId));
    cache.remove(key(tenant, subscriptionId));
  }

  /** What the subscription's notifications must not carry (terms of the default vocabulary). */
  public Set<String> of(String tenant, String subscriptionId) {
    return cache.computeIfAbsent(key(tenant, subscriptionId), k -> documents.get(COLLECTION, k)
        .map(WithheldAttributes::decode).orElse(Set.of()));
  }

  private static String key(String tenant, String id) {
    return tenant + "\n" + id;
  }

  private static String encode(Set<String> attributes) {
    ObjectNode record = Json.object();
    ArrayNode array = record.putArray("attributes");
    new TreeSet<>(attributes).forEach(array::add);
    return Json.write(record);
  }

  private static Set<String> decode(String body) {
    Set<String> out = new TreeSet<>();
    for (JsonNode a : Json.parseStored(body).path("attributes")) {
      out.add(a.asText());
    }
    return Set.copyOf(out);
  }
}

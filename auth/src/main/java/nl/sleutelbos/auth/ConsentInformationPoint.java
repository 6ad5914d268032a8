package nl.sleutelbos.auth;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import nl.sleutelbos.ngsild.entity.EntityIndexer;
import nl.sleutelbos.store.EntityStore;
import nl.sleutelbos.store.Selector;

/**
 * The policy information point for consent: finds the consent a household gave an organisation
 * for a purpose, from the {@code Consent} entities in the store, behind a cache of each
 * connection's consents.
 *
 * <p>Revocation must take effect on the next request, so the cache is dropped whenever a
 * {@code Consent} entity changes, twice: by {@link #indexer()} inside the write's transaction and
 * again after the commit (register {@link #afterCommit()} with the store's change feed). A look-up
 * only caches what it read if no invalidation happened while it read, so a load that raced with
 * a consent write can not put the old state back. Policy changes drop it as well.
 */
public final class ConsentInformationPoint {
  private record Key(String tenant, String connection) {}

  private final EntityStore store;
  private final ConcurrentHashMap<Key, List<Consent>> cache = new ConcurrentHashMap<>();
  private final AtomicLong generation = new AtomicLong();
  private final AtomicBoolean consentWritten = new AtomicBoolean();

  public ConsentInformationPoint(EntityStore store) {
    this.store = requireNonNull(store, "store is null");
  }

  /** The consent that lets {@code grantee} read {@code connection}'s data for {@code purpose} at {@code at}. */
  public Optional<Consent> find(String tenant, String connection, String grantee, String purpose, Instant at) {
    for (Consent consent : consents(tenant, connection)) {
      if (consent.grants(grantee, purpose, at)) {
        return Optional.of(consent);
      }
    }
    return Optional.empty();
  }

  /** Every consent recorded for the connection, valid or not. */
  public List<Consent> consents(String tenant, String connection) {
    Key key = new Key(tenant, connection);
    List<Consent> cached = cache.get(key);
    if (cached != null) {
      return cached;
    }
    long before = generation.get();
    List<Consent> loaded = load(tenant, connection);
    if (generation.get() == before) {
      cache.put(key, loaded);
    }
    return loaded;
  }

  private List<Consent> load(String tenant, String connection) {
    List<Consent> found = new ArrayList<>();
    // The fragment is a hint that lets a backend skip other connections' consents; the check below decides.
    Selector selector = new Selector(Set.of(), Set.of(Consent.TYPE), Set.of(), Set.of("\"" + connection + "\""));
    store.scan(tenant, selector, stored -> {
      Consent.from(stored).filter(c -> c.connection().equals(connection)).ifPresent(found::add);
      return true;
    });
    return List.copyOf(found);
  }

  /** Drops everything cached; the next look-up reads the store. */
  public void invalidate() {
    generation.incrementAndGet();
    cache.clear();
  }

  /** Invalidates the cache inside every write that creates, changes or deletes a {@code Consent}. */
  public EntityIndexer indexer() {
    return (tenant, write, derived) -> {
      boolean consent = write.before().map(e -> e.types().contains(Consent.TYPE)).orElse(false)
          || write.after().map(e -> e.types().contains(Consent.TYPE)).orElse(false);
      if (consent) {
        consentWritten.set(true);
        invalidate();
      }
      return derived;
    };
  }

  /** Run after each commit (the change feed's listener): invalidates again if a consent was written. */
  public Runnable afterCommit() {
    return () -> {
      if (consentWritten.getAndSet(false)) {
        invalidate();
      }
    };
  }
}

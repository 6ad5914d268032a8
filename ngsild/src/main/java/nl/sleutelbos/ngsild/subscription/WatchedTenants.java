package nl.sleutelbos.ngsild.subscription;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The tenants that have subscriptions, and so whose changes go on the change feed. Shared by the
 * {@link ChangeIndexer}, which asks, and the {@link SubscriptionService}, which counts.
 */
public final class WatchedTenants implements Predicate<String> {
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

  @Override
  public boolean test(String tenant) {
    AtomicInteger n = counts.get(tenant);
    return n != null && n.get() > 0;
  }

  void add(String tenant) {
    counts.computeIfAbsent(tenant, t -> new AtomicInteger()).incrementAndGet();
  }

  void remove(String tenant) {
    counts.computeIfAbsent(tenant, t -> new AtomicInteger()).decrementAndGet();
  }
}

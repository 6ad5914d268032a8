package nl.sleutelbos.ngsild.subscription;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How the dispatchers deliver.
 *
 * @param firstRetry the wait after a first failed attempt; it doubles after each further failure
 * @param maxRetry the longest wait between two attempts
 * @param poll how often a dispatcher looks at the feed without a wake-up (writes by another node)
 * @param batch the most changes in one notification
 * @param timeout how long one attempt may take before it counts as failed
 */
public record DeliverySettings(Duration firstRetry, Duration maxRetry, Duration poll, int batch, Duration timeout) {
  public static final DeliverySettings DEFAULT =
      new DeliverySettings(Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(1), 100,
          Duration.ofSeconds(10));

  public DeliverySettings {
    requireNonNull(firstRetry, "firstRetry is null");
    requireNonNull(maxRetry, "maxRetry is null");
    requireNonNull(poll, "poll is null");
    requireNonNull(timeout, "timeout is null");
    if (firstRetry.isNegative() || firstRetry.isZero() || maxRetry.compareTo(firstRetry) < 0) {
      throw new IllegalArgumentException("retry waits must be 0 < firstRetry <= maxRetry: " + firstRetry + ", " + maxRetry);
    }
    if (batch < 1) {
      throw new IllegalArgumentException("batch < 1: " + batch);
    }
  }

  /** The wait before attempt {@code failures + 1}, after {@code failures} failures in a row. */
  public Duration retryAfter(int failures) {
    long millis = firstRetry.toMillis() << Math.min(Math.max(failures - 1, 0), 20);
    return Duration.ofMillis(Math.min(millis, maxRetry.toMillis()));
  }
}

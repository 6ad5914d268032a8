package nl.sleutelbos.ngsild.subscription;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * How far a subscription's notifications have got, kept durably beside the subscription: the
 * feed position up to which every matching change was delivered, and the counters of clause
 * 5.2.14 ({@code timesSent}, {@code lastNotification}, {@code lastSuccess}, {@code lastFailure}).
 *
 * @param cursor the feed sequence up to which every change was delivered or did not match
 * @param failing whether the last attempt failed (the {@code status} member: "failed" or "ok")
 */
public record DeliveryState(long cursor, long timesSent, long timesFailed, Optional<Instant> lastNotification,
    Optional<Instant> lastSuccess, Optional<Instant> lastFailure, boolean failing) {
  public DeliveryState {
    requireNonNull(lastNotification, "lastNotification is null");
    requireNonNull(lastSuccess, "lastSuccess is null");
    requireNonNull(lastFailure, "lastFailure is null");
  }

  /** A fresh subscription that starts reading the feed after {@code cursor}. */
  public static DeliveryState startingAt(long cursor) {
    return new DeliveryState(cursor, 0, 0, Optional.empty(), Optional.empty(), Optional.empty(), false);
  }

  /** A notification was delivered; every change up to {@code cursor} is done. */
  public DeliveryState delivered(long cursor, Instant at) {
    return new DeliveryState(cursor, timesSent + 1, timesFailed, Optional.of(at), Optional.of(at), lastFailure, false);
  }

  /** A notification failed; it will be sent again. */
  public DeliveryState failed(Instant at) {
    return new DeliveryState(cursor, timesSent + 1, timesFailed + 1, Optional.of(at), lastSuccess, Optional.of(at),
        true);
  }

  /** The cursor moved past changes that did not match: nothing was sent. */
  public DeliveryState skippedTo(long cursor) {
    return new DeliveryState(cursor, timesSent, timesFailed, lastNotification, lastSuccess, lastFailure, failing);
  }
}

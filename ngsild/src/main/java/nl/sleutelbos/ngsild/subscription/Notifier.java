package nl.sleutelbos.ngsild.subscription;

/**
 * Sends notifications over one binding (HTTP, MQTT). Implementations are thread-safe.
 */
public interface Notifier extends AutoCloseable {

  /**
   * Sends the notification and returns once the receiver has taken it: an HTTP 2xx answer, an
   * MQTT acknowledgement for QoS 1 and 2, the write to the broker for QoS 0.
   *
   * @throws DeliveryException if it was not taken; the dispatcher will send it again
   */
  void send(Notification notification) throws DeliveryException;

  @Override
  default void close() {}

  /** A notification the receiver did not take. The message says why, for the log. */
  final class DeliveryException extends Exception {
    public DeliveryException(String message) {
      super(message);
    }

    public DeliveryException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}

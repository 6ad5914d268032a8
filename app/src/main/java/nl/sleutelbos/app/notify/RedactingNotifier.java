package nl.sleutelbos.app.notify;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;
import nl.sleutelbos.auth.Verdict;
import nl.sleutelbos.ngsild.subscription.Notification;
import nl.sleutelbos.ngsild.subscription.Notifier;

/**
 * Fulfils, on every notification, the obligation the PEP attached when the subscription was made:
 * the attributes its subject may not see are taken out of each notified entity before the
 * notification leaves, whatever binding carries it.
 */
public final class RedactingNotifier implements Notifier {
  private final Notifier inner;
  private final WithheldAttributes withheld;

  public RedactingNotifier(Notifier inner, WithheldAttributes withheld) {
    this.inner = requireNonNull(inner, "inner is null");
    this.withheld = requireNonNull(withheld, "withheld is null");
  }

  @Override
  public void send(Notification notification) throws DeliveryException {
    Set<String> removed = withheld.of(notification.tenant(), notification.body().path("subscriptionId").asText());
    if (removed.isEmpty()) {
      inner.send(notification);
      return;
    }
    ObjectNode body = notification.body().deepCopy(); // the dispatcher may send it again
    for (JsonNode entity : body.path("data")) {
      if (entity instanceof ObjectNode object) {
        Verdict.Permit.redact(object, removed);
      }
    }
    inner.send(new Notification(notification.tenant(), notification.endpoint(), body, notification.context(),
        notification.contextLink()));
  }

  @Override
  public void close() {
    inner.close();
  }
}

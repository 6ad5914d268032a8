package nl.sleutelbos.ngsild.subscription;

import static java.util.Objects.requireNonNull;

import java.util.Set;
import nl.sleutelbos.ngsild.entity.Format;

/**
 * What each notification of a subscription carries and where it goes (clause 5.2.14
 * NotificationParams).
 *
 * @param attributes the expanded names of the attributes to include; empty includes all
 * @param format how the entities are represented
 * @param endpoint the receiver
 */
public record NotificationParams(Set<String> attributes, Format format, Endpoint endpoint) {
  public NotificationParams {
    attributes = Set.copyOf(attributes);
    requireNonNull(format, "format is null");
    requireNonNull(endpoint, "endpoint is null");
  }
}

package nl.sleutelbos.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import nl.sleutelbos.auth.Verdict;
import nl.sleutelbos.ngsild.ErrorType;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.ngsild.NgsiLdException;
import nl.sleutelbos.ngsild.context.CoreContext;
import nl.sleutelbos.ngsild.query.Query;

/**
 * What a subscription asks to be told, read from a create or update body for the PEP. A
 * subscription is a standing query whose answers (the notifications) leave through the
 * dispatcher, long after the request. So it is decided on the entity types it names; a permit
 * that hides attributes is fulfilled by refusing filters on them here and by redacting every
 * notification on its way out ({@code RedactingNotifier}).
 *
 * @param types the entity types of the {@code entities} selectors, empty when none names one
 * @param filtered the attributes named by {@code q} and {@code watchedAttributes}
 * @param untyped whether it names no entities and so watches entities of every type
 */
record SubscriptionTerms(Set<String> types, Set<String> filtered, boolean untyped) {
  SubscriptionTerms {
    types = Set.copyOf(types);
    filtered = Set.copyOf(filtered);
  }

  /** Whether the route creates or changes a subscription (and so has a body to read). */
  static boolean writes(Route route) {
    return route.template().startsWith("/subscriptions")
        && (route.method().equals("POST") || route.method().equals("PATCH"));
  }

  /** The terms of the request's body; empty when it does not parse (the route answers that 400). */
  static Optional<SubscriptionTerms> of(Exchange ex) {
    JsonNode body;
    try {
      body = Json.parseClient(ex.body());
    } catch (NgsiLdException e) {
      return Optional.empty();
    }
    Set<String> types = new LinkedHashSet<>();
    for (JsonNode selector : body.path("entities")) {
      if (selector.path("type").isTextual()) {
        types.addAll(List.of(selector.path("type").asText().split("[,;|()]")));
      }
    }
    types.removeIf(String::isBlank);
    Set<String> filtered = new LinkedHashSet<>();
    body.path("watchedAttributes").forEach(a -> filtered.add(a.asText()));
    if (body.path("q").isTextual()) {
      try {
        Query.parse(body.path("q").asText()).mapAttributes(name -> {
          filtered.add(name);
          return name;
        });
      } catch (RuntimeException e) {
        // the route answers the malformed q
      }
    }
    // Without entity selectors a subscription watches attributes on every type (clause 5.2.12).
    boolean untyped = body.path("entities").isEmpty() && !body.path("watchedAttributes").isEmpty();
    return Optional.of(new SubscriptionTerms(types, filtered, untyped));
  }

  /**
   * Refuses a subscription that filters or watches on an attribute the permit hides: which
   * entities trigger a notification would tell its values. (The notifications themselves are
   * redacted on the way out, see {@code RedactingNotifier}.)
   */
  void fulfil(Verdict.Permit permit) {
    Set<String> hidden = permit.removedAttributes();
    if (hidden.isEmpty()) {
      return;
    }
    for (String name : filtered) {
      if (hidden.contains(term(name))) {
        throw new NgsiLdException(ErrorType.FORBIDDEN, "the subscription filters or watches on '" + term(name)
            + "', which this subject may not see");
      }
    }
  }

  private static String term(String name) {
    return name.startsWith(CoreContext.DEFAULT_VOCAB) ? name.substring(CoreContext.DEFAULT_VOCAB.length()) : name;
  }
}

package nl.sleutelbos.ngsild.subscription;

import com.fasterxml.jackson.databind.JsonNode;
import nl.sleutelbos.ngsild.context.LdContext;

/** Where subscriptions get their compiled @context from, and the URL a Link header names it by. */
public interface SubscriptionContexts {
  /**
   * The compiled context of a subscription's @context value.
   *
   * @throws nl.sleutelbos.ngsild.NgsiLdException LdContextNotAvailable when a remote context cannot be fetched
   */
  LdContext resolve(JsonNode contextValue);

  /** A URL under which the context can be fetched. */
  String linkFor(JsonNode contextValue);
}

package nl.sleutelbos.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import nl.sleutelbos.ngsild.context.LdContext;

/** Where the NGSI-LD routes get compiled JSON-LD contexts from. */
public interface ContextSource {
  /** The core context alone. */
  LdContext core();

  /** The URL the core context is known by. */
  String coreUrl();

  /**
   * The compiled context for an {@code @context} value: a URL (text), an inline object, or an
   * array of both. The core context is always applied last.
   */
  LdContext resolve(JsonNode contextValue);

  /** A URL under which the given @context can be fetched, for a Link header of a JSON answer. */
  String linkFor(JsonNode contextValue);
}

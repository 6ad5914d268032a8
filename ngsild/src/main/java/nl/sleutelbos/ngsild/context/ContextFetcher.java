package nl.sleutelbos.ngsild.context;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Downloads a JSON document from the network. {@link HttpContextFetcher} is the real one; tests
 * substitute their own to count and script fetches. Implementations are thread-safe.
 */
@FunctionalInterface
public interface ContextFetcher {

  /**
   * Returns the JSON document at {@code url}, whatever its shape; checking that it is a JSON-LD
   * context document is the caller's business.
   *
   * @throws nl.sleutelbos.ngsild.NgsiLdException of type {@code LdContextNotAvailable} naming the
   *     URL and the reason if the document cannot be downloaded or is not JSON
   */
  JsonNode fetch(String url);
}

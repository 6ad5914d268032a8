package nl.sleutelbos.app.http;

import static java.util.Objects.requireNonNull;

import java.util.Set;

/**
 * One HTTP route: a method, a path template whose {@code {name}} segments capture one
 * percent-decoded segment each, the query parameters it accepts, and its handler.
 *
 * @param family what the route belongs to ("ngsi-ld", later "control-plane", ...), for the PEP
 *     and the audit coverage test
 */
public record Route(String method, String template, Set<String> parameters, String family, Handler handler) {
  /** Handles one exchange; throws {@code NgsiLdException} for client errors. */
  @FunctionalInterface
  public interface Handler {
    void handle(Exchange exchange) throws Exception;
  }

  public Route {
    requireNonNull(method, "method is null");
    requireNonNull(template, "template is null");
    parameters = Set.copyOf(parameters);
    requireNonNull(family, "family is null");
    requireNonNull(handler, "handler is null");
  }
}

package nl.sleutelbos.ngsild.subscription;

import com.fasterxml.jackson.databind.node.ObjectNode;
import nl.sleutelbos.ngsild.NgsiLdException;
import nl.sleutelbos.ngsild.entity.Entity;

/**
 * Turns a subscription's {@code geoQ} (clause 5.2.13) into a test on entities. The geo module
 * supplies the real one; until it is wired, {@link #NOT_YET} refuses every geoQ so that no
 * subscription silently ignores its geo-query.
 */
public interface GeoQueries {

  /** A compiled geo-query. */
  interface Matcher {
    boolean matches(Entity entity);
  }

  /**
   * Parses and checks the geoQ.
   *
   * @throws NgsiLdException BadRequestData for a geoQ that is not valid
   */
  Matcher compile(ObjectNode geoQ);

  GeoQueries NOT_YET = geoQ -> {
    throw NgsiLdException.badRequest("geoQ in subscriptions is not supported yet");
  };
}

package nl.sleutelbos.app.http;

import java.util.List;
import java.util.Set;
import nl.sleutelbos.identity.Identity;
import nl.sleutelbos.ngsild.Json;

/** The issuer's public metadata under {@code /.well-known}: the discovery document and the JWKS. */
public final class WellKnownRoutes {
  public static final String PREFIX = "/.well-known";

  private final Identity identity;

  public WellKnownRoutes(Identity identity) {
    this.identity = identity;
  }

  public List<Route> routes() {
    return List.of(
        new Route("GET", "/openid-configuration", Set.of(), TokenRoutes.FAMILY,
            ex -> ex.sendJson(200, "application/json", identity.discovery())),
        new Route("GET", "/jwks.json", Set.of(), TokenRoutes.FAMILY, ex -> {
          // Verifiers cache this; a short max-age lets a rotation reach them within a minute.
          ex.header("Cache-Control", "public, max-age=60");
          ex.sendJson(200, "application/json", Json.parseStored(identity.keys().published().toString(true)));
        }));
  }
}

package nl.sleutelbos.app;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import nl.sleutelbos.app.http.CatalogRoutes;
import nl.sleutelbos.app.http.ContextSource;
import nl.sleutelbos.app.http.CoreOnlyContexts;
import nl.sleutelbos.app.http.HttpApi;
import nl.sleutelbos.app.http.NgsiLdRoutes;
import nl.sleutelbos.app.http.Problems;
import nl.sleutelbos.app.http.Route;
import nl.sleutelbos.app.http.Router;
import nl.sleutelbos.ngsild.entity.EntityService;
import nl.sleutelbos.store.EntityStore;
import nl.sleutelbos.store.Stores;

/**
 * The composition root: opens the store, builds the services and the routes, and starts the
 * HTTP server. Everything is wired here by hand, in the order it depends on each other.
 */
public final class Sleutelbos implements AutoCloseable {
  public static final String NGSI_LD_PREFIX = "/ngsi-ld/v1";

  private final EntityStore store;
  private final HttpApi http;
  private final Router ngsiLd;

  private Sleutelbos(EntityStore store, HttpApi http, Router ngsiLd) {
    this.store = store;
    this.http = http;
    this.ngsiLd = ngsiLd;
  }

  public static Sleutelbos start(Settings settings) {
    EntityStore store = Stores.open(settings.store());
    try {
      EntityService entities = new EntityService(store, Clock.systemUTC());
      ContextSource contexts = new CoreOnlyContexts();
      List<Route> routes = new ArrayList<>();
      routes.addAll(new NgsiLdRoutes(entities, contexts).routes());
      routes.addAll(new CatalogRoutes(entities, contexts).routes());
      Router ngsiLd = new Router(NGSI_LD_PREFIX, routes, new Problems());
      HttpApi http = HttpApi.start(settings.host(), settings.port(), settings.maxBodyBytes(), List.of(ngsiLd));
      return new Sleutelbos(store, http, ngsiLd);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  public int port() {
    return http.port();
  }

  public EntityStore store() {
    return store;
  }

  /** Every route the server answers, for documentation and coverage tests. */
  public List<Route> routes() {
    return ngsiLd.routes();
  }

  @Override
  public void close() {
    http.close();
    store.close();
  }
}

package nl.sleutelbos.app;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nl.sleutelbos.app.audit.AuditEntities;
import nl.sleutelbos.app.http.AuditRoutes;
import nl.sleutelbos.app.http.AuditTrail;
import nl.sleutelbos.app.http.BearerGate;
import nl.sleutelbos.app.http.CatalogRoutes;
import nl.sleutelbos.app.http.ClientRoutes;
import nl.sleutelbos.app.http.ContextRoutes;
import nl.sleutelbos.app.http.HttpApi;
import nl.sleutelbos.app.http.IngestRoutes;
import nl.sleutelbos.app.http.JsonLdContexts;
import nl.sleutelbos.app.http.NgsiLdRoutes;
import nl.sleutelbos.app.http.PolicyGuard;
import nl.sleutelbos.app.http.PolicyRoutes;
import nl.sleutelbos.app.http.Problems;
import nl.sleutelbos.app.http.RetentionRoutes;
import nl.sleutelbos.app.http.Route;
import nl.sleutelbos.app.http.Router;
import nl.sleutelbos.app.http.SubscriptionRoutes;
import nl.sleutelbos.app.http.TemporalRoutes;
import nl.sleutelbos.app.http.TokenRoutes;
import nl.sleutelbos.app.http.WellKnownRoutes;
import nl.sleutelbos.app.ingest.Ingest;
import nl.sleutelbos.app.ingest.MqttIngest;
import nl.sleutelbos.app.notify.HttpNotifier;
import nl.sleutelbos.app.notify.MqttNotifier;
import nl.sleutelbos.app.notify.RedactingNotifier;
import nl.sleutelbos.app.notify.WithheldAttributes;
import nl.sleutelbos.auth.ConsentInformationPoint;
import nl.sleutelbos.auth.EnforcementPoint;
import nl.sleutelbos.auth.PolicyAdministration;
import nl.sleutelbos.auth.PolicyStore;
import nl.sleutelbos.custody.KeyCustody;
import nl.sleutelbos.identity.Identity;
import nl.sleutelbos.ngsild.context.ContextRegistry;
import nl.sleutelbos.ngsild.context.HttpContextFetcher;
import nl.sleutelbos.ngsild.entity.EntityIndexer;
import nl.sleutelbos.ngsild.entity.EntityService;
import nl.sleutelbos.ngsild.subscription.ChangeIndexer;
import nl.sleutelbos.ngsild.subscription.Endpoint;
import nl.sleutelbos.ngsild.subscription.SubscriptionService;
import nl.sleutelbos.ngsild.subscription.WatchedTenants;
import nl.sleutelbos.ngsild.temporal.HistoryIndexer;
import nl.sleutelbos.ngsild.temporal.Retention;
import nl.sleutelbos.ngsild.temporal.TemporalService;
import nl.sleutelbos.store.EntityStore;
import nl.sleutelbos.store.Stores;

/**
 * The composition root: opens the store, builds the services and the routes, and starts the
 * HTTP server. Everything is wired here by hand, in the order it depends on each other.
 */
public final class Sleutelbos implements AutoCloseable {
  public static final String NGSI_LD_PREFIX = "/ngsi-ld/v1";
  /** Sleutelbos's own control-plane API: retention, policies, keys, audit, ingest. */
  public static final String CONTROL_PREFIX = "/sleutelbos/v1";

  private final EntityStore store;
  private final Ingest ingest;
  private final DeviceAccess devices;
  private final HttpApi http;
  private final List<Router> routers;
  /** Closed after the HTTP server and before the store, last opened first. */
  private final List<AutoCloseable> services;

  /** What the MQTT ingest needs to admit devices: their tokens' verifier and the policy. */
  private record DeviceAccess(nl.sleutelbos.identity.Authenticator authenticator, EnforcementPoint pep, Clock clock) {}

  private Sleutelbos(EntityStore store, Ingest ingest, DeviceAccess devices, HttpApi http, List<Router> routers,
      List<AutoCloseable> services) {
    this.store = store;
    this.ingest = ingest;
    this.devices = devices;
    this.http = http;
    this.routers = routers;
    this.services = services;
  }

  public static Sleutelbos start(Settings settings) {
    EntityStore store = Stores.open(settings.store());
    List<AutoCloseable> services = new ArrayList<>();
    try {
      Clock clock = Clock.systemUTC();
      HttpApi http = HttpApi.start(settings.host(), settings.port(), settings.maxBodyBytes());
      try {
        String publicUrl = settings.publicUrl() != null ? settings.publicUrl() : "http://localhost:" + http.port();
        // Indexers derive data (geo extents, history, change events) inside each write's
        // transaction; each feature adds its own here.
        List<EntityIndexer> indexers = new ArrayList<>();
        indexers.add(new nl.sleutelbos.ngsild.geo.GeoIndexer());
        indexers.add(new HistoryIndexer());
        // Meter readings: their own store; the temporal view and validation read them from there.
        nl.sleutelbos.app.ingest.DeviceWrites deviceWrites = new nl.sleutelbos.app.ingest.DeviceWrites();
        indexers.add(deviceWrites);
        nl.sleutelbos.store.History history = new nl.sleutelbos.app.ingest.ReadingHistory(store.history(), store.readings());
        WatchedTenants watched = new WatchedTenants();
        indexers.add(new ChangeIndexer(watched));
        // Authorisation: the consent cache is dropped by consent writes; the policy in force comes from the store.
        ConsentInformationPoint consents = new ConsentInformationPoint(store);
        indexers.add(consents.indexer());
        service(services, store.feed().listen(consents.afterCommit()));
        PolicyAdministration policies = PolicyAdministration.open(new PolicyStore(store.documents()), consents, clock);
        service(services, policies);
        EntityService entities = new EntityService(store, clock, indexers);
        ContextRegistry registry = new ContextRegistry(store.documents(), new HttpContextFetcher(),
            publicUrl + NGSI_LD_PREFIX + "/jsonldContexts/", clock, ContextRegistry.Settings.DEFAULT);
        JsonLdContexts contexts = new JsonLdContexts(registry, clock);
        List<Route> routes = new ArrayList<>();
        // A meter read by id shows its newest reading even before the latest-values projector wrote it.
        routes.addAll(new NgsiLdRoutes(entities, contexts, new nl.sleutelbos.app.ingest.FreshMeters(store.readings())::freshen)
            .routes());
        routes.addAll(new CatalogRoutes(entities, contexts).routes());
        routes.addAll(new ContextRoutes(registry).routes());
        routes.addAll(new TemporalRoutes(new TemporalService(store, history, clock, TemporalService.DEFAULT_MAX_INSTANCES), contexts, clock).routes());
        WithheldAttributes withheld = new WithheldAttributes(store.documents());
        SubscriptionService subscriptions = new SubscriptionService(store, watched,
            Map.of(Endpoint.Binding.HTTP, service(services,
                    new RedactingNotifier(new HttpNotifier(settings.delivery().timeout()), withheld)),
                Endpoint.Binding.MQTT, service(services,
                    new RedactingNotifier(new MqttNotifier(settings.delivery().timeout()), withheld))),
            SubscriptionRoutes.contexts(contexts), clock, settings.delivery());
        service(services, subscriptions).start();
        routes.addAll(new SubscriptionRoutes(subscriptions, withheld, contexts, clock).routes());
        List<Route> control = new ArrayList<>();
        control.addAll(new PolicyRoutes(policies).routes());
        Retention retention = new Retention(store.documents(), history, clock, 1_000);
        retention.start(java.time.Duration.ofMinutes(15));
        service(services, retention);
        control.addAll(new RetentionRoutes(retention, contexts).routes());
        // Custody first: with an HSM, the token issuer's and the audit log's signing keys live in it too.
        KeyCustody custody = service(services, settings.custody().backend().open(settings.dataDir()));
        Signing signing = Signing.of(settings, custody);
        Identity identity = Identity.open(store.documents(), signing.tokens(),
            settings.dataDir(), publicUrl, settings.identity(), clock);
        control.addAll(new TokenRoutes(identity).routes());
        control.addAll(new ClientRoutes(identity.clients()).routes());
        nl.sleutelbos.audit.StoredAuditLog auditLog = service(services, nl.sleutelbos.audit.StoredAuditLog.open(store.audit()));
        nl.sleutelbos.audit.Checkpointer checkpointer = service(services, new nl.sleutelbos.audit.Checkpointer(auditLog, store.audit(),
            nl.sleutelbos.audit.AuditKey.open(store.documents(), signing.audit(),
                java.net.URI.create(publicUrl).getAuthority() + "/audit"),
            java.time.Duration.ofMinutes(1), 1_000, clock)).start();
        control.addAll(new AuditRoutes(auditLog, checkpointer).routes());
        service(services, new AuditEntities(auditLog, entities, store.documents(), contexts.core(),
            java.time.Duration.ofMillis(500))).start();
        KeyCustodyWiring keys = service(services, KeyCustodyWiring.open(settings, custody, signing, store, entities, contexts.core(), auditLog, clock));
        control.addAll(keys.routes());
        nl.sleutelbos.app.ingest.LatestValues latest = service(services, new nl.sleutelbos.app.ingest.LatestValues(
            entities, store.documents(), clock, java.time.Duration.ofMillis(250), java.time.Duration.ofSeconds(1))).start();
        Ingest ingest = Ingest.dsmr(entities, latest, deviceWrites, clock);
        control.addAll(new IngestRoutes(ingest, clock).routes());
        EnforcementPoint enforcement = new EnforcementPoint(policies.pdp(), consents);
        // The PEP: every route's handler runs only after the policy permits, right after the bearer
        // gate. Every control-plane act is recorded in the audit log before the PEP decides, so
        // refused attempts (a vendor trying to change a policy) are on the record too.
        PolicyGuard pep = new PolicyGuard(enforcement, store, history, clock);
        List<Router> routers = List.of(
            new Router(NGSI_LD_PREFIX, pep.guard(routes), new Problems(), settings.maxBodyBytes()),
            new Router(CONTROL_PREFIX, new AuditTrail(auditLog, clock).wrap(pep.guard(control)), new Problems(),
                settings.maxBodyBytes()),
            new Router(WellKnownRoutes.PREFIX, new WellKnownRoutes(identity).routes(), new Problems(), settings.maxBodyBytes()));
        // Every path needs a bearer token but these (and, later, the web UI's static files).
        BearerGate gate = new BearerGate(identity.authenticator(),
            Set.of("/health", Identity.TOKEN_PATH, Identity.DISCOVERY_PATH, Identity.JWKS_PATH), List.of());
        http.mount(routers, gate);
        keys.resumeCampaigns();
        Sleutelbos app = new Sleutelbos(store, ingest, new DeviceAccess(identity.authenticator(), enforcement, clock),
            http, routers, services);
        if (settings.mqtt() != null) {
          app.listen(settings.mqtt(), MqttIngest.clientIdFor(settings.dataDir()), ingest::commit);
        }
        return app;
      } catch (RuntimeException e) {
        http.close();
        closeAll(services);
        throw e;
      }
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

  /** Meter readings in: what the HTTP route and the MQTT subscriber write through. */
  public Ingest ingest() {
    return ingest;
  }

  /**
   * Takes meter readings from an MQTT broker as {@code clientId} (resuming its session), writing
   * each batch through {@code sink} (normally {@code ingest()::commit}); stopped with the server.
   */
  public MqttIngest listen(java.net.URI broker, String clientId, MqttIngest.Sink sink) {
    return service(services, MqttIngest.start(broker, clientId, MqttIngest.groupFor(store.documents()), ingest,
        devices.authenticator(), devices.pep(), sink, devices.clock()));
  }

  /** Every route the server answers, for documentation and coverage tests. */
  public List<Route> routes() {
    return routers.stream().flatMap(r -> r.routes().stream()).toList();
  }

  private static <T extends AutoCloseable> T service(List<AutoCloseable> services, T service) {
    services.add(service);
    return service;
  }

  private static void closeAll(List<AutoCloseable> services) {
    for (AutoCloseable s : services.reversed()) {
      try {
        s.close();
      } catch (Exception e) {
        java.util.logging.Logger.getLogger(Sleutelbos.class.getName())
            .log(java.util.logging.Level.WARNING, "closing " + s, e);
      }
    }
  }

  @Override
  public void close() {
    http.close();
    closeAll(services);
    store.close();
  }
}

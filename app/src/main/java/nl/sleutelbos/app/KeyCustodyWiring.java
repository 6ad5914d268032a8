package nl.sleutelbos.app;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import nl.sleutelbos.app.http.KeyRoutes;
import nl.sleutelbos.app.http.Route;
import nl.sleutelbos.app.keys.Campaigns;
import nl.sleutelbos.app.keys.KeyEntities;
import nl.sleutelbos.app.keys.KeyFleet;
import nl.sleutelbos.app.keys.OperatorKeys;
import nl.sleutelbos.app.keys.OutboxChannel;
import nl.sleutelbos.audit.AuditEntry;
import nl.sleutelbos.audit.AuditEvent;
import nl.sleutelbos.audit.AuditException;
import nl.sleutelbos.audit.AuditLog;
import nl.sleutelbos.custody.KeyCustody;
import nl.sleutelbos.custody.KeyStore;
import nl.sleutelbos.custody.Rotation;
import nl.sleutelbos.custody.quorum.Quorum;
import nl.sleutelbos.ngsild.ErrorType;
import nl.sleutelbos.ngsild.NgsiLdException;
import nl.sleutelbos.ngsild.context.LdContext;
import nl.sleutelbos.ngsild.entity.EntityService;
import nl.sleutelbos.store.DocumentStore;
import nl.sleutelbos.store.EntityStore;

/**
 * Key custody composed for the application, in the order its parts depend on each other: the
 * backend from the settings, the storage KEK, key metadata and its NGSI-LD view, rotation with the
 * outbox channel, campaigns, and the quorum whose every step goes to the audit log. Kept out of
 * {@link Sleutelbos#start} so that the composition root stays one line per feature.
 */
final class KeyCustodyWiring implements AutoCloseable {
  /** Devices per campaign checkpoint, and worker threads per campaign. */
  private static final int CHUNK = 100;
  private static final int WORKERS = 2;

  private final Campaigns campaigns;
  private final List<Route> routes;

  private KeyCustodyWiring(Campaigns campaigns, List<Route> routes) {
    this.campaigns = campaigns;
    this.routes = routes;
  }

  /** Composes custody on an open backend, which the caller closes after this. */
  static KeyCustodyWiring open(Settings settings, KeyCustody custody, Signing signing, EntityStore store,
      EntityService entities, LdContext context, AuditLog audit, Clock clock) {
    DocumentStore documents = store.documents();
    OperatorKeys operatorKeys = new OperatorKeys(custody, documents, clock);
    operatorKeys.storageKek(); // made on first start; a mismatched key store fails here, not at first use
    KeyStore keyStore = new KeyStore(store.custody(), clock);
    KeyEntities view = new KeyEntities(entities, context);
    Rotation rotation = new Rotation(custody, keyStore, new OutboxChannel(documents), journal(audit, view, custody, clock));
    KeyFleet fleet = new KeyFleet(custody, keyStore, store.custody(), rotation, operatorKeys, view, clock);
    Campaigns campaigns = new Campaigns(rotation, keyStore, custody.backend(), view, documents, CHUNK, WORKERS);
    Quorum quorum = new Quorum(documents, settings.custody().quorum(), operatorKeys, recorder(audit, clock), clock);
    return new KeyCustodyWiring(campaigns,
        new KeyRoutes(fleet, campaigns, operatorKeys, quorum, signing.inCustody()).routes());
  }

  /**
   * The keys a rotation made, recorded before any is delivered: one audit entry per chunk (its
   * devices, roles and versions hashed into the details), and the NEW keys shown as entities.
   */
  private static Rotation.Journal journal(AuditLog audit, KeyEntities view, KeyCustody custody, Clock clock) {
    return keys -> {
      if (keys.isEmpty()) {
        return;
      }
      StringBuilder details = new StringBuilder();
      keys.forEach(k -> details.append(k.deviceId()).append(' ').append(k.role()).append(' ').append(k.version()).append('\n'));
      try {
        audit.append(new AuditEvent(clock.instant(), new AuditEntry.Actor("sleutelbos", ""), "keys.rotation.generate",
            Sleutelbos.CONTROL_PREFIX + "/keys/devices/" + keys.getFirst().deviceId(), AuditEntry.Outcome.SUCCEEDED,
            keys.size() + " NEW key(s) for delivery", "", AuditEntry.digestOf(details.toString().getBytes(StandardCharsets.UTF_8))));
      } catch (AuditException e) {
        throw new IllegalStateException("the rotation could not be recorded in the audit log, so nothing was delivered", e);
      }
      view.show(keys, custody.backend());
    };
  }

  /** Each quorum step as an audit entry: the officer, the step, the operation, and how it ended. */
  private static Quorum.Recorder recorder(AuditLog audit, Clock clock) {
    return (actor, action, op, succeeded, reason) -> {
      AuditEntry.Outcome outcome = succeeded ? AuditEntry.Outcome.SUCCEEDED
          : action.endsWith("execute") ? AuditEntry.Outcome.FAILED : AuditEntry.Outcome.DENIED;
      String details = op.kind() + " " + op.purpose() + " approvals=" + op.approvals().size() + "/" + op.required() + " " + op.status();
      try {
        audit.append(new AuditEvent(clock.instant(), new AuditEntry.Actor(actor, ""), action,
            Sleutelbos.CONTROL_PREFIX + "/keys/operations/" + op.id(), outcome, reason, op.id(),
            AuditEntry.digestOf(details.getBytes(StandardCharsets.UTF_8))));
      } catch (AuditException e) {
        throw new NgsiLdException(ErrorType.SERVICE_UNAVAILABLE, "the key operation could not be recorded in the audit log, so it did not happen");
      }
    };
  }

  List<Route> routes() {
    return routes;
  }

  void resumeCampaigns() {
    campaigns.resumeInterrupted();
  }

  @Override
  public void close() {
    campaigns.close();
  }
}

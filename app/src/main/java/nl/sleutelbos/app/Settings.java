package nl.sleutelbos.app;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import nl.sleutelbos.identity.IdentityConfig;
import nl.sleutelbos.ngsild.subscription.DeliverySettings;
import nl.sleutelbos.store.StoreConfig;

/**
 * Everything {@link Sleutelbos#start} needs to know.
 *
 * @param host the address to listen on
 * @param port the port (1026 by default; 0 for any free port)
 * @param dataDir where embedded state lives
 * @param store the storage backend
 * @param maxBodyBytes the largest request body accepted
 * @param publicUrl the scheme, host and port clients reach this server by (for the URLs of
 *     hosted @contexts, and the embedded token issuer's identifier), or null for
 *     {@code http://localhost:<port>}
 * @param identity the token lifetime, audience and trusted external OIDC issuers
 * @param delivery how subscriptions deliver notifications: retries, batches, timeouts
 * @param mqtt the MQTT broker to take meter readings from ({@code tcp://host:port}), or null for none
 * @param custody where the operator's keys are kept (software by default, never sovereign)
 */
public record Settings(String host, int port, Path dataDir, StoreConfig store, long maxBodyBytes, String publicUrl,
    IdentityConfig identity, DeliverySettings delivery, java.net.URI mqtt, CustodySettings custody) {
  public static final int DEFAULT_PORT = 1026;
  public static final long DEFAULT_MAX_BODY = 4L << 20;

  public Settings {
    requireNonNull(host, "host is null");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    requireNonNull(dataDir, "dataDir is null");
    requireNonNull(store, "store is null");
    if (maxBodyBytes < 1024) {
      throw new IllegalArgumentException("maxBodyBytes < 1024: " + maxBodyBytes);
    }
    if (publicUrl != null) {
      publicUrl = publicUrl.replaceAll("/+$", "");
    }
    requireNonNull(identity, "identity is null");
    requireNonNull(delivery, "delivery is null");
    requireNonNull(custody, "custody is null");
  }

  /** Settings with the default (software) key custody. */
  public Settings(String host, int port, Path dataDir, StoreConfig store, long maxBodyBytes, String publicUrl,
      IdentityConfig identity, DeliverySettings delivery, java.net.URI mqtt) {
    this(host, port, dataDir, store, maxBodyBytes, publicUrl, identity, delivery, mqtt, CustodySettings.DEFAULT);
  }

  /** Settings without an MQTT broker to ingest from. */
  public Settings(String host, int port, Path dataDir, StoreConfig store, long maxBodyBytes, String publicUrl,
      IdentityConfig identity, DeliverySettings delivery) {
    this(host, port, dataDir, store, maxBodyBytes, publicUrl, identity, delivery, null);
  }

  /** Settings with the default identity (the embedded issuer only, 5-minute tokens) and delivery. */
  public Settings(String host, int port, Path dataDir, StoreConfig store, long maxBodyBytes, String publicUrl) {
    this(host, port, dataDir, store, maxBodyBytes, publicUrl, IdentityConfig.DEFAULT);
  }

  /** Settings with the default delivery of notifications. */
  public Settings(String host, int port, Path dataDir, StoreConfig store, long maxBodyBytes, String publicUrl,
      IdentityConfig identity) {
    this(host, port, dataDir, store, maxBodyBytes, publicUrl, identity, DeliverySettings.DEFAULT);
  }

  public Settings withDelivery(DeliverySettings delivery) {
    return new Settings(host, port, dataDir, store, maxBodyBytes, publicUrl, identity, delivery, mqtt, custody);
  }

  /** These settings, taking meter readings from the MQTT broker too. */
  public Settings withMqtt(java.net.URI broker) {
    return new Settings(host, port, dataDir, store, maxBodyBytes, publicUrl, identity, delivery, broker, custody);
  }

  public Settings withCustody(CustodySettings custody) {
    return new Settings(host, port, dataDir, store, maxBodyBytes, publicUrl, identity, delivery, mqtt, custody);
  }

  /** The embedded defaults: SQLite under the data directory. */
  public static Settings embedded(Path dataDir, int port) {
    return new Settings("0.0.0.0", port, dataDir,
        new StoreConfig.Sqlite(dataDir.resolve("sleutelbos.db")), DEFAULT_MAX_BODY, null);
  }
}

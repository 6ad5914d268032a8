package nl.sleutelbos.app.sim;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import nl.sleutelbos.identity.Identity;
import nl.sleutelbos.metering.sim.FleetSettings;
import nl.sleutelbos.metering.sim.FleetSimulator;

/**
 * The demo's fleet, against a Sleutelbos running on the embedded defaults: registers the meters,
 * creates the head-end client and one household's client with the bootstrap administrator, and
 * starts the simulated fleet with its status line. Everything goes through the public API, as an
 * operator's own tools would.
 */
public final class Demo implements AutoCloseable {
  /** The household client's credentials, beside {@code bootstrap-admin.json}. */
  public static final String HOUSEHOLD_FILE = "demo-household.json";
  /** Meters registered before the fleet starts; the rest are registered while it runs. */
  private static final int FIRST_REGISTERED = 100;
  /** The broker the demo uses when one answers there. */
  static final URI LOCAL_BROKER = URI.create("tcp://127.0.0.1:1883");

  /**
   * The local broker, under a topic root of this data directory's own. The server's subscription
   * is shared and its session outlives it, so on a broker used before (by tests, other data
   * directories) a common root would hand part of the fleet's telegrams to sessions that are gone.
   */
  public static URI localBroker(Path dataDir) {
    String root = "sleutelbos-demo-" + Integer.toHexString(dataDir.toAbsolutePath().normalize().toString().hashCode());
    return LOCAL_BROKER.resolve("/" + root);
  }

  private final HttpClient http;
  private final FleetSession session;
  private final Thread registering;
  private final String instructions;

  private Demo(HttpClient http, FleetSession session, Thread registering, String instructions) {
    this.http = http;
    this.session = session;
    this.registering = registering;
    this.instructions = instructions;
  }

  /**
   * Starts the demo fleet against the server at {@code base}.
   *
   * @param broker the MQTT broker the meters publish to (the server subscribes there), or null for the head-end posting over HTTP
   * @param status where the live status line goes, or null for none
   */
  public static Demo start(String base, Path dataDir, String store, FleetSettings settings, double speed, URI broker,
      PrintStream status) throws IOException, InterruptedException {
    Clock clock = Clock.systemUTC();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try {
      Provisioning provisioning = Provisioning.withBootstrapAdmin(http, base, dataDir, clock);
      ClientCredentials headEnd = provisioning.client(dataDir.resolve(Provisioning.HEAD_END_FILE), "Demo head-end",
          List.of("head-end"), "operator", clock);
      provisioning.client(dataDir.resolve(HOUSEHOLD_FILE), "Household of " + FleetSimulator.meterId(0), List.of(),
          "household:" + Provisioning.connectionId(0), clock);
      // The first meters now (the household's among them), the rest while the fleet already reports:
      // registration merges into what readings wrote, so the order does not matter, and the demo starts sooner.
      int first = Math.min(settings.meters(), FIRST_REGISTERED);
      provisioning.registerMeters(0, first, settings.seed());
      Thread registering = Thread.ofVirtual().name("register-meters").start(() -> {
        try {
          provisioning.registerMeters(first, settings.meters(), settings.seed());
        } catch (IOException e) {
          if (!Thread.currentThread().isInterrupted()) {
            System.err.println("sleutelbos demo: " + e.getMessage());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      boolean mqtt = broker != null;
      Transport transport = mqtt ? MqttTransport.connect(broker, headEnd) : new HttpTransport(http, base, headEnd, 4);
      StatusLine line = status == null ? null : new StatusLine(status, settings.meters(), transport.name(),
          mqtt ? IngestCounts.fromServer(transport.stats(), http, base, headEnd) : IngestCounts.fromAnswers(transport.stats()));
      FleetSession session = FleetSession.start(settings, speed, transport, 500, Long.MAX_VALUE, line);
      String over = mqtt ? "MQTT (" + broker + ")" : "HTTP";
      return new Demo(http, session, registering, instructions(base, dataDir, store, settings, over));
    } catch (IOException | InterruptedException | RuntimeException e) {
      http.close();
      throw e;
    }
  }

  /** Whether an MQTT broker answers on 127.0.0.1:1883. */
  public static boolean localBrokerAnswers() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(LOCAL_BROKER.getHost(), LOCAL_BROKER.getPort()), 300);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  public SendStats stats() {
    return session.stats();
  }

  /** What to print: what runs, and curl commands that show a meter's readings. */
  public String instructions() {
    return instructions;
  }

  private static String instructions(String base, Path dataDir, String store, FleetSettings settings, String transport) {
    String meter = "urn:ngsi-ld:Device:" + FleetSimulator.meterId(0);
    String file = dataDir.resolve(HOUSEHOLD_FILE).toString();
    Instant midnight = LocalDate.now(ZoneId.of("Europe/Amsterdam")).atStartOfDay(ZoneId.of("Europe/Amsterdam")).toInstant();
    return """

        Sleutelbos demo: %,d simulated household meters send a DSMR 5 telegram every %s over %s
        to %s (store: %s). Ctrl-C stops the fleet and the server; the data stays.

        Readings are personal data: the operator's administrator does not see them, the household
        does. Get a token (5 minutes) as the household of meter-0001, connection %s
        (its client was made with the bootstrap administrator; credentials in %s):

          ID=$(sed -nE 's/.*"client_id" : "([^"]+)".*/\\1/p' %s)
          SECRET=$(sed -nE 's/.*"client_secret" : "([^"]+)".*/\\1/p' %s)
          TOKEN=$(curl -s -u "$ID:$SECRET" -d grant_type=client_credentials %s%s | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')

        The meter's latest values:

          curl -s -H "Authorization: Bearer $TOKEN" '%s/ngsi-ld/v1/entities/%s?options=keyValues'

        Its day of readings, every telegram's power since midnight:

          curl -s -H "Authorization: Bearer $TOKEN" '%s/ngsi-ld/v1/temporal/entities/%s?timerel=after&timeAt=%s&attrs=activePower,energyConsumed&options=temporalValues'

        The same day as quarter-hour averages and peaks:

          curl -s -H "Authorization: Bearer $TOKEN" '%s/ngsi-ld/v1/temporal/entities/%s?timerel=after&timeAt=%s&attrs=activePower&options=aggregatedValues&aggrMethods=avg,max&aggrPeriodDuration=PT15M'

        """.formatted(settings.meters(), human(settings.interval()), transport, base, store,
        Provisioning.connectionId(0), file, file, file, base, Identity.TOKEN_PATH,
        base, meter, base, meter, midnight, base, meter, midnight);
  }

  private static String human(Duration d) {
    long s = d.getSeconds();
    return s % 3600 == 0 ? s / 3600 + " h" : s % 60 == 0 ? s / 60 + " min" : s + " s";
  }

  /** Stops the fleet: waits for answers to what was sent, ends the status line. */
  @Override
  public void close() {
    registering.interrupt();
    session.close();
    http.close();
  }
}

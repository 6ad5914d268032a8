package nl.sleutelbos.app.sim;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import nl.sleutelbos.metering.sim.FleetSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sleutelbos sim}: a simulated fleet of household meters sending DSMR 5 telegrams to a
 * running Sleutelbos, over HTTP as the head-end or over MQTT as the meters, until Ctrl-C or the
 * {@code --count} is sent. Exits 1 when a telegram could not be delivered.
 */
@Command(name = "sim", mixinStandardHelpOptions = true,
    description = "Run a simulated fleet of smart meters against a running Sleutelbos.")
public final class SimCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Mixin
  FleetOptions fleet = new FleetOptions();

  @Option(names = "--url", defaultValue = "http://localhost:1026", description = "Sleutelbos's base URL (default: ${DEFAULT-VALUE}).")
  String url;

  @Option(names = "--transport", defaultValue = "http", description = "http (the head-end posts batches) or mqtt (each meter publishes) (default: ${DEFAULT-VALUE}).")
  String transport;

  @Option(names = "--broker", defaultValue = "tcp://127.0.0.1:1883", description = "The MQTT broker for --transport mqtt (default: ${DEFAULT-VALUE}).")
  URI broker;

  @Option(names = "--data", defaultValue = "./data",
      description = "The server's data directory: its bootstrap administrator creates the head-end client, kept in "
          + Provisioning.HEAD_END_FILE + " there (default: ${DEFAULT-VALUE}).")
  Path data;

  @Option(names = "--client-id", description = "Send as this client (role head-end) instead of one made with --data.")
  String clientId;

  @Option(names = "--client-secret", description = "The secret of --client-id.")
  String clientSecret;

  @Option(names = "--register", description = "First register the meters as Device entities with their grid connection (needs --data).")
  boolean register;

  @Option(names = "--count", description = "Stop after this many telegrams (default: run until Ctrl-C).")
  Long count;

  @Option(names = "--batch", defaultValue = "500", description = "Telegrams per HTTP request at most (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--in-flight", defaultValue = "4", description = "HTTP requests in flight at once (default: ${DEFAULT-VALUE}).")
  int inFlight;

  @Option(names = "--quiet", description = "No status line; only the summary at the end.")
  boolean quiet;

  @Override
  public Integer call() throws Exception {
    FleetSettings settings = fleet.settings(spec.commandLine());
    if (!transport.equals("http") && !transport.equals("mqtt")) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--transport must be http or mqtt, not " + transport);
    }
    if ((clientId == null) != (clientSecret == null)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--client-id and --client-secret come together");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String base = url.replaceAll("/+$", "");
    Clock clock = Clock.systemUTC();
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
      ClientCredentials headEnd;
      try {
        Provisioning provisioning = clientId == null || register ? Provisioning.withBootstrapAdmin(http, base, data, clock) : null;
        headEnd = clientId != null ? new ClientCredentials(http, base, clientId, clientSecret, clock)
            : provisioning.client(data.resolve(Provisioning.HEAD_END_FILE), "Simulated head-end", List.of("head-end"), "operator", clock);
        headEnd.token(); // fail early on bad credentials or no server
        if (register) {
          provisioning.registerMeters(settings.meters(), settings.seed());
        }
      } catch (IOException e) {
        err.println("sleutelbos sim: " + e.getMessage());
        return 2;
      }
      Transport sender = transport.equals("mqtt") ? MqttTransport.connect(broker, headEnd) : new HttpTransport(http, base, headEnd, inFlight);
      StatusLine status = quiet ? null : new StatusLine(System.out, settings.meters(), sender.name(),
          sender instanceof MqttTransport ? IngestCounts.fromServer(sender.stats(), http, base, headEnd)
              : IngestCounts.fromAnswers(sender.stats()));
      FleetSession session = FleetSession.start(settings, fleet.speed(), sender, batch, count == null ? Long.MAX_VALUE : count, status);
      CountDownLatch closed = new CountDownLatch(1);
      Thread hook = new Thread(() -> {
        session.close();
        closed.countDown();
      }, "sim-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      while (!session.awaitFinished(Duration.ofSeconds(1))) {
        // without --count, until Ctrl-C: the hook closes the session and the JVM exits
      }
      Runtime.getRuntime().removeShutdownHook(hook);
      session.close();
      SendStats s = session.stats();
      out.printf("sent %d telegrams of %d meters over %s: accepted %d, flagged %d, repeated %d, rejected %d, failed %d%n",
          s.sent(), settings.meters(), sender.name(), s.accepted(), s.flagged(), s.repeated(), s.rejected(), s.failed());
      if (sender instanceof MqttTransport) {
        // Over MQTT the sender learns no outcomes; the server's counts say what became of them.
        com.fasterxml.jackson.databind.JsonNode m = IngestCounts.fetch(http, base, headEnd);
        if (m != null) {
          out.printf("the server's ingest counts (every sender since it started): accepted %d, flagged %d, repeated %d, rejected %d%n",
              m.path("accepted").asLong(), m.path("flagged").asLong(), m.path("repeated").asLong(), m.path("rejected").asLong());
        }
      }
      if (s.failed() > 0) {
        err.println("sleutelbos sim: " + s.lastError());
        return 1;
      }
      out.flush();
      return 0;
    }
  }
}

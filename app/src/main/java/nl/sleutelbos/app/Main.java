package nl.sleutelbos.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import nl.sleutelbos.store.StoreConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The command line: {@code sleutelbos serve|demo}. */
@Command(name = "sleutelbos", mixinStandardHelpOptions = true, version = "sleutelbos 0.1.0",
    description = "A grid operator's own control plane for devices it did not make.",
    subcommands = {Main.Serve.class, Main.Demo.class, nl.sleutelbos.app.sim.SimCommand.class, ClientsCommand.class, AuditCommand.class,
        CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof StartupException) {
        cmd.getErr().println("sleutelbos: " + e.getMessage());
        return 2;
      }
      throw e;
    }).execute(args));
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Options shared by the commands that run the server. */
  static final class ServerOptions {
    @Option(names = "--port", defaultValue = "1026", description = "Port to listen on (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "0.0.0.0", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--data", defaultValue = "./data", description = "Directory for embedded state (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--store", defaultValue = "sqlite", description = "Storage backend: sqlite or postgres (default: ${DEFAULT-VALUE}).")
    String store;

    @Option(names = "--jdbc-url", description = "PostgreSQL JDBC URL for --store postgres, e.g. jdbc:postgresql://127.0.0.1:5432/sleutelbos?user=postgres")
    String jdbcUrl;

    @Option(names = "--max-body", defaultValue = "4194304", description = "Largest request body in bytes (default: ${DEFAULT-VALUE}).")
    long maxBody;

    @Option(names = "--public-url", description = "How clients reach this server, e.g. https://broker.example.nl (default: http://localhost:<port>).")
    String publicUrl;

    @Option(names = "--mqtt", description = "MQTT broker to take meter readings from, e.g. tcp://127.0.0.1:1883 (default: none).")
    java.net.URI mqtt;

    @CommandLine.Mixin
    IdentityOptions identity = new IdentityOptions();

    @CommandLine.Mixin
    CustodyOptions custody = new CustodyOptions();

    Settings settings() {
      StoreConfig storeConfig = switch (store) {
        case "sqlite" -> new StoreConfig.Sqlite(data.resolve("sleutelbos.db"));
        case "postgres" -> {
          if (jdbcUrl == null) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--store postgres needs --jdbc-url");
          }
          yield new StoreConfig.Postgres(jdbcUrl);
        }
        default -> throw new CommandLine.ParameterException(new CommandLine(this),
            "--store must be sqlite or postgres, not " + store);
      };
      Settings settings = new Settings(host, port, data, storeConfig, maxBody, publicUrl, identity.config())
          .withCustody(custody.settings(new CommandLine(this)));
      return mqtt == null ? settings : settings.withMqtt(mqtt);
    }
  }

  @Command(name = "serve", mixinStandardHelpOptions = true,
      description = "Run the Sleutelbos server (NGSI-LD API at /ngsi-ld/v1).")
  static final class Serve implements Callable<Integer> {
    @CommandLine.Mixin
    ServerOptions options = new ServerOptions();

    @Override
    public Integer call() throws InterruptedException {
      Settings settings = options.settings();
      try (Sleutelbos app = Sleutelbos.start(settings)) {
        System.out.printf("Sleutelbos listening on http://localhost:%d%s (store: %s)%n",
            app.port(), Sleutelbos.NGSI_LD_PREFIX, app.store().describe());
        awaitShutdown(app);
      }
      return 0;
    }
  }

  @Command(name = "demo", mixinStandardHelpOptions = true,
      description = "Run the server on the embedded defaults with a simulated fleet of meters reporting to it, and print commands to try.")
  static final class Demo implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ServerOptions options = new ServerOptions();

    @CommandLine.Mixin
    nl.sleutelbos.app.sim.FleetOptions fleet = new nl.sleutelbos.app.sim.FleetOptions();

    @Option(names = "--seconds", defaultValue = "0", description = "Stop after this many seconds (default: run until Ctrl-C).")
    long seconds;

    @Option(names = "--transport", defaultValue = "auto",
        description = "How the meters report: http (the head-end posts), mqtt (each meter publishes; the server subscribes), "
            + "or auto: mqtt when a broker answers on 127.0.0.1:1883 or --mqtt names one (default: ${DEFAULT-VALUE}).")
    String transport;

    @Override
    public Integer call() throws Exception {
      Settings settings = options.settings();
      nl.sleutelbos.metering.sim.FleetSettings fleetSettings = fleet.settings(spec.commandLine());
      boolean mqtt = switch (transport) {
        case "http" -> false;
        case "mqtt" -> true;
        case "auto" -> settings.mqtt() != null || nl.sleutelbos.app.sim.Demo.localBrokerAnswers();
        default -> throw new CommandLine.ParameterException(spec.commandLine(), "--transport must be auto, http or mqtt, not " + transport);
      };
      if (mqtt && settings.mqtt() == null) {
        settings = settings.withMqtt(nl.sleutelbos.app.sim.Demo.localBroker(settings.dataDir()));
      }
      java.io.PrintWriter out = spec.commandLine().getOut();
      Sleutelbos app = Sleutelbos.start(settings);
      nl.sleutelbos.app.sim.Demo demo;
      try {
        demo = nl.sleutelbos.app.sim.Demo.start("http://localhost:" + app.port(), settings.dataDir(), app.store().describe(),
            fleetSettings, fleet.speed(), mqtt ? settings.mqtt() : null, System.out);
      } catch (Exception e) {
        app.close();
        throw e;
      }
      out.println(demo.instructions());
      out.flush();
      // Ctrl-C: the fleet first (it waits for the answers to what it sent), then the server.
      CountDownLatch stopped = new CountDownLatch(1);
      Thread hook = new Thread(() -> {
        demo.close();
        app.close();
        stopped.countDown();
      }, "shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      if (seconds > 0 && !stopped.await(seconds, java.util.concurrent.TimeUnit.SECONDS)) {
        Runtime.getRuntime().removeShutdownHook(hook);
        hook.run();
      }
      stopped.await();
      return 0;
    }
  }

  private static void awaitShutdown(Sleutelbos app) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      app.close();
      stopped.countDown();
    }, "shutdown"));
    stopped.await();
  }
}

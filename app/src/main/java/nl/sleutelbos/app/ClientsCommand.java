package nl.sleutelbos.app;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import nl.sleutelbos.identity.Client;
import nl.sleutelbos.identity.ClientException;
import nl.sleutelbos.identity.Clients;
import nl.sleutelbos.identity.Organisation;
import nl.sleutelbos.identity.Subject;
import nl.sleutelbos.store.EntityStore;
import nl.sleutelbos.store.StoreConfig;
import nl.sleutelbos.store.Stores;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sleutelbos clients list|create|disable|enable|rotate-secret}: the embedded issuer's
 * clients, administered on the store directly — for the operator at the console, and for when no
 * administrator token is at hand. A running server sees changes made here within
 * {@code Clients.CACHE_TTL} (10 s).
 */
@Command(name = "clients", mixinStandardHelpOptions = true,
    description = "Administer the embedded token issuer's OAuth2 clients, on the store directly.",
    subcommands = {ClientsCommand.ListClients.class, ClientsCommand.Create.class, ClientsCommand.Disable.class,
        ClientsCommand.Enable.class, ClientsCommand.RotateSecret.class})
final class ClientsCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Where the store is: the same options as {@code serve}. */
  static final class StoreOptions {
    @Option(names = "--data", defaultValue = "./data", description = "Directory for embedded state (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--store", defaultValue = "sqlite", description = "Storage backend: sqlite or postgres (default: ${DEFAULT-VALUE}).")
    String store;

    @Option(names = "--jdbc-url", description = "PostgreSQL JDBC URL for --store postgres.")
    String jdbcUrl;

    EntityStore open() {
      StoreConfig config = switch (store) {
        case "sqlite" -> new StoreConfig.Sqlite(data.resolve("sleutelbos.db"));
        case "postgres" -> {
          if (jdbcUrl == null) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--store postgres needs --jdbc-url");
          }
          yield new StoreConfig.Postgres(jdbcUrl);
        }
        default -> throw new CommandLine.ParameterException(new CommandLine(this), "--store must be sqlite or postgres, not " + store);
      };
      return Stores.open(config);
    }
  }

  /** Runs an action on the client registry, turning refusals into a message and exit code 1. */
  abstract static class Action implements Callable<Integer> {
    @Mixin
    StoreOptions storeOptions = new StoreOptions();

    abstract void run(Clients clients) throws ClientException;

    @Override
    public Integer call() {
      try (EntityStore store = storeOptions.open()) {
        run(new Clients(store.documents(), Clock.systemUTC()));
        return 0;
      } catch (ClientException e) {
        System.err.println("sleutelbos clients: " + e.getMessage());
        return 1;
      }
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the clients (never their secrets).")
  static final class ListClients extends Action {
    @Override
    void run(Clients clients) {
      List<Client> all = clients.list();
      System.out.printf("%-24s %-9s %-26s %-7s %-30s %s%n", "CLIENT ID", "STATE", "ORGANISATION", "COUNTRY", "ROLES", "NAME");
      for (Client c : all) {
        System.out.printf("%-24s %-9s %-26s %-7s %-30s %s%n", c.id(), c.disabled() ? "disabled" : "active",
            c.organisation(), c.country().orElse("-"), String.join(",", new java.util.TreeSet<>(c.roles())), c.name());
      }
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Create a client; prints its id and its secret, which is shown only this once.")
  static final class Create extends Action {
    @Option(names = "--name", required = true, description = "What the client is, e.g. 'Eneco customer portal'.")
    String name;

    @Option(names = "--organisation", required = true,
        description = "operator, vendor:<name>, supplier:<name>, household:<connection id>, auditor:<name> or meter:<meter id>.")
    String organisation;

    @Option(names = "--role", description = "A role, e.g. " + Subject.ADMIN_ROLE + "; repeat for more.")
    List<String> roles = List.of();

    @Option(names = "--country", description = "The organisation's ISO 3166-1 country code, e.g. NL.")
    String country;

    @Option(names = "--jwk", description = "A file with the client's public JWK: it then authenticates by private_key_jwt, without a secret.")
    Path jwk;

    @Override
    void run(Clients clients) throws ClientException {
      Organisation org;
      try {
        org = Organisation.parse(organisation);
        if (country != null) {
          Subject.checkCountry(country);
        }
      } catch (IllegalArgumentException e) {
        throw new ClientException(ClientException.Kind.INVALID, e.getMessage());
      }
      Optional<String> key;
      try {
        key = jwk == null ? Optional.empty() : Optional.of(java.nio.file.Files.readString(jwk));
      } catch (java.io.IOException e) {
        throw new ClientException(ClientException.Kind.INVALID, "cannot read " + jwk + ": " + e.getMessage());
      }
      Clients.Issued issued = clients.create(new Clients.Registration(name, Set.copyOf(roles), org,
          Optional.ofNullable(country), key));
      System.out.println("client_id:     " + issued.client().id());
      issued.secret().ifPresent(s -> System.out.println("client_secret: " + s + "   (shown only now; store it safely)"));
    }
  }

  @Command(name = "disable", mixinStandardHelpOptions = true, description = "Disable a client: its tokens stop working.")
  static final class Disable extends Action {
    @Parameters(paramLabel = "CLIENT_ID")
    String id;

    @Override
    void run(Clients clients) throws ClientException {
      clients.setDisabled(id, true);
      System.out.println("disabled " + id);
    }
  }

  @Command(name = "enable", mixinStandardHelpOptions = true, description = "Enable a disabled client again.")
  static final class Enable extends Action {
    @Parameters(paramLabel = "CLIENT_ID")
    String id;

    @Override
    void run(Clients clients) throws ClientException {
      clients.setDisabled(id, false);
      System.out.println("enabled " + id);
    }
  }

  @Command(name = "rotate-secret", mixinStandardHelpOptions = true,
      description = "Give a client a new secret; the old one stops working at once.")
  static final class RotateSecret extends Action {
    @Parameters(paramLabel = "CLIENT_ID")
    String id;

    @Override
    void run(Clients clients) throws ClientException {
      Clients.Issued issued = clients.rotateSecret(id);
      System.out.println("client_id:     " + id);
      System.out.println("client_secret: " + issued.secret().orElseThrow() + "   (shown only now; store it safely)");
    }
  }
}

package nl.sleutelbos.app;

import java.nio.file.Path;
import java.util.Optional;
import nl.sleutelbos.custody.Location;
import nl.sleutelbos.custody.Secret;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The command-line options for key custody: the software key store (default) or a PKCS#11 token. */
final class CustodyOptions {
  @Option(names = "--custody", defaultValue = "software",
      description = "Where keys are kept: software (a PKCS#12 file under the data directory; development only, never sovereign) or pkcs11 (default: ${DEFAULT-VALUE}).")
  String custody;

  @Option(names = "--custody-country", defaultValue = "NL",
      description = "ISO 3166-1 country where the keys physically are (default: ${DEFAULT-VALUE}).")
  String country;

  @Option(names = "--custody-passphrase-file", paramLabel = "FILE",
      description = "Software backend: the key store passphrase (first line); default: one generated under <data>/custody.")
  Path passphraseFile;

  @Option(names = "--custody-passphrase-env", paramLabel = "VAR",
      description = "Software backend: the environment variable holding the key store passphrase.")
  String passphraseEnv;

  @Option(names = "--pkcs11-library", paramLabel = "PATH", description = "PKCS#11 module, e.g. /usr/lib/softhsm/libsofthsm2.so.")
  Path library;

  @Option(names = "--pkcs11-token", paramLabel = "LABEL", description = "The token's label (preferred: slot ids change when a token is re-initialised).")
  String token;

  @Option(names = "--pkcs11-slot", paramLabel = "N", description = "The token's slot id, instead of --pkcs11-token.")
  Long slot;

  @Option(names = "--pkcs11-pin-file", paramLabel = "FILE", description = "File whose first line is the user PIN.")
  Path pinFile;

  @Option(names = "--pkcs11-pin-env", paramLabel = "VAR", description = "Environment variable holding the user PIN, instead of --pkcs11-pin-file.")
  String pinEnv;

  @Option(names = "--pkcs11-certification", paramLabel = "TEXT",
      description = "The HSM's certification, e.g. \"FIPS 140-3 level 3\"; without one the custody report does not call it sovereign.")
  String certification;

  @Option(names = "--quorum-required", defaultValue = "2",
      description = "Approvals by distinct security officers a sensitive key operation needs (default: ${DEFAULT-VALUE}).")
  int quorumRequired;

  @Option(names = "--quorum-officers", split = ",", paramLabel = "SUBJECT",
      description = "The subject ids of the security officers who may approve (N of M-of-N); default: anyone with the security-officer role.")
  java.util.List<String> quorumOfficers = java.util.List.of();

  @Option(names = "--quorum-window", defaultValue = "PT24H", paramLabel = "DURATION",
      description = "How long a sensitive key operation waits for its approvals before it expires, ISO-8601 (default: ${DEFAULT-VALUE}).")
  java.time.Duration quorumWindow;

  @Option(names = "--pkcs11-sessions", defaultValue = "4", description = "PKCS#11 sessions to open (default: ${DEFAULT-VALUE}).")
  int sessions;

  CustodySettings settings(CommandLine cmd) {
    try {
      return new CustodySettings(backend(cmd), new nl.sleutelbos.custody.quorum.Quorum.Rule(quorumRequired,
          java.util.Set.copyOf(quorumOfficers), quorumWindow));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cmd, "--quorum-required/--quorum-officers/--quorum-window: " + e.getMessage());
    }
  }

  private CustodyBackend backend(CommandLine cmd) {
    Location location;
    try {
      location = new Location(country);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cmd, "--custody-country: " + e.getMessage());
    }
    switch (custody) {
      case "software" -> {
        if (library != null || token != null || slot != null || pinFile != null || pinEnv != null) {
          throw new CommandLine.ParameterException(cmd, "the --pkcs11-* options need --custody pkcs11");
        }
        return new CustodyBackend.Software(secret(cmd, passphraseFile, passphraseEnv, "--custody-passphrase", false), location);
      }
      case "pkcs11" -> {
        if (library == null) {
          throw new CommandLine.ParameterException(cmd, "--custody pkcs11 needs --pkcs11-library");
        }
        if ((token == null) == (slot == null)) {
          throw new CommandLine.ParameterException(cmd, "--custody pkcs11 needs exactly one of --pkcs11-token and --pkcs11-slot");
        }
        if (sessions < 1) {
          throw new CommandLine.ParameterException(cmd, "--pkcs11-sessions must be at least 1");
        }
        Secret pin = secret(cmd, pinFile, pinEnv, "--pkcs11-pin", true).orElseThrow();
        return new CustodyBackend.Pkcs11(library, Optional.ofNullable(token), Optional.ofNullable(slot), pin, location,
            Optional.ofNullable(certification), sessions);
      }
      default -> throw new CommandLine.ParameterException(cmd, "--custody must be software or pkcs11, not " + custody);
    }
  }

  private static Optional<Secret> secret(CommandLine cmd, Path file, String env, String option, boolean required) {
    if (file != null && env != null) {
      throw new CommandLine.ParameterException(cmd, "give one of " + option + "-file and " + option + "-env");
    }
    if (file != null) {
      return Optional.of(new Secret.FromFile(file));
    }
    if (env != null) {
      return Optional.of(new Secret.FromEnvironment(env));
    }
    if (required) {
      throw new CommandLine.ParameterException(cmd, "give " + option + "-file or " + option + "-env");
    }
    return Optional.empty();
  }
}

package nl.sleutelbos.app;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import nl.sleutelbos.custody.CustodyException;
import nl.sleutelbos.custody.KeyCustody;
import nl.sleutelbos.custody.Location;
import nl.sleutelbos.custody.Secret;
import nl.sleutelbos.custody.pkcs11.Pkcs11Config;
import nl.sleutelbos.custody.pkcs11.Pkcs11Custody;
import nl.sleutelbos.custody.software.SoftwareCustody;

/**
 * Where the operator's keys are kept: the software key store under the data directory (the
 * development default, never sovereign) or a PKCS#11 token. Opening fails with a
 * {@link StartupException} that names the option to fix.
 */
public sealed interface CustodyBackend {
  /** The default: a PKCS#12 file under {@code <data>/custody}, its passphrase generated beside it. */
  CustodyBackend DEFAULT = new Software(Optional.empty(), new Location("NL"));

  /** Opens the backend. */
  KeyCustody open(Path dataDir);

  /**
   * @param passphrase where the passphrase comes from; empty for a generated one in
   *     {@code <data>/custody/passphrase} (development only)
   */
  record Software(Optional<Secret> passphrase, Location location) implements CustodyBackend {
    public Software {
      requireNonNull(passphrase, "passphrase is null");
      requireNonNull(location, "location is null");
    }

    @Override
    public KeyCustody open(Path dataDir) {
      Path directory = dataDir.resolve("custody");
      Secret secret = passphrase.orElseGet(() -> new Secret.FromFile(generatedPassphrase(directory)));
      try {
        return SoftwareCustody.open(directory, secret, location);
      } catch (CustodyException e) {
        throw switch (e.reason()) {
          case WRONG_PIN -> new StartupException("the software key store in " + directory
              + " refused the passphrase; fix --custody-passphrase-file or --custody-passphrase-env", e);
          default -> new StartupException("cannot open the software key store in " + directory + ": " + e.getMessage(), e);
        };
      }
    }

    private static Path generatedPassphrase(Path directory) {
      Path file = directory.resolve("passphrase");
      try {
        Files.createDirectories(directory);
        if (!Files.exists(file)) {
          byte[] random = new byte[32];
          new SecureRandom().nextBytes(random);
          Path temp = Files.createTempFile(directory, "passphrase", ".tmp");
          try {
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
          } catch (UnsupportedOperationException e) {
            // Not a POSIX file system; the data directory's own permissions apply.
          }
          Files.writeString(temp, Base64.getEncoder().encodeToString(random) + "\n");
          Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        return file;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * A PKCS#11 token, by label or by slot id (exactly one).
   *
   * @param certification what the HSM is certified as (e.g. "FIPS 140-3 level 3"); without one the
   *     custody report does not count the token as sovereign
   */
  record Pkcs11(Path library, Optional<String> tokenLabel, Optional<Long> slot, Secret pin, Location location,
      Optional<String> certification, int sessions) implements CustodyBackend {
    public Pkcs11 {
      requireNonNull(library, "library is null");
      requireNonNull(tokenLabel, "tokenLabel is null");
      requireNonNull(slot, "slot is null");
      requireNonNull(pin, "pin is null");
      requireNonNull(location, "location is null");
      requireNonNull(certification, "certification is null");
      if (tokenLabel.isPresent() == slot.isPresent()) {
        throw new IllegalArgumentException("give exactly one of --pkcs11-token and --pkcs11-slot");
      }
      if (sessions < 1) {
        throw new IllegalArgumentException("sessions < 1: " + sessions);
      }
    }

    @Override
    public KeyCustody open(Path dataDir) {
      if (!Files.isReadable(library)) {
        throw new StartupException("the PKCS#11 library " + library + " is not there; fix --pkcs11-library");
      }
      String token;
      try {
        token = tokenLabel.isPresent() ? tokenLabel.get() : Pkcs11Custody.tokenLabel(library, slot.get());
      } catch (CustodyException e) {
        throw new StartupException("no token in slot " + slot.get() + " of " + library + "; fix --pkcs11-slot", e);
      }
      try {
        return Pkcs11Custody.open(new Pkcs11Config(library, token, pin, location, certification, sessions));
      } catch (CustodyException e) {
        String pinOption = pin instanceof Secret.FromEnvironment env ? "--pkcs11-pin-env (" + env.variable() + ")" : "--pkcs11-pin-file";
        throw switch (e.reason()) {
          case WRONG_PIN -> new StartupException("the PKCS#11 token " + token + " refused the PIN (" + e.getMessage() + "); fix " + pinOption, e);
          case TOKEN_NOT_FOUND -> new StartupException("no PKCS#11 token labelled " + token + " in " + library + "; fix "
              + (tokenLabel.isPresent() ? "--pkcs11-token" : "--pkcs11-slot") + " or --pkcs11-library", e);
          default -> new StartupException("the PKCS#11 token " + token + " is not answering (" + e.getMessage() + "); check --pkcs11-library", e);
        };
      } catch (IllegalAccessError | NoClassDefFoundError e) {
        throw new StartupException("this JVM cannot reach the PKCS#11 wrapper; run with --add-modules jdk.crypto.cryptoki "
            + "--add-exports jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED (the jar's manifest and ./sleutelbos do this)", e);
      }
    }
  }
}

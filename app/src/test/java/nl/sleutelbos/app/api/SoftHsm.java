package nl.sleutelbos.app.api;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import nl.sleutelbos.app.CustodyBackend;
import nl.sleutelbos.custody.Location;
import nl.sleutelbos.custody.Secret;
import org.junit.jupiter.api.Assumptions;

/**
 * SoftHSM2 tokens for the app's tests, as custody's TestToken does for its own: SoftHSM2 reads
 * {@code SOFTHSM2_CONF} once per process, so the build points it at {@code target/softhsm}; the
 * first test to ask writes the file and initialises the tokens. Without SoftHSM2 a test fails
 * under {@code CI=true} and is skipped otherwise.
 */
final class SoftHsm {
  static final String LABEL = "sleutelbos-app";
  /** Never logged into with the right PIN, so a wrong PIN is really checked (no shared login). */
  static final String UNTOUCHED = "sleutelbos-app-untouched";
  static final String PIN = "1234";
  private static final List<Path> LIBRARIES = List.of(
      Path.of("/usr/lib/softhsm/libsofthsm2.so"), Path.of("/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"));
  private static boolean ready;

  private SoftHsm() {}

  static synchronized Path library() {
    Optional<Path> found = LIBRARIES.stream().filter(Files::exists).findFirst();
    if (found.isEmpty()) {
      absent("SoftHSM2 is not installed");
    }
    if (!ready) {
      initialise();
      ready = true;
    }
    return found.get();
  }

  /** The test token, PIN from a file in {@code dir}. */
  static CustodyBackend.Pkcs11 backend(Path dir, String token, String pin) {
    Path library = library();
    try {
      Path file = dir.resolve("pin-" + token);
      Files.writeString(file, pin + "\n");
      return new CustodyBackend.Pkcs11(library, Optional.of(token), Optional.empty(), new Secret.FromFile(file),
          new Location("NL"), Optional.empty(), 2);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void initialise() {
    String conf = System.getenv("SOFTHSM2_CONF");
    if (conf == null) {
      absent("SOFTHSM2_CONF is not set; run the tests through Maven");
    }
    try {
      Path dir = Path.of(conf).getParent();
      if (Files.exists(dir)) {
        try (var walk = Files.walk(dir)) {
          walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
      Path tokens = dir.resolve("tokens");
      Files.createDirectories(tokens);
      Files.writeString(Path.of(conf), "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n");
      for (String label : List.of(LABEL, UNTOUCHED)) {
        Process p = new ProcessBuilder("softhsm2-util", "--init-token", "--free", "--label", label, "--pin", PIN, "--so-pin", "5678")
            .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
          throw new IllegalStateException("softhsm2-util failed: " + out);
        }
      }
    } catch (IOException e) {
      absent("cannot run softhsm2-util: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void absent(String why) {
    if ("true".equals(System.getenv("CI"))) {
      fail(why);
    }
    Assumptions.abort(why);
  }
}

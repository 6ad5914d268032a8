package nl.sleutelbos.custody;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import nl.sleutelbos.custody.pkcs11.Pkcs11Config;
import org.junit.jupiter.api.Assumptions;

/**
 * SoftHSM2 tokens for tests. SoftHSM2 reads {@code SOFTHSM2_CONF} once per process, so the build
 * points it at {@code target/softhsm/softhsm2.conf}; the first test to ask writes that file and
 * initialises fresh tokens with {@code softhsm2-util}. Without SoftHSM2 a test fails under
 * {@code CI=true} and is skipped otherwise. Shared with other modules' tests through the test-jar.
 */
public final class TestToken {
  public static final String LABEL = "sleutelbos-test";
  /** A second token on which no test ever logs in correctly, so wrong PINs are really checked. */
  public static final String UNTOUCHED = "sleutelbos-untouched";
  public static final String PIN = "1234";
  private static final List<Path> LIBRARIES = List.of(
      Path.of("/usr/lib/softhsm/libsofthsm2.so"), Path.of("/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"));
  private static boolean ready;

  private TestToken() {}

  static Path library() {
    Optional<Path> found = LIBRARIES.stream().filter(Files::exists).findFirst();
    if (found.isEmpty()) {
      absent("SoftHSM2 is not installed");
    }
    return found.get();
  }

  /** The library, with the test tokens initialised (once per JVM). */
  public static synchronized Path initialisedLibrary() {
    Path library = library();
    if (!ready) {
      initialise();
      ready = true;
    }
    return library;
  }

  static Pkcs11Config config(String token, Path pinFile, Optional<String> certification) {
    Path library = initialisedLibrary();
    return new Pkcs11Config(library, token, new Secret.FromFile(pinFile), new Location("NL"), certification, 2);
  }

  /**
   * Takes the login away from every session on the test token, as a restarted HSM does:
   * {@code C_Logout} through the library instance this JVM shares. Every session of the process
   * loses its private objects (the KEKs and their session copies), so calls on a custody opened
   * before fail as the real library fails them; opening custody again logs in again. (The JDK's
   * wrapper offers no {@code C_CloseAllSessions}, and {@code C_Finalize} under running calls
   * would pull memory from under them.)
   */
  static void logOutEverySession() {
    try {
      sun.security.pkcs11.wrapper.PKCS11 p11 =
          sun.security.pkcs11.wrapper.PKCS11.getInstance(library().toString(), "C_GetFunctionList", null, true);
      for (long slot : p11.C_GetSlotList(true)) {
        if (new String(p11.C_GetTokenInfo(slot).label).strip().equals(LABEL)) {
          long session = p11.C_OpenSession(slot, sun.security.pkcs11.wrapper.PKCS11Constants.CKF_SERIAL_SESSION, null, null);
          try {
            p11.C_Logout(session);
          } finally {
            p11.C_CloseSession(session);
          }
        }
      }
    } catch (IOException | sun.security.pkcs11.wrapper.PKCS11Exception e) {
      throw new IllegalStateException("cannot log out of the token", e);
    }
  }

  private static void initialise() {
    String conf = System.getenv("SOFTHSM2_CONF");
    if (conf == null) {
      absent("SOFTHSM2_CONF is not set; run the tests through Maven");
    }
    try {
      Path dir = Path.of(conf).getParent();
      Path tokens = dir.resolve("tokens");
      if (Files.exists(dir)) {
        try (var walk = Files.walk(dir)) {
          walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
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

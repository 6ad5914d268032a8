package nl.sleutelbos.app.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import nl.sleutelbos.app.CustodyBackend;
import nl.sleutelbos.custody.Location;
import nl.sleutelbos.custody.Secret;
import nl.sleutelbos.custody.TestToken;

/** The custody module's SoftHSM2 test tokens ({@link TestToken}) as the app's custody backend. */
final class SoftHsm {
  static final String LABEL = TestToken.LABEL;
  /** Never logged into with the right PIN, so a wrong PIN is really checked (no shared login). */
  static final String UNTOUCHED = TestToken.UNTOUCHED;
  static final String PIN = TestToken.PIN;

  private SoftHsm() {}

  static Path library() {
    return TestToken.initialisedLibrary();
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
}

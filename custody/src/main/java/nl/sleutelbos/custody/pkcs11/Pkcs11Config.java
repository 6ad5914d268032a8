package nl.sleutelbos.custody.pkcs11;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Optional;
import nl.sleutelbos.custody.Location;
import nl.sleutelbos.custody.Secret;

/**
 * How to reach a PKCS#11 token. The token is chosen by label, not slot number: SoftHSM2 (and
 * real HSMs after re-initialisation) give a token a new slot id, while its label is what the
 * operator set. {@code sessions} bounds the concurrent sessions this process opens.
 */
public record Pkcs11Config(
    Path library, String tokenLabel, Secret pin, Location location, Optional<String> certification, int sessions) {
  public Pkcs11Config {
    requireNonNull(library, "library is null");
    requireNonNull(tokenLabel, "tokenLabel is null");
    requireNonNull(pin, "pin is null");
    requireNonNull(location, "location is null");
    requireNonNull(certification, "certification is null");
    if (sessions < 1) {
      throw new IllegalArgumentException("sessions < 1: " + sessions);
    }
  }
}

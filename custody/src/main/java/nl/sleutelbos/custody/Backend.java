package nl.sleutelbos.custody;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * What a custody backend is: its name, where it stands, its certification and model. Sovereign
 * custody means an HSM with a certification, standing in an EU member state; a software key
 * store is never sovereign, whatever it is configured to claim.
 */
public record Backend(String name, Location location, Optional<String> certification, String model, boolean software) {
  public Backend {
    requireNonNull(name, "name is null");
    requireNonNull(location, "location is null");
    requireNonNull(certification, "certification is null");
    requireNonNull(model, "model is null");
  }

  /** Whether keys in this backend are in sovereign custody. */
  public boolean sovereign() {
    return !software && certification.isPresent() && location.inEu();
  }
}

package nl.sleutelbos.app;

import static java.util.Objects.requireNonNull;

import nl.sleutelbos.custody.quorum.Quorum;

/**
 * Key custody: where the keys are kept, and how many security officers approve a sensitive key
 * operation.
 */
public record CustodySettings(CustodyBackend backend, Quorum.Rule quorum) {
  /** The software key store under the data directory; 2 approvals by any security officers. */
  public static final CustodySettings DEFAULT = new CustodySettings(CustodyBackend.DEFAULT, Quorum.Rule.DEFAULT);

  public CustodySettings {
    requireNonNull(backend, "backend is null");
    requireNonNull(quorum, "quorum is null");
  }
}

package nl.sleutelbos.app;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import nl.sleutelbos.custody.KeyCustody;
import nl.sleutelbos.identity.SignerStore;
import nl.sleutelbos.identity.SoftwareSignerStore;

/**
 * Where the operator's two service signing keys are kept: the token issuer's (ES256 access
 * tokens) and the audit log's (signed checkpoints). With an HSM they are generated in it and never
 * leave it, like every other operator key. With the software custody of development they stay in
 * their own software signer stores under the data directory, where earlier releases put them, so a
 * development installation keeps its audit key (and with it the verifiability of its checkpoints).
 *
 * @param inCustody whether both are held by the custody backend (the custody report says so)
 */
record Signing(SignerStore tokens, SignerStore audit, boolean inCustody) {
  Signing {
    requireNonNull(tokens, "tokens is null");
    requireNonNull(audit, "audit is null");
  }

  static Signing of(Settings settings, KeyCustody custody) {
    return of(settings.custody().backend(), settings.dataDir(), custody);
  }

  static Signing of(CustodyBackend backend, Path dataDir, KeyCustody custody) {
    if (inSoftware(backend)) {
      return new Signing(SoftwareSignerStore.open(dataDir.resolve("keys")),
          SoftwareSignerStore.open(dataDir.resolve("audit-keys")), false);
    }
    return new Signing(custody.signers(), custody.signers(), true);
  }

  /** Whether the signing keys of this backend's installation are in software signer stores. */
  static boolean inSoftware(CustodyBackend backend) {
    return backend instanceof CustodyBackend.Software;
  }
}

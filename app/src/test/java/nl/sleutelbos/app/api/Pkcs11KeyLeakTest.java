package nl.sleutelbos.app.api;

import java.nio.file.Path;
import nl.sleutelbos.app.CustodySettings;
import nl.sleutelbos.app.Settings;
import nl.sleutelbos.custody.quorum.Quorum;

/** {@link KeyLeakTest} with the keys in a SoftHSM2 token. */
class Pkcs11KeyLeakTest extends KeyLeakTest {
  @Override
  protected Settings settings(Path dir) {
    return super.settings(dir).withCustody(new CustodySettings(SoftHsm.backend(dir, SoftHsm.LABEL, SoftHsm.PIN), Quorum.Rule.DEFAULT));
  }
}

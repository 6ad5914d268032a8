package nl.sleutelbos.custody;

import java.nio.file.Files;
import java.util.Optional;
import nl.sleutelbos.custody.pkcs11.Pkcs11Custody;
import nl.sleutelbos.store.EntityStore;
import nl.sleutelbos.store.StoreConfig;
import nl.sleutelbos.store.Stores;

/** Campaigns on SoftHSM2 over SQLite; the HSM goes away as a restarted one does: every session logged out under custody. */
class Pkcs11CampaignTest extends CampaignContract {
  @Override
  protected KeyCustody openCustody() throws Exception {
    Files.writeString(dir.resolve("pin"), TestToken.PIN);
    return Pkcs11Custody.open(TestToken.config(TestToken.LABEL, dir.resolve("pin"), Optional.empty()));
  }

  @Override
  protected EntityStore openStore() {
    return Stores.open(new StoreConfig.Sqlite(dir.resolve("test.db")));
  }

  @Override
  protected void pullThePlug(KeyCustody custody) {
    TestToken.logOutEverySession();
  }
}

package nl.sleutelbos.custody;

import java.nio.file.Files;
import nl.sleutelbos.custody.software.SoftwareCustody;
import nl.sleutelbos.store.EntityStore;
import nl.sleutelbos.store.StoreConfig;
import nl.sleutelbos.store.Stores;
import nl.sleutelbos.store.testing.TestPostgres;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Campaigns on the software backend over PostgreSQL. Known difference: a key file cannot be
 * pulled out from under the process, so "custody goes away" is custody closed under the campaign,
 * which this backend answers as UNAVAILABLE, like a token that went away.
 */
class SoftwareCampaignTest extends CampaignContract {
  @RegisterExtension static final TestPostgres POSTGRES = new TestPostgres();
  private StoreConfig.Postgres config;

  @Override
  protected KeyCustody openCustody() throws Exception {
    Files.writeString(dir.resolve("pass"), "correct horse\n");
    return SoftwareCustody.open(dir.resolve("keys"), new Secret.FromFile(dir.resolve("pass")), new Location("NL"));
  }

  @Override
  protected EntityStore openStore() {
    if (config == null) {
      config = POSTGRES.freshSchema();
    }
    return Stores.open(config);
  }

  @Override
  protected void pullThePlug(KeyCustody custody) {
    custody.close();
  }
}

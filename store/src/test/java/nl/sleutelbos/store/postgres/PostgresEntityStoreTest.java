package nl.sleutelbos.store.postgres;

import nl.sleutelbos.store.EntityStore;
import nl.sleutelbos.store.StoreConfig;
import nl.sleutelbos.store.Stores;
import nl.sleutelbos.store.testing.EntityStoreContract;
import nl.sleutelbos.store.testing.TestPostgres;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresEntityStoreTest extends EntityStoreContract {
  @RegisterExtension static final TestPostgres POSTGRES = new TestPostgres();

  private StoreConfig.Postgres config;

  @Override
  protected EntityStore openStore() {
    if (config == null) {
      config = POSTGRES.freshSchema(); // each test gets an empty schema; reopening keeps it
    }
    return Stores.open(config);
  }

  /** jsonb gives documents back in its own form. */
  @Override
  protected boolean keepsDocumentText() {
    return false;
  }

  /** jsonb refuses text that is not JSON, and the escape <code>&#92;u0000</code>. */
  @Override
  protected boolean rejectsDocumentsItCannotParse() {
    return true;
  }
}

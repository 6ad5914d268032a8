package nl.sleutelbos.store.postgres;

import nl.sleutelbos.store.EntityStore;
import nl.sleutelbos.store.StoreConfig;
import nl.sleutelbos.store.Stores;
import nl.sleutelbos.store.testing.ReadingStoreContract;
import nl.sleutelbos.store.testing.TestPostgres;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresReadingStoreTest extends ReadingStoreContract {
  @RegisterExtension static final TestPostgres POSTGRES = new TestPostgres();

  private StoreConfig.Postgres config;

  @Override
  protected EntityStore openStore() {
    if (config == null) {
      config = POSTGRES.freshSchema();
    }
    return Stores.open(config);
  }
}

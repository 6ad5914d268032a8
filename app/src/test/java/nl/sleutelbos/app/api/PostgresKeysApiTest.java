package nl.sleutelbos.app.api;

import java.nio.file.Path;
import nl.sleutelbos.store.StoreConfig;
import nl.sleutelbos.store.testing.TestPostgres;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link KeysApiTest} on PostgreSQL. */
class PostgresKeysApiTest extends KeysApiTest {
  @RegisterExtension
  static final TestPostgres POSTGRES = new TestPostgres();

  @Override
  protected StoreConfig storeConfig(Path dir) {
    return POSTGRES.config();
  }
}

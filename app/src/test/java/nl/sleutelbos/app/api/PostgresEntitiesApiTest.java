package nl.sleutelbos.app.api;

import java.nio.file.Path;
import nl.sleutelbos.store.StoreConfig;
import nl.sleutelbos.store.testing.TestPostgres;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link EntitiesApiTest} on PostgreSQL: the same HTTP behaviour on the server backend. */
class PostgresEntitiesApiTest extends EntitiesApiTest {
  @RegisterExtension
  static final TestPostgres POSTGRES = new TestPostgres();

  @Override
  protected StoreConfig storeConfig(Path dir) {
    return POSTGRES.config();
  }
}

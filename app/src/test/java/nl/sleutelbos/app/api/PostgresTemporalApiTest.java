package nl.sleutelbos.app.api;

import java.nio.file.Path;
import nl.sleutelbos.store.StoreConfig;
import nl.sleutelbos.store.testing.TestPostgres;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link TemporalApiTest} on PostgreSQL: the same HTTP behaviour on the partitioned history. */
class PostgresTemporalApiTest extends TemporalApiTest {
  @RegisterExtension
  static final TestPostgres POSTGRES = new TestPostgres();

  @Override
  protected StoreConfig storeConfig(Path dir) {
    return POSTGRES.config();
  }
}

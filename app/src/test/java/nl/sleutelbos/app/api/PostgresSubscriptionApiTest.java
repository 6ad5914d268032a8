package nl.sleutelbos.app.api;

import java.nio.file.Path;
import nl.sleutelbos.store.StoreConfig;
import nl.sleutelbos.store.testing.TestPostgres;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link SubscriptionApiTest} on PostgreSQL: the change feed and the cursors on the server backend. */
class PostgresSubscriptionApiTest extends SubscriptionApiTest {
  @RegisterExtension
  static final TestPostgres POSTGRES = new TestPostgres();

  @Override
  protected StoreConfig storeConfig(Path dir) {
    return POSTGRES.config();
  }
}

package nl.sleutelbos.app.api;

import java.nio.file.Path;
import nl.sleutelbos.store.StoreConfig;
import nl.sleutelbos.store.testing.TestPostgres;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link IdentityApiTest} on PostgreSQL: clients, keys and the bootstrap marker in the server store. */
class PostgresIdentityApiTest extends IdentityApiTest {
  @RegisterExtension
  static final TestPostgres POSTGRES = new TestPostgres();

  @Override
  protected StoreConfig storeConfig(Path dir) {
    return POSTGRES.config();
  }
}

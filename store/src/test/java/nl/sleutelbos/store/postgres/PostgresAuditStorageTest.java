package nl.sleutelbos.store.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import nl.sleutelbos.store.EntityStore;
import nl.sleutelbos.store.StoreConfig;
import nl.sleutelbos.store.Stores;
import nl.sleutelbos.store.testing.AuditStorageContract;
import nl.sleutelbos.store.testing.TestPostgres;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresAuditStorageTest extends AuditStorageContract {
  @RegisterExtension static final TestPostgres POSTGRES = new TestPostgres();

  private StoreConfig.Postgres config;

  @Override
  protected EntityStore openStore() {
    if (config == null) {
      config = POSTGRES.freshSchema();
    }
    return Stores.open(config);
  }

  private StoreConfig.Postgres other;

  @Override
  protected String dialect() {
    return "postgres";
  }

  @Override
  protected Connection connectToOther() throws SQLException {
    other = POSTGRES.freshSchema();
    java.util.Properties properties = new java.util.Properties();
    properties.setProperty("user", other.user());
    return DriverManager.getConnection(other.jdbcUrl(), properties);
  }

  @Override
  protected EntityStore openOther() {
    return Stores.open(other);
  }
}

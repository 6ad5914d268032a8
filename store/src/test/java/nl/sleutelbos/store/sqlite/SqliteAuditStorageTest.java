package nl.sleutelbos.store.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import nl.sleutelbos.store.EntityStore;
import nl.sleutelbos.store.StoreConfig;
import nl.sleutelbos.store.Stores;
import nl.sleutelbos.store.testing.AuditStorageContract;
import org.junit.jupiter.api.io.TempDir;

class SqliteAuditStorageTest extends AuditStorageContract {
  @TempDir Path dir;

  @Override
  protected EntityStore openStore() {
    return Stores.open(new StoreConfig.Sqlite(dir.resolve("data/sleutelbos.db")));
  }

  @Override
  protected String dialect() {
    return "sqlite";
  }

  @Override
  protected Connection connectToOther() throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("other.db"));
  }

  @Override
  protected EntityStore openOther() {
    return Stores.open(new StoreConfig.Sqlite(dir.resolve("other.db")));
  }
}

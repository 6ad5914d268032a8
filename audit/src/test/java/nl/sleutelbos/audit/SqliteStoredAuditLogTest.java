package nl.sleutelbos.audit;

import java.nio.file.Path;
import nl.sleutelbos.store.EntityStore;
import nl.sleutelbos.store.StoreConfig;
import nl.sleutelbos.store.Stores;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoredAuditLogTest extends StoredAuditLogContract {
  @TempDir Path dir;

  @Override
  protected EntityStore openStore() {
    return Stores.open(new StoreConfig.Sqlite(dir.resolve("sleutelbos.db")));
  }
}

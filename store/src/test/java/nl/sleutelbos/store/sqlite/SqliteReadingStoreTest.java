package nl.sleutelbos.store.sqlite;

import java.nio.file.Path;
import nl.sleutelbos.store.EntityStore;
import nl.sleutelbos.store.StoreConfig;
import nl.sleutelbos.store.Stores;
import nl.sleutelbos.store.testing.ReadingStoreContract;
import org.junit.jupiter.api.io.TempDir;

class SqliteReadingStoreTest extends ReadingStoreContract {
  @TempDir Path dir;

  @Override
  protected EntityStore openStore() {
    return Stores.open(new StoreConfig.Sqlite(dir.resolve("data/sleutelbos.db")));
  }
}

package nl.sleutelbos.store;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteCrashSafetyTest {
  @TempDir Path dir;

  @Test
  void everyAcknowledgedWriteSurvivesKillDashNine() throws Exception {
    Path file = dir.resolve("crash.db");
    StoreConfig config = new StoreConfig.Sqlite(file);

    CrashSafety.Acknowledged acked = CrashSafety.killWhileWriting(dir, config, "sqlite", file.toString());

    CrashSafety.assertAllThere(acked, config);
  }
}

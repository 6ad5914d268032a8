package nl.sleutelbos.store;

import java.nio.file.Path;
import nl.sleutelbos.store.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class PostgresCrashSafetyTest {
  @RegisterExtension static final TestPostgres POSTGRES = new TestPostgres();
  @TempDir Path dir;

  @Test
  void everyAcknowledgedWriteSurvivesKillDashNine() throws Exception {
    StoreConfig.Postgres config = POSTGRES.config();

    CrashSafety.Acknowledged acked = CrashSafety.killWhileWriting(dir, config,
        "postgres", config.jdbcUrl(), String.valueOf(config.user()));

    CrashSafety.assertAllThere(acked, config);
  }
}

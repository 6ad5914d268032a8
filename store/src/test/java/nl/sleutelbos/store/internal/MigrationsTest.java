package nl.sleutelbos.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Migration numbers are taken in advance on parallel branches, so one can land on main after a
 * larger one has already been applied somewhere. Test scripts: {@code gaps-early} (V1, V3) and
 * {@code gaps-late} (V1, V2, V3) under {@code /nl/sleutelbos/store/}.
 */
class MigrationsTest {
  @TempDir Path dir;

  @Test
  void aMigrationThatLandsAfterALargerOneStillRunsOnce() throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("gaps.db"))) {
      assertThat(Migrations.migrate(c, "gaps-early")).isEqualTo(3);
      assertThat(tables(c)).contains("one", "three").doesNotContain("two");

      assertThat(Migrations.migrate(c, "gaps-late")).isEqualTo(3);
      assertThat(tables(c)).contains("one", "two", "three");
      assertThat(Migrations.migrate(c, "gaps-late")).as("nothing runs twice").isEqualTo(3);
    }
  }

  private static java.util.List<String> tables(Connection c) throws SQLException {
    java.util.List<String> names = new java.util.ArrayList<>();
    try (ResultSet rs = c.createStatement().executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }
}

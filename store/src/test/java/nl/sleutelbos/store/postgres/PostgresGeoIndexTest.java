package nl.sleutelbos.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import nl.sleutelbos.store.EntityStore;
import nl.sleutelbos.store.StoreConfig;
import nl.sleutelbos.store.Stores;
import nl.sleutelbos.store.testing.GeoIndexContract;
import nl.sleutelbos.store.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresGeoIndexTest extends GeoIndexContract {
  @RegisterExtension static final TestPostgres POSTGRES = new TestPostgres();

  private StoreConfig.Postgres config;

  @Override
  protected EntityStore openStore() {
    if (config == null) {
      config = POSTGRES.freshSchema(); // each test gets an empty schema; reopening keeps it
    }
    return Stores.open(config);
  }

  @Test
  void theIndexTableSortsItsKeysByteWiseAndHasAGistIndex() throws SQLException {
    try (Connection c = DriverManager.getConnection(config.jdbcUrl(), config.user(), null)) {
      List<String> rows = new ArrayList<>();
      try (ResultSet rs = c.createStatement().executeQuery("SELECT column_name || ' ' || collation_name"
          + " FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'geo_extent'"
          + " AND data_type = 'text' ORDER BY 1")) {
        while (rs.next()) {
          rows.add(rs.getString(1));
        }
      }
      // The candidates' ids come back in this column's order, which must be the entities' id order.
      assertThat(rows).containsExactly("attribute C", "entity C", "tenant C");
      try (ResultSet rs = c.createStatement().executeQuery("SELECT indexdef FROM pg_indexes"
          + " WHERE schemaname = current_schema() AND tablename = 'geo_extent' AND indexdef LIKE '%gist%'")) {
        assertThat(rs.next()).as("a GiST index on geo_extent").isTrue();
      }
    }
  }
}

package nl.sleutelbos.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import nl.sleutelbos.store.EntityChange;
import nl.sleutelbos.store.EntityStore;
import nl.sleutelbos.store.Outcome;
import nl.sleutelbos.store.StoreConfig;
import nl.sleutelbos.store.StoreException;
import nl.sleutelbos.store.StoredEntity;
import nl.sleutelbos.store.Stores;
import nl.sleutelbos.store.internal.Migrations;
import nl.sleutelbos.store.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the contract cannot say about the PostgreSQL backend: connecting, migrating, durability settings. */
class PostgresBackendTest {
  @RegisterExtension static final TestPostgres POSTGRES = new TestPostgres();

  @Test
  void anUnreachableServerIsARetryableStoreException() {
    StoreConfig.Postgres nowhere = new StoreConfig.Postgres("jdbc:postgresql://127.0.0.1:1/sleutelbos", "postgres",
        "s3cret", 2);

    assertThatThrownBy(() -> Stores.open(nowhere))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.retryable()).isTrue())
        .hasMessageContaining("postgresql://127.0.0.1:1/sleutelbos")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void describeNamesTheServerAndDatabaseButNoCredentials() {
    StoreConfig.Postgres config = POSTGRES.freshSchema();
    String url = config.jdbcUrl() + "&password=s3cret&user=postgres";

    try (EntityStore store = Stores.open(new StoreConfig.Postgres(url, "postgres", "s3cret", 2))) {
      assertThat(store.describe())
          .isEqualTo("postgresql:" + url.substring("jdbc:postgresql:".length(), url.indexOf('?')))
          .doesNotContain("s3cret", "password", "user");
    }
  }

  @Test
  void storesStartingTogetherMigrateTheSchemaOnce() throws Exception {
    StoreConfig.Postgres config = POSTGRES.freshSchema();
    int starters = 4;
    ExecutorService pool = Executors.newFixedThreadPool(starters);
    List<EntityStore> stores = new ArrayList<>();
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<EntityStore>> opened = new ArrayList<>();
      for (int i = 0; i < starters; i++) {
        opened.add(pool.submit(() -> {
          go.await();
          return Stores.open(config);
        }));
      }
      go.countDown();
      for (Future<EntityStore> f : opened) {
        stores.add(f.get(30, TimeUnit.SECONDS));
      }
      // Each script once, in order: the index file is the expectation.
      List<List<String>> expected = Migrations.load("postgres").stream()
          .map(m -> List.of(String.valueOf(m.version()), m.name())).toList();
      assertThat(query(config, "SELECT version, name FROM schema_version ORDER BY version"))
          .containsExactlyElementsOf(expected);
    } finally {
      stores.forEach(EntityStore::close);
      pool.shutdownNow();
    }
  }

  @Test
  void commitsAreSynchronousEvenWhenTheServerDefaultIsOff() {
    StoreConfig.Postgres config = POSTGRES.freshSchema();
    // The session starts with synchronous_commit off, as a server or database default could set it.
    String url = config.jdbcUrl() + "&options=-c%20synchronous_commit%3Doff";

    try (EntityStore store = Stores.open(new StoreConfig.Postgres(url, config.user(), null, 2))) {
      String setting = ((PostgresEntityStore) store).onPooledConnection(c -> {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW synchronous_commit")) {
          rs.next();
          return rs.getString(1);
        }
      });
      assertThat(setting).isEqualTo("on");
    }
  }

  @Test
  void aDroppedConnectionCostsAtMostOneRetryableFailure() throws SQLException {
    StoreConfig.Postgres config = POSTGRES.freshSchema();
    try (EntityStore store = Stores.open(config)) {
      store.apply("t", List.of(put("urn:a")));
      try (Connection c = POSTGRES.connect(); Statement st = c.createStatement()) {
        st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            + "WHERE application_name = 'sleutelbos' AND datname = current_database()");
      }

      try {
        store.apply("t", List.of(put("urn:b")));
      } catch (StoreException e) {
        assertThat(e.retryable()).as("failure on a dropped connection: %s", e).isTrue();
      }

      for (int i = 0; i < 4; i++) { // Hikari drops a broken connection when it is handed back
        try {
          store.apply("t", List.of(put("urn:c")));
          break;
        } catch (StoreException e) {
          assertThat(e.retryable()).isTrue();
        }
      }
      assertThat(store.get("t", "urn:c")).isPresent();
      assertThat(store.get("t", "urn:a")).isPresent();
    }
  }

  @Test
  void theSchemaKeepsDocumentsAsJsonbAndOrdersKeysByteWise() {
    StoreConfig.Postgres config = POSTGRES.freshSchema();
    Stores.open(config).close(); // creates the schema
    assertThat(query(config, "SELECT data_type FROM information_schema.columns WHERE table_schema = current_schema()"
        + " AND table_name = 'entity' AND column_name = 'doc'")).containsExactly(List.of("jsonb"));
    assertThat(query(config, "SELECT table_name, column_name, collation_name FROM information_schema.columns"
        + " WHERE table_schema = current_schema() AND column_name IN ('id', 'tenant', 'type', 'key', 'name')"
        + " AND table_name <> 'schema_version' AND data_type = 'text' ORDER BY 1, 2"))
        .hasSizeGreaterThanOrEqualTo(7) // every text key, including those of later features' tables
        .allSatisfy(row -> assertThat(row.get(2)).as("collation of %s.%s", row.get(0), row.get(1)).isEqualTo("C"));
    assertThat(query(config, "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid"
        + " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY (i.indkey)"
        + " WHERE i.indisprimary AND a.attname = 'id' AND c.relnamespace = current_schema()::regnamespace"
        + " ORDER BY 1")).as("primary keys that include the entity id")
        .containsExactly(List.of("entity"), List.of("entity_type"));
  }

  private static EntityChange put(String id) {
    Instant now = Instant.now();
    StoredEntity e = new StoredEntity(id, List.of("https://example.org/T"), now, now, "{}");
    return new EntityChange(id, current -> Outcome.put(e));
  }

  private static List<List<String>> query(StoreConfig.Postgres config, String sql) {
    try (Connection c = java.sql.DriverManager.getConnection(config.jdbcUrl(), config.user(), null);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      List<List<String>> rows = new ArrayList<>();
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          row.add(Optional.ofNullable(rs.getString(i)).orElse("null"));
        }
        rows.add(row);
      }
      return rows;
    } catch (SQLException e) {
      throw new AssertionError(sql, e);
    }
  }
}

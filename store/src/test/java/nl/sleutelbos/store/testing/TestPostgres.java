package nl.sleutelbos.store.testing;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import nl.sleutelbos.store.StoreConfig;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh PostgreSQL database for one test class, dropped afterwards. Register it on a static
 * field:
 *
 * <pre>{@code
 * @RegisterExtension static final TestPostgres POSTGRES = new TestPostgres();
 *
 * EntityStore store = Stores.open(POSTGRES.config());          // the class's database
 * EntityStore empty = Stores.open(POSTGRES.freshSchema());     // an empty schema in it
 * }</pre>
 *
 * <p>The server is {@value #DEFAULT_URL} as user {@code postgres}, or the JDBC URL in the
 * environment variable {@value #URL_ENV} (user and password may be URL parameters). If the
 * server cannot be reached the test class is skipped, unless the environment variable
 * {@code CI} is {@code true}: then it fails, because under CI PostgreSQL is required.
 *
 * <p>Outside JUnit, {@link #create()} and {@link #close()} do the same by hand.
 */
public final class TestPostgres implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
  public static final String URL_ENV = "SLEUTELBOS_TEST_PG_URL";
  public static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String adminUrl;
  private final AtomicInteger schemas = new AtomicInteger();
  private String database;
  private String url;

  public TestPostgres() {
    String env = System.getenv(URL_ENV);
    this.adminUrl = env == null || env.isBlank() ? DEFAULT_URL : env.strip();
  }

  /** Creates the database now, for use outside a JUnit extension; {@link #close()} drops it. */
  public static TestPostgres create() {
    TestPostgres postgres = new TestPostgres();
    postgres.createDatabase();
    return postgres;
  }

  // JUnit also calls these for every @Nested class of the test class that registered the
  // extension; the database belongs to the outermost class, so only its callbacks act.
  @Override
  public void beforeAll(ExtensionContext context) {
    if (database == null) {
      createDatabase();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (context.getRequiredTestClass().getEnclosingClass() == null
        || !context.getRequiredTestClass().isAnnotationPresent(org.junit.jupiter.api.Nested.class)) {
      close();
    }
  }

  private void createDatabase() {
    if (database != null) {
      throw new IllegalStateException("database already created: " + database);
    }
    String name = "sleutelbos_test_" + HexFormat.of().formatHex(randomBytes());
    try (Connection c = connect(adminUrl); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      unreachable(e);
    }
    database = name;
    url = withDatabase(adminUrl, name);
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[6];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  private void unreachable(SQLException e) {
    String message = "PostgreSQL is not reachable at " + describe(adminUrl) + " (" + e.getMessage()
        + "); start it, or point " + URL_ENV + " at one";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new AssertionError("PostgreSQL is required under CI=true: " + message, e);
    }
    Assumptions.abort(message);
  }

  /** The JDBC URL of this class's database. */
  public String jdbcUrl() {
    requireCreated();
    return url;
  }

  /** The name of this class's database. */
  public String databaseName() {
    requireCreated();
    return database;
  }

  /** A store configuration for this class's database. */
  public StoreConfig.Postgres config() {
    return new StoreConfig.Postgres(jdbcUrl(), defaultUser(), null, 8);
  }

  /**
   * A store configuration for a new, empty schema in this class's database: the cheap way to give
   * each test an empty store (a schema costs milliseconds, a database a good part of a second).
   */
  public StoreConfig.Postgres freshSchema() {
    String schema = "s" + schemas.incrementAndGet();
    try (Connection c = connect(jdbcUrl()); Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new AssertionError("cannot create schema " + schema + " in " + database, e);
    }
    String schemaUrl = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    return new StoreConfig.Postgres(schemaUrl, defaultUser(), null, 8);
  }

  /** A plain JDBC connection to this class's database, for tests that look under the store. */
  public Connection connect() throws SQLException {
    return connect(jdbcUrl());
  }

  /** Drops the database, closing whatever sessions are still in it. */
  @Override
  public void close() {
    if (database == null) {
      return;
    }
    try (Connection c = connect(adminUrl); Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    } catch (SQLException e) {
      throw new AssertionError("cannot drop test database " + database, e);
    } finally {
      database = null;
      url = null;
    }
  }

  private void requireCreated() {
    if (database == null) {
      throw new IllegalStateException("no test database: register TestPostgres with @RegisterExtension on a "
          + "static field, or call TestPostgres.create()");
    }
  }

  private String defaultUser() {
    return adminUrl.contains("user=") ? null : "postgres";
  }

  private Connection connect(String jdbcUrl) throws SQLException {
    Properties properties = new Properties();
    if (defaultUser() != null) {
      properties.setProperty("user", defaultUser());
    }
    properties.setProperty("connectTimeout", "5");
    return DriverManager.getConnection(jdbcUrl, properties);
  }

  /** The URL with its database replaced: jdbc:postgresql://host:port/db?params. */
  static String withDatabase(String jdbcUrl, String database) {
    int query = jdbcUrl.indexOf('?');
    String base = query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
    String params = query < 0 ? "" : jdbcUrl.substring(query);
    int hostStart = base.indexOf("//");
    if (hostStart < 0) {
      return "jdbc:postgresql:" + database + params; // jdbc:postgresql:db means localhost
    }
    int slash = base.indexOf('/', hostStart + 2);
    String server = slash < 0 ? base : base.substring(0, slash);
    return server + "/" + database + params;
  }

  private static String describe(String jdbcUrl) {
    int query = jdbcUrl.indexOf('?');
    return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
  }
}

package nl.sleutelbos.store;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/** Which backend {@link Stores#open} opens, and where. */
public sealed interface StoreConfig {

  /**
   * The embedded default: one SQLite database file in WAL mode.
   *
   * @param file the database file; its directory is created if missing
   */
  record Sqlite(Path file) implements StoreConfig {
    public Sqlite {
      requireNonNull(file, "file is null");
    }
  }

  /**
   * A PostgreSQL server reached over JDBC.
   *
   * @param jdbcUrl for example {@code jdbc:postgresql://127.0.0.1:5432/sleutelbos}; user and
   *     password may be given in the URL instead
   * @param maxPoolSize the most connections the pool opens
   */
  record Postgres(String jdbcUrl, String user, String password, int maxPoolSize) implements StoreConfig {
    public Postgres {
      requireNonNull(jdbcUrl, "jdbcUrl is null");
      if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
        throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + jdbcUrl);
      }
      if (maxPoolSize < 1) {
        throw new IllegalArgumentException("maxPoolSize < 1: " + maxPoolSize);
      }
    }

    public Postgres(String jdbcUrl) {
      this(jdbcUrl, null, null, 16);
    }
  }
}

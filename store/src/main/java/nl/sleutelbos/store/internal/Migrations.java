package nl.sleutelbos.store.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import nl.sleutelbos.store.StoreException;

/**
 * Versioned schema migrations. Each backend keeps its scripts under
 * {@code /nl/sleutelbos/store/<dialect>/} with an {@code index} file naming them in order
 * ({@code V1__entities.sql}, ...). A migration runs in its own transaction and is recorded in
 * {@code schema_version}; scripts once released are never edited, only followed by new ones.
 *
 * <p>Versions must increase down the index but may leave gaps: work on parallel branches takes
 * numbers in advance, so a number can land on main after a larger one. A migration runs when its
 * version is not yet recorded, not when it exceeds the largest recorded one, so a database that
 * already has V8 still gets a V7 that arrives later. Scripts are therefore written not to depend
 * on a migration with a larger number.
 */
public final class Migrations {
  private static final Pattern NAME = Pattern.compile("V(\\d+)__([a-z0-9_]+)\\.sql");

  /** One script: its version and the statements in it. */
  public record Migration(int version, String name, List<String> statements) {}

  private Migrations() {}

  /** Brings the schema to the newest version; returns the version it is at afterwards. */
  public static int migrate(Connection connection, String dialect) {
    List<Migration> migrations = load(dialect);
    try {
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(false);
      try (Statement st = connection.createStatement()) {
        st.execute("CREATE TABLE IF NOT EXISTS schema_version ("
            + "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
      }
      connection.commit();
      java.util.Set<Integer> applied = appliedVersions(connection);
      int current = applied.stream().mapToInt(Integer::intValue).max().orElse(0);
      for (Migration m : migrations) {
        if (applied.contains(m.version())) {
          continue;
        }
        try (Statement st = connection.createStatement()) {
          for (String sql : m.statements()) {
            st.execute(sql);
          }
        }
        try (PreparedStatement ps = connection.prepareStatement(
            "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)")) {
          ps.setInt(1, m.version());
          ps.setString(2, m.name());
          ps.setString(3, java.time.Instant.now().toString());
          ps.executeUpdate();
        }
        connection.commit();
        current = Math.max(current, m.version());
      }
      connection.setAutoCommit(autoCommit);
      return current;
    } catch (SQLException e) {
      try {
        connection.rollback();
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new StoreException("schema migration failed for " + dialect + ": " + e.getMessage(), e);
    }
  }

  private static java.util.Set<Integer> appliedVersions(Connection connection) throws SQLException {
    java.util.Set<Integer> versions = new java.util.HashSet<>();
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery("SELECT version FROM schema_version")) {
      while (rs.next()) {
        versions.add(rs.getInt(1));
      }
    }
    return versions;
  }

  /** The migrations of a dialect, in version order. */
  public static List<Migration> load(String dialect) {
    String base = "/nl/sleutelbos/store/" + dialect + "/";
    List<Migration> result = new ArrayList<>();
    int previous = 0;
    for (String file : read(base + "index").split("\\R")) {
      file = file.strip();
      if (file.isEmpty() || file.startsWith("#")) {
        continue;
      }
      Matcher m = NAME.matcher(file);
      if (!m.matches()) {
        throw new IllegalStateException("bad migration file name: " + base + file);
      }
      int version = Integer.parseInt(m.group(1));
      if (version <= previous) {
        throw new IllegalStateException("migration versions must increase: " + base + file);
      }
      previous = version;
      result.add(new Migration(version, m.group(2), statements(read(base + file))));
    }
    return result;
  }

  /** Splits a script on semicolons at line ends; our scripts hold no procedural bodies. */
  static List<String> statements(String script) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : script.split("\\R")) {
      String trimmed = line.strip();
      if (trimmed.startsWith("--")) {
        continue;
      }
      current.append(line).append('\n');
      if (trimmed.endsWith(";")) {
        String sql = current.toString().strip();
        out.add(sql.substring(0, sql.length() - 1));
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      out.add(current.toString().strip());
    }
    return out;
  }

  private static String read(String resource) {
    try (InputStream in = Migrations.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing migration resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + resource, e);
    }
  }
}

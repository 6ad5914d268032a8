package nl.sleutelbos.store.postgres;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import nl.sleutelbos.store.DocumentStore;

/** The document table of the PostgreSQL backend; each write is one synchronously committed statement. */
final class PostgresDocuments implements DocumentStore {
  private final Pool pool;

  PostgresDocuments(Pool pool) {
    this.pool = pool;
  }

  @Override
  public void put(String collection, String key, String body) {
    pool.autocommit("put document", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO document (collection, key, body) VALUES (?, ?, ?) "
              + "ON CONFLICT (collection, key) DO UPDATE SET body = excluded.body")) {
        ps.setString(1, collection);
        ps.setString(2, key);
        ps.setString(3, body);
        return ps.executeUpdate();
      }
    });
  }

  @Override
  public boolean putIfAbsent(String collection, String key, String body) {
    return pool.autocommit("put document", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO document (collection, key, body) VALUES (?, ?, ?) ON CONFLICT (collection, key) DO NOTHING")) {
        ps.setString(1, collection);
        ps.setString(2, key);
        ps.setString(3, body);
        return ps.executeUpdate() == 1;
      }
    });
  }

  @Override
  public Optional<String> get(String collection, String key) {
    return pool.read("get document", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT body FROM document WHERE collection = ? AND key = ?")) {
        ps.setString(1, collection);
        ps.setString(2, key);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
        }
      }
    });
  }

  @Override
  public List<Document> list(String collection) {
    return pool.read("list documents", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT key, body FROM document WHERE collection = ? ORDER BY key")) {
        ps.setString(1, collection);
        List<Document> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new Document(collection, rs.getString(1), rs.getString(2)));
          }
        }
        return out;
      }
    });
  }

  @Override
  public boolean delete(String collection, String key) {
    return pool.autocommit("delete document", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "DELETE FROM document WHERE collection = ? AND key = ?")) {
        ps.setString(1, collection);
        ps.setString(2, key);
        return ps.executeUpdate() == 1;
      }
    });
  }
}

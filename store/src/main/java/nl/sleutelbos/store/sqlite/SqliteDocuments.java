package nl.sleutelbos.store.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import nl.sleutelbos.store.DocumentStore;

/** The document table of the SQLite backend; writes go through the same group commit as entities. */
final class SqliteDocuments implements DocumentStore {
  interface Reads {
    <T> T withReader(SqliteEntityStore.Read<T> read);
  }

  private final WriterThread writer;
  private final Reads reads;

  SqliteDocuments(WriterThread writer, Reads reads) {
    this.writer = writer;
    this.reads = reads;
  }

  @Override
  public void put(String collection, String key, String body) {
    writer.submit(c -> {
      PreparedStatement ps = c.prepare(
          "INSERT INTO document (collection, key, body) VALUES (?, ?, ?) "
              + "ON CONFLICT (collection, key) DO UPDATE SET body = excluded.body");
      ps.setString(1, collection);
      ps.setString(2, key);
      ps.setString(3, body);
      return ps.executeUpdate();
    });
  }

  @Override
  public boolean putIfAbsent(String collection, String key, String body) {
    return writer.submit(c -> {
      PreparedStatement ps = c.prepare(
          "INSERT OR IGNORE INTO document (collection, key, body) VALUES (?, ?, ?)");
      ps.setString(1, collection);
      ps.setString(2, key);
      ps.setString(3, body);
      return ps.executeUpdate() == 1;
    });
  }

  @Override
  public Optional<String> get(String collection, String key) {
    return reads.withReader(c -> {
      PreparedStatement ps = c.prepare(
          "SELECT body FROM document WHERE collection = ? AND key = ?");
      ps.setString(1, collection);
      ps.setString(2, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
      }
    });
  }

  @Override
  public List<Document> list(String collection) {
    return reads.withReader(c -> {
      PreparedStatement ps = c.prepare(
          "SELECT key, body FROM document WHERE collection = ? ORDER BY key");
      ps.setString(1, collection);
      List<Document> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Document(collection, rs.getString(1), rs.getString(2)));
        }
      }
      return out;
    });
  }

  @Override
  public boolean delete(String collection, String key) {
    return writer.submit(c -> {
      PreparedStatement ps = c.prepare(
          "DELETE FROM document WHERE collection = ? AND key = ?");
      ps.setString(1, collection);
      ps.setString(2, key);
      return ps.executeUpdate() == 1;
    });
  }
}

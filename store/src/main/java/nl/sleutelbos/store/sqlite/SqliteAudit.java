package nl.sleutelbos.store.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import nl.sleutelbos.store.AuditStorage;
import nl.sleutelbos.store.StoreException;

/** The audit tables of the SQLite backend; appends go through the writer's group commit. */
final class SqliteAudit implements AuditStorage {
  private final WriterThread writer;
  private final SqliteDocuments.Reads reads;

  SqliteAudit(WriterThread writer, SqliteDocuments.Reads reads) {
    this.writer = writer;
    this.reads = reads;
  }

  @Override
  public void append(List<Entry> entries, List<Node> nodes) {
    if (entries.isEmpty()) {
      return;
    }
    writer.submit(c -> {
      long size = size(c);
      if (entries.getFirst().index() != size) {
        throw new StoreException(
            "audit append at index " + entries.getFirst().index() + " but the log has " + size + " entries", null);
      }
      insertEntries(c, entries);
      insertNodes(c, nodes);
      return null;
    });
  }

  /*
   * Rows go in CHUNK at a time through one multi-row INSERT: a statement step per row costs more
   * in the JDBC layer than SQLite spends storing the row, and an append writes about three rows
   * per entry. The remainder of a batch goes row by row, so only two statements are ever prepared.
   */
  private static final int CHUNK = 128;

  private static void insertEntries(SqliteSession c, List<Entry> entries) throws SQLException {
    int i = 0;
    PreparedStatement chunk = c.prepare(values("INSERT INTO audit_entry (idx, entry) VALUES ", "(?, ?)", CHUNK));
    for (; i + CHUNK <= entries.size(); i += CHUNK) {
      int p = 1;
      for (Entry entry : entries.subList(i, i + CHUNK)) {
        chunk.setLong(p++, entry.index());
        chunk.setBytes(p++, entry.bytes());
      }
      chunk.executeUpdate();
    }
    PreparedStatement one = c.prepare("INSERT INTO audit_entry (idx, entry) VALUES (?, ?)");
    for (Entry entry : entries.subList(i, entries.size())) {
      one.setLong(1, entry.index());
      one.setBytes(2, entry.bytes());
      one.executeUpdate();
    }
  }

  private static void insertNodes(SqliteSession c, List<Node> nodes) throws SQLException {
    int i = 0;
    PreparedStatement chunk = c.prepare(values("INSERT INTO audit_node (level, idx, hash) VALUES ", "(?, ?, ?)", CHUNK));
    for (; i + CHUNK <= nodes.size(); i += CHUNK) {
      int p = 1;
      for (Node node : nodes.subList(i, i + CHUNK)) {
        chunk.setInt(p++, node.id().level());
        chunk.setLong(p++, node.id().index());
        chunk.setBytes(p++, node.hash());
      }
      chunk.executeUpdate();
    }
    PreparedStatement one = c.prepare("INSERT INTO audit_node (level, idx, hash) VALUES (?, ?, ?)");
    for (Node node : nodes.subList(i, nodes.size())) {
      one.setInt(1, node.id().level());
      one.setLong(2, node.id().index());
      one.setBytes(3, node.hash());
      one.executeUpdate();
    }
  }

  private static String values(String insert, String row, int rows) {
    return insert + String.join(", ", java.util.Collections.nCopies(rows, row));
  }

  private static long size(SqliteSession c) throws SQLException {
    try (ResultSet rs = c.prepare("SELECT COALESCE(MAX(idx) + 1, 0) FROM audit_entry").executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Override
  public long size() {
    return reads.withReader(SqliteAudit::size);
  }

  @Override
  public List<Entry> entries(long start, long end) {
    return reads.withReader(c -> {
      PreparedStatement ps = c.prepare("SELECT idx, entry FROM audit_entry WHERE idx >= ? AND idx < ? ORDER BY idx");
      ps.setLong(1, start);
      ps.setLong(2, end);
      List<Entry> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Entry(rs.getLong(1), rs.getBytes(2)));
        }
      }
      return out;
    });
  }

  @Override
  public Map<NodeId, byte[]> nodes(Collection<NodeId> ids) {
    if (ids.isEmpty()) {
      return Map.of();
    }
    // One statement for the whole proof: the OR of primary-key equalities is answered by one
    // index probe per term, and the statement is prepared once per proof length.
    StringBuilder sql = new StringBuilder("SELECT level, idx, hash FROM audit_node WHERE ");
    for (int i = 0; i < ids.size(); i++) {
      sql.append(i == 0 ? "" : " OR ").append("(level = ? AND idx = ?)");
    }
    return reads.withReader(c -> {
      PreparedStatement ps = c.prepare(sql.toString());
      int p = 1;
      for (NodeId id : ids) {
        ps.setInt(p++, id.level());
        ps.setLong(p++, id.index());
      }
      Map<NodeId, byte[]> out = new HashMap<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(new NodeId(rs.getInt(1), rs.getLong(2)), rs.getBytes(3));
        }
      }
      return out;
    });
  }

  @Override
  public Optional<Long> leafIndex(byte[] leafHash) {
    return reads.withReader(c -> {
      PreparedStatement ps = c.prepare("SELECT MIN(idx) FROM audit_node WHERE level = 0 AND hash = ?");
      ps.setBytes(1, leafHash);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        long index = rs.getLong(1);
        return rs.wasNull() ? Optional.<Long>empty() : Optional.of(index);
      }
    });
  }

  @Override
  public boolean addCheckpoint(Checkpoint checkpoint) {
    return writer.submit(c -> {
      PreparedStatement ps = c.prepare("INSERT OR IGNORE INTO audit_checkpoint (tree_size, note) VALUES (?, ?)");
      ps.setLong(1, checkpoint.treeSize());
      ps.setString(2, checkpoint.note());
      return ps.executeUpdate() == 1;
    });
  }

  @Override
  public Optional<Checkpoint> latestCheckpoint() {
    return reads.withReader(c -> {
      try (ResultSet rs = c.prepare(
          "SELECT tree_size, note FROM audit_checkpoint ORDER BY tree_size DESC LIMIT 1").executeQuery()) {
        return rs.next() ? Optional.of(new Checkpoint(rs.getLong(1), rs.getString(2))) : Optional.<Checkpoint>empty();
      }
    });
  }

  @Override
  public List<Checkpoint> checkpoints() {
    return reads.withReader(c -> {
      List<Checkpoint> out = new ArrayList<>();
      try (ResultSet rs = c.prepare("SELECT tree_size, note FROM audit_checkpoint ORDER BY tree_size").executeQuery()) {
        while (rs.next()) {
          out.add(new Checkpoint(rs.getLong(1), rs.getString(2)));
        }
      }
      return out;
    });
  }
}

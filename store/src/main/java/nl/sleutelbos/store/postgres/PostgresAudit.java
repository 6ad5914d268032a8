package nl.sleutelbos.store.postgres;

import java.sql.Connection;
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

/**
 * The audit tables of the PostgreSQL backend. An append is one transaction that first locks the
 * entry table against other appenders (readers are not blocked), so the size it checks is the
 * size it extends, even with several Sleutelbos processes on one database.
 */
final class PostgresAudit implements AuditStorage {
  private final Pool pool;

  PostgresAudit(Pool pool) {
    this.pool = pool;
  }

  @Override
  public void append(List<Entry> entries, List<Node> nodes) {
    if (entries.isEmpty()) {
      return;
    }
    try (Connection c = pool.connection()) {
      c.setAutoCommit(false);
      try {
        try (var st = c.createStatement()) {
          st.execute("LOCK TABLE audit_entry IN EXCLUSIVE MODE");
        }
        long size = size(c);
        if (entries.getFirst().index() != size) {
          throw new StoreException(
              "audit append at index " + entries.getFirst().index() + " but the log has " + size + " entries", null);
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_entry (idx, entry) VALUES (?, ?)")) {
          for (Entry entry : entries) {
            ps.setLong(1, entry.index());
            ps.setBytes(2, entry.bytes());
            ps.addBatch();
          }
          ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_node (level, idx, hash) VALUES (?, ?, ?)")) {
          for (Node node : nodes) {
            ps.setInt(1, node.id().level());
            ps.setLong(2, node.id().index());
            ps.setBytes(3, node.hash());
            ps.addBatch();
          }
          ps.executeBatch();
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw Pool.failure("audit append failed", e);
    }
  }

  private static long size(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(idx) + 1, 0) FROM audit_entry");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Override
  public long size() {
    return pool.read("audit size", PostgresAudit::size);
  }

  @Override
  public List<Entry> entries(long start, long end) {
    return pool.read("read audit entries", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT idx, entry FROM audit_entry WHERE idx >= ? AND idx < ? ORDER BY idx")) {
        ps.setLong(1, start);
        ps.setLong(2, end);
        List<Entry> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new Entry(rs.getLong(1), rs.getBytes(2)));
          }
        }
        return out;
      }
    });
  }

  @Override
  public Map<NodeId, byte[]> nodes(Collection<NodeId> ids) {
    if (ids.isEmpty()) {
      return Map.of();
    }
    // One round trip for a whole proof: the pairs travel as two arrays joined back by position.
    return pool.read("read audit nodes", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT n.level, n.idx, n.hash FROM unnest(?::smallint[], ?::bigint[]) AS k(level, idx) "
              + "JOIN audit_node n ON n.level = k.level AND n.idx = k.idx")) {
        Short[] levels = new Short[ids.size()];
        Long[] indexes = new Long[ids.size()];
        int i = 0;
        for (NodeId id : ids) {
          levels[i] = (short) id.level();
          indexes[i++] = id.index();
        }
        ps.setArray(1, c.createArrayOf("smallint", levels));
        ps.setArray(2, c.createArrayOf("bigint", indexes));
        Map<NodeId, byte[]> out = new HashMap<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.put(new NodeId(rs.getInt(1), rs.getLong(2)), rs.getBytes(3));
          }
        }
        return out;
      }
    });
  }

  @Override
  public Optional<Long> leafIndex(byte[] leafHash) {
    return pool.read("find audit leaf", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT MIN(idx) FROM audit_node WHERE level = 0 AND hash = ?")) {
        ps.setBytes(1, leafHash);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          long index = rs.getLong(1);
          return rs.wasNull() ? Optional.<Long>empty() : Optional.of(index);
        }
      }
    });
  }

  @Override
  public boolean addCheckpoint(Checkpoint checkpoint) {
    return pool.autocommit("add audit checkpoint", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO audit_checkpoint (tree_size, note) VALUES (?, ?) ON CONFLICT (tree_size) DO NOTHING")) {
        ps.setLong(1, checkpoint.treeSize());
        ps.setString(2, checkpoint.note());
        return ps.executeUpdate() == 1;
      }
    });
  }

  @Override
  public Optional<Checkpoint> latestCheckpoint() {
    return pool.read("read audit checkpoint", c -> {
      try (PreparedStatement ps = c.prepareStatement(
              "SELECT tree_size, note FROM audit_checkpoint ORDER BY tree_size DESC LIMIT 1");
          ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(new Checkpoint(rs.getLong(1), rs.getString(2))) : Optional.<Checkpoint>empty();
      }
    });
  }

  @Override
  public List<Checkpoint> checkpoints() {
    return pool.read("read audit checkpoints", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT tree_size, note FROM audit_checkpoint ORDER BY tree_size");
          ResultSet rs = ps.executeQuery()) {
        List<Checkpoint> out = new ArrayList<>();
        while (rs.next()) {
          out.add(new Checkpoint(rs.getLong(1), rs.getString(2)));
        }
        return out;
      }
    });
  }
}

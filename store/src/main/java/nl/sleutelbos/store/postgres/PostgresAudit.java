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
import nl.sleutelbos.store.internal.AuditTiles;

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
        writeTiles(c, AuditTiles.runs(nodes));
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_leaf (epoch, prefix, idx) VALUES (?, ?, ?)")) {
          for (AuditTiles.LeafKey leaf : AuditTiles.leafKeys(nodes)) {
            ps.setInt(1, Math.toIntExact(leaf.epoch()));
            ps.setBytes(2, leaf.prefix());
            ps.setLong(3, leaf.index());
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

  /**
   * A run at offset 0 starts a tile (the primary key refuses one that exists); any other run
   * extends the stored tile in place, and only if that tile holds exactly the hashes before it.
   */
  private static void writeTiles(Connection c, List<AuditTiles.Run> runs) throws SQLException {
    try (PreparedStatement start = c.prepareStatement("INSERT INTO audit_tile (level, tile, hashes) VALUES (?, ?, ?)");
        PreparedStatement extend = c.prepareStatement(
            "UPDATE audit_tile SET hashes = hashes || ? WHERE level = ? AND tile = ? AND length(hashes) = ?")) {
      for (AuditTiles.Run run : runs) {
        if (run.offset() == 0) {
          start.setShort(1, (short) run.level());
          start.setLong(2, run.tile());
          start.setBytes(3, run.hashes());
          start.addBatch();
        } else {
          extend.setBytes(1, run.hashes());
          extend.setShort(2, (short) run.level());
          extend.setLong(3, run.tile());
          extend.setInt(4, run.expectedBytes());
          if (extend.executeUpdate() != 1) {
            throw new StoreException("audit node (" + run.level() + ", "
                + (run.tile() * AuditTiles.WIDTH + run.offset()) + ") does not extend the stored tree", null);
          }
        }
      }
      start.executeBatch();
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
    // One round trip for a whole proof: the nodes travel as three arrays joined back by position,
    // and each comes back as its 32-byte slice of the tile. The tiles are stored EXTERNAL
    // (uncompressed), so substring() fetches only the TOAST chunk holding the slice, not 8 KiB.
    return pool.read("read audit nodes", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT k.level, k.idx, substring(t.hashes from k.off for " + AuditTiles.HASH + ") "
              + "FROM unnest(?::smallint[], ?::bigint[], ?::bigint[], ?::integer[]) AS k(level, idx, tile, off) "
              + "JOIN audit_tile t ON t.level = k.level AND t.tile = k.tile "
              + "WHERE length(t.hashes) >= k.off - 1 + " + AuditTiles.HASH)) {
        Short[] levels = new Short[ids.size()];
        Long[] indexes = new Long[ids.size()];
        Long[] tiles = new Long[ids.size()];
        Integer[] offsets = new Integer[ids.size()];
        int i = 0;
        for (NodeId id : ids) {
          levels[i] = (short) id.level();
          indexes[i] = id.index();
          tiles[i] = id.index() / AuditTiles.WIDTH;
          offsets[i++] = (int) (id.index() % AuditTiles.WIDTH) * AuditTiles.HASH + 1;
        }
        ps.setArray(1, c.createArrayOf("smallint", levels));
        ps.setArray(2, c.createArrayOf("bigint", indexes));
        ps.setArray(3, c.createArrayOf("bigint", tiles));
        ps.setArray(4, c.createArrayOf("integer", offsets));
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
    if (leafHash.length != AuditTiles.HASH) {
      return Optional.empty();
    }
    // One index probe per epoch: "epoch = ANY(array)" makes the primary key scan probe each
    // epoch (a join with generate_series was planned as a hash join over a full scan, ~100 ms).
    List<Long> candidates = pool.read("find audit leaf", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT idx FROM audit_leaf WHERE prefix = ? "
              + "AND epoch = ANY(ARRAY(SELECT generate_series(0, (SELECT max(epoch) FROM audit_leaf)))) ORDER BY idx")) {
        ps.setBytes(1, AuditTiles.prefix(leafHash));
        List<Long> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(rs.getLong(1));
          }
        }
        return out;
      }
    });
    return AuditTiles.confirmed(candidates, leafHash, this::nodes);
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

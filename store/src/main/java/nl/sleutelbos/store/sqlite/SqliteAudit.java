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
import java.util.OptionalInt;
import nl.sleutelbos.store.AuditStorage;
import nl.sleutelbos.store.StoreException;
import nl.sleutelbos.store.internal.AuditTiles;

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
    // Packing happens on the caller's thread; the writer thread only runs statements.
    List<AuditTiles.Run> runs = AuditTiles.runs(nodes);
    long first = entries.getFirst().index();
    long end = first + entries.size();
    writer.submit(c -> {
      long size = size(c);
      if (first != size) {
        throw new StoreException("audit append at index " + first + " but the log has " + size + " entries", null);
      }
      insertEntries(c, entries);
      writeTiles(c, runs);
      for (long epoch = AuditTiles.epoch(first); epoch < AuditTiles.epoch(end); epoch++) {
        indexEpoch(c, epoch);
      }
      return null;
    });
  }

  /*
   * The leaf lookup rows of an epoch are written once, by the commit that completes the epoch, in
   * key order from the epoch's level-0 tiles (which that commit has just finished). Written with
   * each commit instead, 1,000 leaves landed at random places among the epoch's pages and the
   * commit rewrote most of them, every commit. The epoch not yet complete is searched in its tiles
   * instead (leafIndex). Rows that exist already (written per commit by an earlier version, or by
   * the V8 conversion) are left as they are.
   */
  private static void indexEpoch(SqliteSession c, long epoch) throws SQLException {
    long tilesPerEpoch = (1L << AuditTiles.EPOCH_BITS) / AuditTiles.WIDTH;
    PreparedStatement ps = c.prepare("SELECT id, hashes FROM audit_tile WHERE id >= ? AND id < ? ORDER BY id");
    ps.setLong(1, tileId(0, epoch * tilesPerEpoch));
    ps.setLong(2, tileId(0, (epoch + 1) * tilesPerEpoch));
    byte[] leaves = new byte[AuditTiles.HASH << AuditTiles.EPOCH_BITS];
    int read = 0;
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        byte[] tile = rs.getBytes(2);
        int offset = (int) (rs.getLong(1) - epoch * tilesPerEpoch) * AuditTiles.WIDTH * AuditTiles.HASH;
        System.arraycopy(tile, 0, leaves, offset, tile.length);
        read += tile.length;
      }
    }
    if (read != leaves.length) { // the tiles just written complete the epoch, or the append is refused
      throw new StoreException("audit epoch " + epoch + " holds " + read / AuditTiles.HASH + " leaves at its end", null);
    }
    long[] order = AuditTiles.keyOrder(leaves);
    long first = epoch << AuditTiles.EPOCH_BITS;
    insertRows(c, LEAF_INSERTS, order.length, (insert, p, row) -> {
      int leaf = (int) order[row];
      insert.setLong(p, epoch);
      insert.setBytes(p + 1, java.util.Arrays.copyOfRange(leaves, leaf * AuditTiles.HASH, leaf * AuditTiles.HASH + AuditTiles.PREFIX));
      insert.setLong(p + 2, first + leaf);
      return p + 3;
    });
  }

  /*
   * Rows go in through multi-row INSERTs: a statement step per row costs more in the JDBC layer
   * than SQLite spends storing the row. A batch goes CHUNK rows at a time, and the remainder in
   * halving chunks (64, 32, ..., 1 rows: its binary digits), so a batch of any size takes at most
   * seven statements more than n / CHUNK, and each table has only eight statements to prepare.
   */
  private static final int CHUNK = 128;
  private static final int CHUNK_SIZES = Integer.numberOfTrailingZeros(CHUNK) + 1;
  private static final String[] ENTRY_INSERTS = inserts("INSERT INTO audit_entry (idx, entry) VALUES ", "(?, ?)");
  private static final String[] LEAF_INSERTS = inserts("INSERT OR IGNORE INTO audit_leaf (epoch, prefix, idx) VALUES ", "(?, ?, ?)");

  /** Binds row {@code row}'s parameters from parameter {@code p} on; returns the next parameter. */
  @FunctionalInterface
  private interface RowBinder {
    int bind(PreparedStatement ps, int p, int row) throws SQLException;
  }

  private static void insertEntries(SqliteSession c, List<Entry> entries) throws SQLException {
    insertRows(c, ENTRY_INSERTS, entries.size(), (ps, p, row) -> {
      Entry entry = entries.get(row);
      ps.setLong(p, entry.index());
      ps.setBytes(p + 1, entry.bytes());
      return p + 2;
    });
  }

  /** Inserts {@code count} rows through {@code inserts[k]}, the statement for CHUNK >> k rows. */
  private static void insertRows(SqliteSession c, String[] inserts, int count, RowBinder binder) throws SQLException {
    int row = 0;
    for (int k = 0; k < CHUNK_SIZES; k++) {
      int rows = CHUNK >> k;
      // Only the full-size chunk repeats: what is left after it is less than CHUNK.
      while (count - row >= rows) {
        PreparedStatement ps = c.prepare(inserts[k]);
        int p = 1;
        for (int i = 0; i < rows; i++) {
          p = binder.bind(ps, p, row + i);
        }
        ps.executeUpdate();
        row += rows;
      }
    }
  }

  private static String[] inserts(String insert, String values) {
    String[] out = new String[CHUNK_SIZES];
    for (int k = 0; k < CHUNK_SIZES; k++) {
      out[k] = insert + String.join(", ", java.util.Collections.nCopies(CHUNK >> k, values));
    }
    return out;
  }

  /**
   * A run at offset 0 starts a tile (the primary key refuses one that exists); any other run
   * extends the stored tile in place, and only if that tile holds exactly the hashes before it.
   */
  private static void writeTiles(SqliteSession c, List<AuditTiles.Run> runs) throws SQLException {
    PreparedStatement start = c.prepare("INSERT INTO audit_tile (id, hashes) VALUES (?, ?)");
    PreparedStatement extend = c.prepare(
        // || yields TEXT, whose length() counts characters up to the first NUL: cast back to BLOB.
        "UPDATE audit_tile SET hashes = CAST(hashes || ? AS BLOB) WHERE id = ? AND length(hashes) = ?");
    for (AuditTiles.Run run : runs) {
      if (run.offset() == 0) {
        start.setLong(1, tileId(run.level(), run.tile()));
        start.setBytes(2, run.hashes());
        start.executeUpdate();
      } else {
        extend.setBytes(1, run.hashes());
        extend.setLong(2, tileId(run.level(), run.tile()));
        extend.setInt(3, run.expectedBytes());
        if (extend.executeUpdate() != 1) {
          throw new StoreException("audit node (" + run.level() + ", " + (run.tile() * AuditTiles.WIDTH + run.offset())
              + ") does not extend the stored tree", null);
        }
      }
    }
  }

  /** The row id of tile (level, tile): {@code level << 56 | tile} (a level has fewer than 2^55 tiles). */
  private static long tileId(int level, long tile) {
    return (long) level << 56 | tile;
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
    // One statement for the whole proof: an IN list of row ids, one probe per tile, prepared
    // once per number of tiles.
    java.util.Set<NodeId> tiles = AuditTiles.tilesOf(ids);
    String sql = "SELECT id, hashes FROM audit_tile WHERE id IN ("
        + String.join(", ", java.util.Collections.nCopies(tiles.size(), "?")) + ")";
    Map<NodeId, byte[]> read = reads.withReader(c -> {
      PreparedStatement ps = c.prepare(sql);
      int p = 1;
      for (NodeId tile : tiles) {
        ps.setLong(p++, tileId(tile.level(), tile.index()));
      }
      Map<NodeId, byte[]> out = new HashMap<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long id = rs.getLong(1);
          out.put(new NodeId((int) (id >>> 56), id & ((1L << 56) - 1)), rs.getBytes(2));
        }
      }
      return out;
    });
    return AuditTiles.cut(ids, read);
  }

  @Override
  public Optional<Long> leafIndex(byte[] leafHash) {
    if (leafHash.length != AuditTiles.HASH) {
      return Optional.empty();
    }
    // The epoch still filling has no lookup rows (see indexEpoch): its tiles are searched, and
    // read after the table so that an epoch completed in between is found in one or the other.
    long tail = reads.withReader(c -> AuditTiles.epoch(size(c)) << AuditTiles.EPOCH_BITS);
    Optional<Long> indexed = indexedLeaf(leafHash);
    if (indexed.isPresent() && indexed.get() < tail) {
      return indexed;
    }
    Optional<Long> recent = reads.withReader(c -> {
      PreparedStatement ps = c.prepare("SELECT id, hashes FROM audit_tile WHERE id >= ? AND id < ? ORDER BY id");
      ps.setLong(1, tileId(0, tail / AuditTiles.WIDTH));
      ps.setLong(2, tileId(1, 0));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          OptionalInt slot = AuditTiles.slotOf(rs.getBytes(2), leafHash);
          if (slot.isPresent()) {
            return Optional.of(rs.getLong(1) * AuditTiles.WIDTH + slot.getAsInt());
          }
        }
      }
      return Optional.<Long>empty();
    });
    // An earlier version indexed every leaf as it came: the table may know leaves past the tail.
    return indexed.isPresent() && (recent.isEmpty() || indexed.get() < recent.get()) ? indexed : recent;
  }

  /** The first leaf with this hash among those the lookup table holds. */
  private Optional<Long> indexedLeaf(byte[] leafHash) {
    // One probe per epoch, driven by the epoch series (CROSS JOIN keeps that loop outermost).
    List<Long> candidates = reads.withReader(c -> {
      PreparedStatement ps = c.prepare("WITH RECURSIVE e(epoch) AS ("
          + "SELECT 0 UNION ALL SELECT epoch + 1 FROM e WHERE epoch < (SELECT MAX(epoch) FROM audit_leaf)) "
          + "SELECT l.idx FROM e CROSS JOIN audit_leaf l WHERE l.epoch = e.epoch AND l.prefix = ? ORDER BY l.idx");
      ps.setBytes(1, AuditTiles.prefix(leafHash));
      List<Long> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getLong(1));
        }
      }
      return out;
    });
    return AuditTiles.confirmed(candidates, leafHash, this::nodes);
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

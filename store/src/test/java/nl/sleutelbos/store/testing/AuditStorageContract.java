package nl.sleutelbos.store.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import nl.sleutelbos.store.AuditStorage;
import nl.sleutelbos.store.AuditStorage.Checkpoint;
import nl.sleutelbos.store.AuditStorage.Entry;
import nl.sleutelbos.store.AuditStorage.Node;
import nl.sleutelbos.store.AuditStorage.NodeId;
import nl.sleutelbos.store.EntityStore;
import nl.sleutelbos.store.StoreException;
import nl.sleutelbos.store.internal.AuditTiles;
import nl.sleutelbos.store.internal.Migrations;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link AuditStorage}, the same on every backend: appends are atomic, start
 * exactly at the current size, and survive a reopen; nodes are read back in one call; checkpoints
 * are kept once per tree size.
 */
public abstract class AuditStorageContract {
  protected EntityStore store;

  /** Opens the store; later calls in the same test open the same storage again. */
  protected abstract EntityStore openStore();

  /** The backend's migration dialect ({@code sqlite}, {@code postgres}). */
  protected abstract String dialect();

  /**
   * A connection to new, empty storage of this backend (not the one {@link #openStore} opens);
   * {@link #openOther} then opens a store on it.
   */
  protected abstract Connection connectToOther() throws SQLException;

  protected abstract EntityStore openOther();

  @BeforeEach
  final void open() {
    store = openStore();
  }

  @AfterEach
  final void close() {
    store.close();
  }

  private static Entry entry(long index) {
    return new Entry(index, ("entry " + index).getBytes(StandardCharsets.UTF_8));
  }

  private static Node node(int level, long index) {
    byte[] hash = new byte[32];
    hash[0] = (byte) level;
    hash[31] = (byte) index;
    return new Node(new NodeId(level, index), hash);
  }

  @Test
  void aNewLogIsEmpty() {
    assertThat(store.audit().size()).isZero();
    assertThat(store.audit().entries(0, 10)).isEmpty();
    assertThat(store.audit().latestCheckpoint()).isEmpty();
  }

  @Test
  void appendedEntriesAndNodesAreReadBack() {
    AuditStorage audit = store.audit();
    audit.append(List.of(entry(0), entry(1)), List.of(node(0, 0), node(0, 1), node(1, 0)));
    audit.append(List.of(entry(2)), List.of(node(0, 2)));

    assertThat(audit.size()).isEqualTo(3);
    assertThat(audit.entries(1, 10)).extracting(Entry::index).containsExactly(1L, 2L);
    assertThat(new String(audit.entries(2, 3).getFirst().bytes(), StandardCharsets.UTF_8)).isEqualTo("entry 2");
    Map<NodeId, byte[]> nodes = audit.nodes(List.of(new NodeId(1, 0), new NodeId(0, 2), new NodeId(1, 1)));
    assertThat(nodes).containsOnlyKeys(new NodeId(1, 0), new NodeId(0, 2));
    assertThat(nodes.get(new NodeId(1, 0))).isEqualTo(node(1, 0).hash());
    assertThat(audit.leafIndex(node(0, 2).hash())).contains(2L);
    assertThat(audit.leafIndex(node(1, 0).hash())).as("an interior node is no leaf").isEmpty();
  }

  @Test
  void anAppendThatDoesNotStartAtTheSizeIsRefusedAndLeavesNothing() {
    AuditStorage audit = store.audit();
    audit.append(List.of(entry(0)), List.of(node(0, 0)));

    assertThatThrownBy(() -> audit.append(List.of(entry(2)), List.of(node(0, 2))))
        .isInstanceOf(StoreException.class).hasMessageContaining("index 2");
    assertThatThrownBy(() -> audit.append(List.of(entry(0)), List.of()))
        .isInstanceOf(StoreException.class).hasMessageContaining("index 0");
    assertThat(audit.size()).isEqualTo(1);
    assertThat(audit.nodes(List.of(new NodeId(0, 2)))).isEmpty();
  }

  @Test
  void aFailingAppendStoresNoneOfItsEntries() {
    AuditStorage audit = store.audit();
    audit.append(List.of(entry(0)), List.of(node(0, 0)));
    // The node (0, 0) exists already: the whole append must roll back, entry 1 included.
    assertThatThrownBy(() -> audit.append(List.of(entry(1)), List.of(node(0, 1), node(0, 0))))
        .isInstanceOf(StoreException.class);
    assertThat(audit.size()).isEqualTo(1);
    assertThat(audit.entries(0, 5)).hasSize(1);
  }

  @Test
  void theLogSurvivesAReopen() {
    List<Entry> entries = new ArrayList<>();
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < 300; i++) { // more rows than one multi-row insert takes
      entries.add(entry(i));
      nodes.add(node(0, i));
    }
    store.audit().append(entries, nodes);
    store.audit().addCheckpoint(new Checkpoint(100, "note 100"));
    store.close();
    store = openStore();

    assertThat(store.audit().size()).isEqualTo(300);
    assertThat(store.audit().entries(99, 100)).extracting(Entry::index).containsExactly(99L);
    assertThat(new String(store.audit().entries(299, 300).getFirst().bytes(), StandardCharsets.UTF_8)).isEqualTo("entry 299");
    assertThat(store.audit().nodes(List.of(new NodeId(0, 257))).get(new NodeId(0, 257))).isEqualTo(node(0, 257).hash());
    assertThat(store.audit().latestCheckpoint()).contains(new Checkpoint(100, "note 100"));
  }

  @Test
  void nodesInTheSameTileAndAcrossTilesAreReadBackAndAppendsMustContinueTheEdge() {
    AuditStorage audit = store.audit();
    List<Entry> entries = new ArrayList<>();
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < 600; i++) { // level 0 spans three tiles, level 1 two
      entries.add(entry(i));
      nodes.add(node(0, i));
      if (i % 2 == 1) {
        nodes.add(node(1, i / 2));
      }
    }
    // Tile (0, 0) is started and then extended twice, tile (1, 0) extended three times.
    audit.append(entries.subList(0, 10), nodes.subList(0, 15));
    audit.append(entries.subList(10, 20), nodes.subList(15, 30));
    audit.append(entries.subList(20, 250), nodes.subList(30, 375));
    audit.append(entries.subList(250, 600), nodes.subList(375, nodes.size()));

    List<NodeId> ids = List.of(new NodeId(0, 0), new NodeId(0, 255), new NodeId(0, 256), new NodeId(0, 599),
        new NodeId(1, 0), new NodeId(1, 299), new NodeId(0, 600), new NodeId(1, 300), new NodeId(2, 0));
    Map<NodeId, byte[]> read = audit.nodes(ids);
    assertThat(read).containsOnlyKeys(ids.subList(0, 6));
    read.forEach((id, hash) -> assertThat(hash).isEqualTo(node(id.level(), id.index()).hash()));

    // A gap at level 1 (node (1, 301) before (1, 300)) and a repeated leaf are refused, atomically.
    assertThatThrownBy(() -> audit.append(List.of(entry(600), entry(601), entry(602), entry(603)),
        List.of(node(0, 600), node(0, 601), node(0, 602), node(0, 603), node(1, 301))))
        .isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> audit.append(List.of(entry(600)), List.of(node(0, 599))))
        .isInstanceOf(StoreException.class);
    assertThat(audit.size()).isEqualTo(600);
    assertThat(audit.nodes(List.of(new NodeId(0, 600)))).isEmpty();
    // Appends of 230 and 350 rows: every entry comes back once, in order, whatever the batch size.
    List<Entry> stored = audit.entries(0, 600);
    assertThat(stored).extracting(Entry::index).containsExactlyElementsOf(entries.stream().map(Entry::index).toList());
    for (int i = 0; i < 600; i++) {
      assertThat(stored.get(i).bytes()).isEqualTo(entries.get(i).bytes());
    }
    for (int i : new int[] {0, 9, 19, 20, 149, 249, 250, 377, 599}) {
      assertThat(audit.leafIndex(node(0, i).hash())).contains((long) i % 256);
    }
    // Test hashes repeat every 256 leaves; the first leaf with the hash is the answer.
    assertThat(audit.leafIndex(node(0, 511).hash())).contains(255L);
  }

  @Test
  void leafLookupConfirmsTheWholeHashWhenPrefixesCollide() {
    AuditStorage audit = store.audit();
    // Every test leaf hash starts with eight zero bytes: one prefix, many candidates.
    audit.append(List.of(entry(0), entry(1), entry(2)), List.of(node(0, 0), node(0, 1), node(1, 0), node(0, 2)));
    assertThat(audit.leafIndex(node(0, 1).hash())).contains(1L);
    assertThat(audit.leafIndex(node(0, 7).hash())).isEmpty();
    assertThat(audit.leafIndex(new byte[5])).isEmpty();
  }

  @Test
  void aLogKeptOneRowPerNodeIsConvertedToTilesWithItsHashesUnchanged() throws SQLException {
    int size = 70_000; // more than one lookup epoch and one partial tile on every level
    try (Connection c = connectToOther()) {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        st.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
        for (Migrations.Migration m : Migrations.load(dialect())) {
          if (m.version() <= 6) {
            for (String sql : m.statements()) {
              st.execute(sql);
            }
            st.execute("INSERT INTO schema_version VALUES (" + m.version() + ", '" + m.name() + "', 'then')");
          }
        }
      }
      try (PreparedStatement entry = c.prepareStatement("INSERT INTO audit_entry (idx, entry) VALUES (?, ?)");
          PreparedStatement node = c.prepareStatement("INSERT INTO audit_node (level, idx, hash) VALUES (?, ?, ?)")) {
        for (int i = 0; i < size; i++) {
          entry.setLong(1, i);
          entry.setBytes(2, entry(i).bytes());
          entry.addBatch();
          for (int level = 0; level == 0 || ((i + 1) % (1 << level)) == 0; level++) {
            node.setInt(1, level);
            node.setLong(2, (long) i >> level);
            node.setBytes(3, realisticHash(level, i >> level));
            node.addBatch();
          }
        }
        entry.executeBatch();
        node.executeBatch();
      }
      c.commit();
    }
    try (EntityStore other = openOther()) {
      AuditStorage audit = other.audit();
      assertThat(audit.size()).isEqualTo(size);
      List<NodeId> ids = List.of(new NodeId(0, 0), new NodeId(0, 69_999), new NodeId(3, 8_749),
          new NodeId(16, 0), new NodeId(8, 272), new NodeId(8, 273), new NodeId(17, 0));
      Map<NodeId, byte[]> read = audit.nodes(ids);
      assertThat(read).containsOnlyKeys(ids.subList(0, 5));
      read.forEach((id, hash) -> assertThat(hash).isEqualTo(realisticHash(id.level(), id.index())));
      assertThat(audit.leafIndex(realisticHash(0, 65_537))).contains(65_537L);
      assertThat(audit.leafIndex(realisticHash(1, 3))).isEmpty();

      // The converted log takes the next append where it left off: leaf 70,000 extends a partial tile.
      audit.append(List.of(entry(size)), List.of(new Node(new NodeId(0, size), realisticHash(0, size))));
      assertThat(audit.nodes(List.of(new NodeId(0, size)))).containsKey(new NodeId(0, size));
      assertThat(audit.leafIndex(realisticHash(0, size))).contains((long) size);
    }
  }

  @Test
  void leavesAreFoundByHashInEveryEpochWhileTheLogGrows() {
    AuditStorage audit = store.audit();
    int epoch = 1 << AuditTiles.EPOCH_BITS;
    int size = 2 * epoch + 1_000;
    int batch = 3_000; // batches end inside epochs and cross their boundaries
    for (int from = 0; from < size; from += batch) {
      int to = Math.min(size, from + batch);
      List<Entry> entries = new ArrayList<>();
      List<Node> nodes = new ArrayList<>();
      for (int i = from; i < to; i++) {
        entries.add(entry(i));
        nodes.add(new Node(new NodeId(0, i), realisticHash(0, i)));
      }
      audit.append(entries, nodes);
      for (int i : new int[] {0, epoch - 1, from, to - 1}) {
        if (i < to) {
          assertThat(audit.leafIndex(realisticHash(0, i))).as("leaf %d of %d", i, to).contains((long) i);
        }
      }
    }
    for (int i = 0; i < size; i += 997) {
      assertThat(audit.leafIndex(realisticHash(0, i))).as("leaf %d", i).contains((long) i);
    }
    assertThat(audit.leafIndex(realisticHash(0, size))).isEmpty();

    // A hash that repeats is found at its first place, whether that is indexed or still filling.
    audit.append(List.of(entry(size), entry(size + 1)), List.of(
        new Node(new NodeId(0, size), realisticHash(0, 5)), new Node(new NodeId(0, size + 1), realisticHash(0, size - 1))));
    assertThat(audit.leafIndex(realisticHash(0, 5))).contains(5L);
    assertThat(audit.leafIndex(realisticHash(0, size - 1))).contains((long) size - 1);
  }

  /** A hash whose prefix differs per node, as real hashes do. */
  private static byte[] realisticHash(int level, long index) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256")
          .digest((level + "/" + index).getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void checkpointsAreKeptOncePerTreeSizeInOrder() {
    AuditStorage audit = store.audit();
    assertThat(audit.addCheckpoint(new Checkpoint(5, "five"))).isTrue();
    assertThat(audit.addCheckpoint(new Checkpoint(2, "two"))).isTrue();
    assertThat(audit.addCheckpoint(new Checkpoint(5, "another five"))).isFalse();

    assertThat(audit.checkpoints()).containsExactly(new Checkpoint(2, "two"), new Checkpoint(5, "five"));
    assertThat(audit.latestCheckpoint()).contains(new Checkpoint(5, "five"));
  }
}

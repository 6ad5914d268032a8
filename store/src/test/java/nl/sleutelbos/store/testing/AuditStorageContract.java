package nl.sleutelbos.store.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
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
  void checkpointsAreKeptOncePerTreeSizeInOrder() {
    AuditStorage audit = store.audit();
    assertThat(audit.addCheckpoint(new Checkpoint(5, "five"))).isTrue();
    assertThat(audit.addCheckpoint(new Checkpoint(2, "two"))).isTrue();
    assertThat(audit.addCheckpoint(new Checkpoint(5, "another five"))).isFalse();

    assertThat(audit.checkpoints()).containsExactly(new Checkpoint(2, "two"), new Checkpoint(5, "five"));
    assertThat(audit.latestCheckpoint()).contains(new Checkpoint(5, "five"));
  }
}

package nl.sleutelbos.audit;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import nl.sleutelbos.store.AuditStorage;
import nl.sleutelbos.store.AuditStorage.NodeId;

/**
 * Runs a tree function against stored nodes in one read. The nodes a root or proof needs depend
 * only on sizes and indexes, never on hash values, so a first dry run with placeholder hashes
 * names them all; one batched read fetches them; the real run then uses only what was fetched.
 */
final class StoredNodes {
  private static final byte[] PLACEHOLDER = new byte[TreeHash.SIZE];

  private StoredNodes() {}

  static <T> T read(AuditStorage storage, Function<NodeSource, T> function) {
    Set<NodeId> wanted = new LinkedHashSet<>();
    function.apply((level, index) -> {
      wanted.add(new NodeId(level, index));
      return PLACEHOLDER;
    });
    Map<NodeId, byte[]> nodes = storage.nodes(wanted);
    return function.apply((level, index) -> {
      byte[] hash = nodes.get(new NodeId(level, index));
      if (hash == null) {
        throw new IllegalStateException("audit node (" + level + ", " + index + ") is missing from storage");
      }
      return hash;
    });
  }
}

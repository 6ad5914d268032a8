package nl.sleutelbos.audit;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import nl.sleutelbos.store.AuditStorage;

/**
 * A self-contained export of the log for an auditor: every entry's leaf bytes, the log's stored
 * leaf hashes, every checkpoint kept, and the verifier key. The stored leaf hashes prove nothing
 * by themselves (whoever can change entries can change them); the verifier uses them only to name
 * which entry differs once a signed root has shown that something does.
 */
public record AuditBundle(String verifierKey, List<byte[]> entries, List<byte[]> storedLeafHashes, List<String> checkpoints) {
  static final String FORMAT = "sleutelbos-audit-bundle/1";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PAGE = 500;

  public AuditBundle {
    requireNonNull(verifierKey, "verifierKey is null");
    entries = List.copyOf(entries);
    storedLeafHashes = List.copyOf(storedLeafHashes);
    checkpoints = List.copyOf(checkpoints);
  }

  /** Reads everything the store holds for the log, page by page. */
  public static AuditBundle export(AuditStorage storage, NoteKey key) {
    List<byte[]> entries = new ArrayList<>();
    List<byte[]> leaves = new ArrayList<>();
    long size = storage.size();
    for (long start = 0; start < size; start += PAGE) {
      long end = Math.min(size, start + PAGE);
      // Entries in index order as stored: a deleted row shows up as a gap the verifier names.
      storage.entries(start, end).forEach(e -> entries.add(e.bytes()));
      List<AuditStorage.NodeId> ids = new ArrayList<>();
      for (long i = start; i < end; i++) {
        ids.add(new AuditStorage.NodeId(0, i));
      }
      Map<AuditStorage.NodeId, byte[]> found = storage.nodes(ids);
      ids.forEach(id -> leaves.add(found.getOrDefault(id, new byte[0])));
    }
    List<String> notes = storage.checkpoints().stream().map(AuditStorage.Checkpoint::note).toList();
    return new AuditBundle(key.verifierKey(), entries, leaves, notes);
  }

  public void write(OutputStream out) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("verifierKey", verifierKey);
    ArrayNode e = root.putArray("entries");
    entries.forEach(b -> e.add(Base64.getEncoder().encodeToString(b)));
    ArrayNode l = root.putArray("storedLeafHashes");
    storedLeafHashes.forEach(b -> l.add(Base64.getEncoder().encodeToString(b)));
    ArrayNode c = root.putArray("checkpoints");
    checkpoints.forEach(c::add);
    JSON.writeValue(out, root);
  }

  public static AuditBundle read(InputStream in) throws IOException {
    JsonNode root = JSON.readTree(in);
    if (!FORMAT.equals(root.path("format").asText())) {
      throw new IOException("not a " + FORMAT + " bundle");
    }
    try {
      List<byte[]> entries = new ArrayList<>();
      root.path("entries").forEach(n -> entries.add(Base64.getDecoder().decode(n.asText())));
      List<byte[]> leaves = new ArrayList<>();
      root.path("storedLeafHashes").forEach(n -> leaves.add(Base64.getDecoder().decode(n.asText())));
      List<String> checkpoints = new ArrayList<>();
      root.path("checkpoints").forEach(n -> checkpoints.add(n.asText()));
      return new AuditBundle(root.path("verifierKey").asText(), entries, leaves, checkpoints);
    } catch (IllegalArgumentException e) {
      throw new IOException("bundle holds malformed base64: " + e.getMessage(), e);
    }
  }
}

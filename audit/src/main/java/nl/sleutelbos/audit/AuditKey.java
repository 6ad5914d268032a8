package nl.sleutelbos.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import nl.sleutelbos.identity.Signer;
import nl.sleutelbos.identity.SignerStore;
import nl.sleutelbos.store.DocumentStore;

/**
 * The operator's audit key and the log's origin, chosen once and then fixed: a log whose origin or
 * key changed would orphan every checkpoint an auditor holds. The key itself stays in its
 * {@link SignerStore} (custody, later); the document store remembers only its id and the origin.
 */
public final class AuditKey {
  static final String COLLECTION = "audit";
  static final String KEY = "checkpoint-key";
  private static final ObjectMapper JSON = new ObjectMapper();

  private AuditKey() {}

  /**
   * The checkpoint signer of this installation, creating its key on first use.
   *
   * @param origin the origin for a new log; an existing log keeps the one it was created with
   */
  public static CheckpointSigner open(DocumentStore documents, SignerStore signers, String origin) {
    for (int attempt = 0; attempt < 2; attempt++) {
      var stored = documents.get(COLLECTION, KEY);
      if (stored.isPresent()) {
        JsonNode doc = read(stored.get());
        String keyId = doc.path("keyId").asText();
        Signer signer = signers.open(keyId).orElseThrow(() -> new IllegalStateException(
            "the audit checkpoint key " + keyId + " is missing from its key store"));
        return new CheckpointSigner(doc.path("origin").asText(), signer);
      }
      Signer created = signers.generate();
      if (documents.putIfAbsent(COLLECTION, KEY, write(Map.of("keyId", created.keyId(), "origin", origin)))) {
        return new CheckpointSigner(origin, created);
      }
      signers.destroy(created.keyId()); // another process chose first; use its key
    }
    throw new IllegalStateException("the audit checkpoint key could not be settled");
  }

  /** The checkpoint signer of this installation, if its key was ever created. */
  public static java.util.Optional<CheckpointSigner> existing(DocumentStore documents, SignerStore signers) {
    return documents.get(COLLECTION, KEY).map(body -> {
      JsonNode doc = read(body);
      Signer signer = signers.open(doc.path("keyId").asText()).orElseThrow(() -> new IllegalStateException(
          "the audit checkpoint key " + doc.path("keyId").asText() + " is missing from its key store"));
      return new CheckpointSigner(doc.path("origin").asText(), signer);
    });
  }

  private static JsonNode read(String body) {
    try {
      return JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable audit key document", e);
    }
  }

  private static String write(Map<String, String> doc) {
    try {
      return JSON.writeValueAsString(doc);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}

package nl.sleutelbos.auth;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.store.DocumentStore;

/**
 * The policy sets, versioned, in the store's documents: every upload is a new version that is
 * never changed, and one pointer names the version in force. A version is stored before the
 * pointer moves to it, so a crash in between leaves the old version in force and the new one in
 * the history, never a pointer to nothing.
 */
public final class PolicyStore {
  static final String VERSIONS = "policy-versions";
  static final String STATE = "policy-state";
  private static final String ACTIVE = "active";

  private final DocumentStore documents;

  public PolicyStore(DocumentStore documents) {
    this.documents = requireNonNull(documents, "documents is null");
  }

  /** Keys sort as numbers: the store lists a collection in key order. */
  private static String key(int version) {
    return "%010d".formatted(version);
  }

  /** Stores a new version and returns it; it is not in force until {@link #setActive}. */
  public PolicyVersion append(String policySet, Instant at) {
    int next = versions().stream().mapToInt(PolicyVersion::version).max().orElse(0) + 1;
    PolicyVersion version = new PolicyVersion(next, at, policySet);
    ObjectNode body = Json.object().put("version", next).put("createdAt", at.toString()).put("policySet", policySet);
    if (!documents.putIfAbsent(VERSIONS, key(next), Json.write(body))) {
      throw new IllegalStateException("policy version " + next + " was stored concurrently");
    }
    return version;
  }

  public Optional<PolicyVersion> version(int version) {
    return version < 1 ? Optional.empty() : documents.get(VERSIONS, key(version)).map(PolicyStore::read);
  }

  /** Every version, oldest first. */
  public List<PolicyVersion> versions() {
    List<PolicyVersion> all = new ArrayList<>();
    for (DocumentStore.Document doc : documents.list(VERSIONS)) {
      all.add(read(doc.body()));
    }
    return all;
  }

  /** The version in force, or empty before the first policy was stored. */
  public Optional<Integer> activeVersion() {
    return documents.get(STATE, ACTIVE).map(body -> Json.parseStored(body).get("version").asInt());
  }

  public void setActive(int version) {
    documents.put(STATE, ACTIVE, Json.write(Json.object().put("version", version)));
  }

  private static PolicyVersion read(String body) {
    JsonNode node = Json.parseStored(body);
    return new PolicyVersion(node.get("version").asInt(), Instant.parse(node.get("createdAt").asText()),
        node.get("policySet").asText());
  }
}

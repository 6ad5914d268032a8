package nl.sleutelbos.app.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import nl.sleutelbos.app.StartupException;
import nl.sleutelbos.custody.InsecureKeyMaterial;
import nl.sleutelbos.custody.KeyCustody;
import nl.sleutelbos.custody.KeyHandle;
import nl.sleutelbos.custody.quorum.Quorum;
import nl.sleutelbos.identity.Signer;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.store.DocumentStore;

/**
 * The operator's own keys, which never leave custody: storage KEKs (one current, older ones kept
 * to unwrap what they wrapped), transport KEKs agreed with vendors, and signing keys by purpose.
 * Their registry ({@code custody.operator-keys}) holds labels, kinds and states — no material. It
 * is also what runs the quorum-approved operations.
 */
public final class OperatorKeys implements Quorum.Executor {
  static final String COLLECTION = "custody.operator-keys";
  public static final String EMERGENCY_UPDATE = "emergency-update";

  /** One registered key. {@code label} is the KEK label or the signing key id. */
  public record Registered(String label, String kind, String purpose, String state, String created) {}

  private final KeyCustody custody;
  private final DocumentStore documents;
  private final Clock clock;

  public OperatorKeys(KeyCustody custody, DocumentStore documents, Clock clock) {
    this.custody = custody;
    this.documents = documents;
    this.clock = clock;
  }

  /**
   * The current storage KEK, made on first start. Fails at startup if the registry names a KEK
   * the backend does not hold: the data and the key store do not belong together.
   */
  public synchronized KeyHandle storageKek() {
    Optional<Registered> current = list().stream().filter(k -> k.kind().equals("storage-kek") && k.state().equals("CURRENT")).findFirst();
    if (current.isEmpty()) {
      return newStorageKek();
    }
    return custody.kek(current.get().label()).orElseThrow(() -> new StartupException("the storage KEK " + current.get().label()
        + " is not in " + custody.backend().name() + "; this data directory belongs with another key store or token"));
  }

  private KeyHandle newStorageKek() {
    String label = "sleutelbos-storage-" + UUID.randomUUID().toString().substring(0, 8);
    KeyHandle kek = custody.generateStorageKek(label);
    for (Registered old : list()) {
      if (old.kind().equals("storage-kek") && old.state().equals("CURRENT")) {
        put(new Registered(old.label(), old.kind(), old.purpose(), "PREVIOUS", old.created()));
      }
    }
    put(new Registered(label, "storage-kek", "device keys at rest", "CURRENT", clock.instant().toString()));
    return kek;
  }

  /** Brings a transport key agreed with a vendor into custody; its label names it in import files. */
  public synchronized Registered importTransportKey(String label, InsecureKeyMaterial material) {
    custody.importKek(label, material);
    Registered r = new Registered(label, "transport-kek", "vendor factory keys", "CURRENT", clock.instant().toString());
    put(r);
    return r;
  }

  public Optional<Registered> transportKey(String label) {
    return documents.get(COLLECTION, label).map(OperatorKeys::read).filter(r -> r.kind().equals("transport-kek"));
  }

  public List<Registered> list() {
    return documents.list(COLLECTION).stream().map(d -> read(d.body())).sorted(Comparator.comparing(Registered::created)).toList();
  }

  @Override
  public synchronized String execute(Quorum.Operation op) {
    return switch (op.kind()) {
      case ROTATE_STORAGE_KEK -> "storage KEK " + newStorageKek().label() + " is current";
      case GENERATE_SIGNING_KEY -> "signing key " + newSigner(op.purpose()) + " for " + op.purpose();
      case ROTATE_SIGNING_KEY -> {
        for (Registered old : list()) {
          if (old.kind().equals("signing") && old.purpose().equals(op.purpose()) && old.state().equals("CURRENT")) {
            put(new Registered(old.label(), old.kind(), old.purpose(), "RETIRED", old.created()));
          }
        }
        yield "signing key " + newSigner(op.purpose()) + " replaces the previous one for " + op.purpose();
      }
      case ACTIVATE_EMERGENCY_UPDATE_KEY -> {
        Optional<Registered> current = list().stream()
            .filter(k -> k.kind().equals("signing") && k.purpose().equals(EMERGENCY_UPDATE) && k.state().equals("CURRENT")).findFirst();
        yield "emergency update key " + current.map(Registered::label).orElseGet(() -> newSigner(EMERGENCY_UPDATE)) + " is active";
      }
    };
  }

  private String newSigner(String purpose) {
    Signer signer = custody.signers().generate();
    put(new Registered(signer.keyId(), "signing", purpose, "CURRENT", clock.instant().toString()));
    return signer.keyId();
  }

  private void put(Registered r) {
    ObjectNode o = Json.object();
    o.put("label", r.label()).put("kind", r.kind()).put("purpose", r.purpose()).put("state", r.state()).put("created", r.created());
    documents.put(COLLECTION, r.label(), Json.write(o));
  }

  private static Registered read(String body) {
    JsonNode o = Json.parseStored(body);
    return new Registered(o.get("label").asText(), o.get("kind").asText(), o.get("purpose").asText(), o.get("state").asText(),
        o.get("created").asText());
  }
}

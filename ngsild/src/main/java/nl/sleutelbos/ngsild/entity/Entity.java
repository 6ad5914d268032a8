package nl.sleutelbos.ngsild.entity;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.store.StoredEntity;

/**
 * An entity in the internal form together with its system times. The document is mutable
 * Jackson state: an {@code Entity} belongs to one request and is never shared.
 */
public record Entity(ObjectNode document, Instant createdAt, Instant modifiedAt) {
  public Entity {
    requireNonNull(document, "document is null");
    requireNonNull(createdAt, "createdAt is null");
    requireNonNull(modifiedAt, "modifiedAt is null");
  }

  public String id() {
    return document.get(Members.ID).asText();
  }

  /** The expanded types. */
  public List<String> types() {
    List<String> types = new ArrayList<>();
    for (JsonNode t : document.get(Members.TYPE)) {
      types.add(t.asText());
    }
    return types;
  }

  public static Entity of(StoredEntity stored) {
    return new Entity(Json.parseStored(stored.document()), stored.createdAt(), stored.modifiedAt());
  }

  public StoredEntity toStored() {
    return new StoredEntity(id(), types(), createdAt, modifiedAt, Json.write(document));
  }
}

package nl.sleutelbos.store;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * An entity as the store keeps it: the columns the store indexes, and the document itself as
 * opaque JSON text. The store never interprets the document; the NGSI-LD layer owns its shape.
 * SQLite gives the text back as it was written; PostgreSQL keeps it as {@code jsonb} and gives
 * back equivalent JSON in its own form (keys sorted, one space after colons and commas, the last
 * of duplicate keys, <code>&#92;u</code> escapes decoded).
 *
 * @param id the entity id (a URI), unique within a tenant
 * @param types the entity's types, already expanded to IRIs; never empty
 * @param createdAt when the entity was first created
 * @param modifiedAt when the entity was last changed
 * @param document the entity as JSON text
 */
public record StoredEntity(String id, List<String> types, Instant createdAt, Instant modifiedAt, String document) {
  public StoredEntity {
    requireNonNull(id, "id is null");
    types = List.copyOf(types);
    if (types.isEmpty()) {
      throw new IllegalArgumentException("types is empty for entity " + id);
    }
    requireNonNull(createdAt, "createdAt is null");
    requireNonNull(modifiedAt, "modifiedAt is null");
    requireNonNull(document, "document is null");
  }
}

package nl.sleutelbos.auth;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.store.StoredEntity;

/**
 * A household's consent that one organisation may read its connection's data for one purpose at
 * one granularity, between two times. Kept as an NGSI-LD entity of type {@code Consent} so a
 * household creates, reads and revokes it with the ordinary entity API:
 *
 * <pre>{"id": "urn:ngsi-ld:Consent:c1", "type": "Consent",
 *  "connection": {"type": "Property", "value": "EAN871"},
 *  "grantee": {"type": "Property", "value": "supplier:eneco"},
 *  "purpose": {"type": "Property", "value": "billing"},
 *  "granularity": {"type": "Property", "value": "P1D"},
 *  "validFrom": {"type": "Property", "value": "2026-01-01T00:00:00Z"},
 *  "validUntil": {"type": "Property", "value": "2027-01-01T00:00:00Z"},
 *  "revoked": {"type": "Property", "value": false}}</pre>
 */
public record Consent(String id, String connection, String grantee, String purpose, Duration granularity,
    Instant validFrom, Optional<Instant> validUntil, boolean revoked) {
  /** The expanded NGSI-LD type. */
  public static final String TYPE = Terms.expand("Consent");

  public Consent {
    requireNonNull(id, "id is null");
    requireNonNull(connection, "connection is null");
    requireNonNull(grantee, "grantee is null");
    requireNonNull(purpose, "purpose is null");
    requireNonNull(granularity, "granularity is null");
    requireNonNull(validFrom, "validFrom is null");
    requireNonNull(validUntil, "validUntil is null");
  }

  /** Whether this consent lets {@code grantee} read for {@code purpose} at {@code at}. */
  public boolean grants(String grantee, String purpose, Instant at) {
    return !revoked && this.grantee.equals(grantee) && this.purpose.equals(purpose)
        && !at.isBefore(validFrom) && validUntil.map(at::isBefore).orElse(true);
  }

  /**
   * The consent in a stored {@code Consent} entity, or empty if the entity lacks a member or has
   * one that does not parse: a malformed consent grants nothing.
   */
  public static Optional<Consent> from(StoredEntity stored) {
    JsonNode doc = Json.parseStored(stored.document());
    try {
      Optional<String> connection = text(doc, "connection");
      Optional<String> grantee = text(doc, "grantee");
      Optional<String> purpose = text(doc, "purpose");
      Optional<String> granularity = text(doc, "granularity");
      Optional<String> from = text(doc, "validFrom");
      if (connection.isEmpty() || grantee.isEmpty() || purpose.isEmpty() || granularity.isEmpty() || from.isEmpty()) {
        return Optional.empty();
      }
      Duration g = Duration.parse(granularity.get());
      if (g.isNegative() || g.isZero()) {
        return Optional.empty();
      }
      JsonNode revoked = value(doc, "revoked");
      return Optional.of(new Consent(stored.id(), connection.get(), grantee.get(), purpose.get(), g,
          Instant.parse(from.get()), text(doc, "validUntil").map(Instant::parse),
          revoked != null && revoked.asBoolean(false)));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static JsonNode value(JsonNode doc, String term) {
    JsonNode attr = doc.get(Terms.expand(term));
    if (attr == null || !attr.isArray() || attr.isEmpty()) {
      return null;
    }
    JsonNode value = attr.get(0).get("value");
    // A DateTime property is kept as {"@type": "DateTime", "@value": "..."}.
    return value != null && value.has("@value") ? value.get("@value") : value;
  }

  private static Optional<String> text(JsonNode doc, String term) {
    JsonNode value = value(doc, term);
    // A blank name is no name: it could never be matched on purpose, so treat it as missing.
    return value != null && value.isTextual() && !value.asText().isBlank() ? Optional.of(value.asText()) : Optional.empty();
  }
}

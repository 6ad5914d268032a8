package nl.sleutelbos.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.store.StoredEntity;

/**
 * A consent entity reads back as the consent it records, and an entity with a member missing or
 * malformed grants nothing rather than failing or granting something else.
 */
class ConsentProperties {
  private static final String V = "https://uri.etsi.org/ngsi-ld/default-context/";
  private static final List<String> MEMBERS = List.of("connection", "grantee", "purpose", "granularity", "validFrom");

  @Provide
  Arbitrary<Consent> consents() {
    Arbitrary<String> names = Arbitraries.strings().withChars("abcdefgXYZ0189._-").ofMinLength(1).ofMaxLength(20);
    Arbitrary<Duration> granularity = Arbitraries.of(Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofDays(1),
        Duration.ofDays(30));
    Arbitrary<Instant> times = Arbitraries.longs().between(0, 4_000_000_000L).map(Instant::ofEpochSecond);
    return Combinators.combine(names, names, names, granularity, times, times.optional(), Arbitraries.of(true, false))
        .as((connection, grantee, purpose, g, from, until, revoked) ->
            new Consent("urn:ngsi-ld:Consent:" + connection, connection, "supplier:" + grantee, purpose, g, from,
                until, revoked));
  }

  static ObjectNode entity(Consent c) {
    ObjectNode doc = Json.object().put("id", c.id());
    doc.putArray("type").add(Consent.TYPE);
    put(doc, "connection", c.connection());
    put(doc, "grantee", c.grantee());
    put(doc, "purpose", c.purpose());
    put(doc, "granularity", c.granularity().toString());
    // DateTime values come back from the NGSI-LD layer in their typed form.
    doc.putArray(V + "validFrom").addObject().put("type", "Property").putObject("value")
        .put("@type", "DateTime").put("@value", c.validFrom().toString());
    c.validUntil().ifPresent(u -> put(doc, "validUntil", u.toString()));
    doc.putArray(V + "revoked").addObject().put("type", "Property").put("value", c.revoked());
    return doc;
  }

  private static void put(ObjectNode doc, String term, String value) {
    doc.putArray(V + term).addObject().put("type", "Property").put("value", value);
  }

  private static StoredEntity stored(ObjectNode doc) {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    return new StoredEntity(doc.get("id").asText(), List.of(Consent.TYPE), t, t, Json.write(doc));
  }

  @Property
  void aConsentEntityReadsBackAsTheConsentItRecords(@ForAll("consents") Consent consent) {
    assertThat(Consent.from(stored(entity(consent)))).contains(consent);
  }

  @Property
  void aConsentWithAMissingOrMalformedMemberGrantsNothing(@ForAll("consents") Consent consent,
      @ForAll("members") String member, @ForAll boolean remove) {
    ObjectNode doc = entity(consent);
    if (remove) {
      doc.remove(V + member);
    } else {
      doc.putArray(V + member).addObject().put("type", "Property").put("value", member.equals("granularity") ? "daily" : "");
    }
    assertThat(Consent.from(stored(doc))).isEmpty();
  }

  @Provide
  Arbitrary<String> members() {
    return Arbitraries.of(MEMBERS);
  }

  @Property
  void aConsentGrantsOnlyItsGranteeAndPurposeWithinItsPeriodUnlessRevoked(@ForAll("consents") Consent c) {
    boolean expected = !c.revoked() && c.validUntil().map(u -> c.validFrom().isBefore(u)).orElse(true);
    assertThat(c.grants(c.grantee(), c.purpose(), c.validFrom())).isEqualTo(expected);
    assertThat(c.grants(c.grantee() + "x", c.purpose(), c.validFrom())).isFalse();
    assertThat(c.grants(c.grantee(), c.purpose() + "x", c.validFrom())).isFalse();
    assertThat(c.grants(c.grantee(), c.purpose(), c.validFrom().minusSeconds(1))).isFalse();
    c.validUntil().ifPresent(u -> assertThat(c.grants(c.grantee(), c.purpose(), u)).isFalse());
  }
}

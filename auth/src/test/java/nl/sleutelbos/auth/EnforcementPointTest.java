package nl.sleutelbos.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.ngsild.entity.EntityService;
import nl.sleutelbos.store.EntityStore;
import nl.sleutelbos.store.StoreConfig;
import nl.sleutelbos.store.Stores;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The enforcement point over a real SQLite store: consents written as NGSI-LD entities through
 * the entity service, read back by the consent information point, decided by the real engine.
 */
class EnforcementPointTest {
  private static final String V = "https://uri.etsi.org/ngsi-ld/default-context/";
  private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
  private static final SubjectAttributes ENECO = SubjectAttributes.of("s-1", Set.of(), "supplier:eneco", Optional.of("NL"));
  private static final ResourceRequest READINGS_EAN1 = ResourceRequest.entity("", "urn:ngsi-ld:Reading:ean1",
      Set.of(V + "Reading"), Optional.of("EAN1")).withGranularity(Duration.ofMinutes(15));
  private static final Environment BILLING = new Environment(NOW, false, Optional.of("billing"));

  private static PolicyDecisionPoint pdp;

  @TempDir Path dir;
  private EntityStore store;
  private AutoCloseable listening;
  private EntityService entities;
  private EnforcementPoint pep;

  @BeforeAll
  static void load() throws PolicyException {
    pdp = PolicyDecisionPoint.start(PolicyDecisionPoint.defaultPolicy());
  }

  @AfterAll
  static void close() {
    pdp.close();
  }

  @BeforeEach
  void open() {
    store = Stores.open(new StoreConfig.Sqlite(dir.resolve("test.db")));
    ConsentInformationPoint consents = new ConsentInformationPoint(store);
    listening = store.feed().listen(consents.afterCommit());
    entities = new EntityService(store, Clock.systemUTC(), List.of(consents.indexer()));
    pep = new EnforcementPoint(pdp, consents);
  }

  @AfterEach
  void closeStore() throws Exception {
    listening.close();
    store.close();
  }

  private static ObjectNode property(Object value) {
    ObjectNode instance = Json.object().put("type", "Property");
    switch (value) {
      case Boolean b -> instance.put("value", b);
      default -> instance.put("value", value.toString());
    }
    return instance;
  }

  private void giveConsent(String id, String grantee, String purpose, String granularity, Optional<Instant> until) {
    ObjectNode consent = Json.object().put("id", id);
    consent.putArray("type").add(Consent.TYPE);
    consent.putArray(V + "connection").add(property("EAN1"));
    consent.putArray(V + "grantee").add(property(grantee));
    consent.putArray(V + "purpose").add(property(purpose));
    consent.putArray(V + "granularity").add(property(granularity));
    consent.putArray(V + "validFrom").add(property("2026-01-01T00:00:00Z"));
    until.ifPresent(u -> consent.putArray(V + "validUntil").add(property(u.toString())));
    consent.putArray(V + "revoked").add(property(false));
    entities.create("", consent);
  }

  private Verdict check(SubjectAttributes subject, Environment environment) {
    return pep.check(subject, READINGS_EAN1, Action.QUERY, environment);
  }

  @Test
  void aSupplierWithoutConsentIsDenied() {
    assertThat(check(ENECO, BILLING)).isInstanceOf(Verdict.Deny.class);
  }

  @Test
  void aSupplierWithDailyConsentGetsDailyValuesOnly() {
    assertThat(check(ENECO, BILLING)).isInstanceOf(Verdict.Deny.class); // caches "no consent"
    giveConsent("urn:ngsi-ld:Consent:c1", "supplier:eneco", "billing", "P1D", Optional.empty());

    Verdict verdict = check(ENECO, BILLING);
    assertThat(verdict).isInstanceOf(Verdict.Permit.class);
    Verdict.Permit permit = (Verdict.Permit) verdict;
    assertThat(permit.granularity(Optional.of(Duration.ofMinutes(15)))).contains(Duration.ofDays(1));
    assertThat(permit.granularity(Optional.empty())).contains(Duration.ofDays(1));
    assertThat(permit.granularity(Optional.of(Duration.ofDays(30)))).contains(Duration.ofDays(30));
  }

  @Test
  void consentIsForOneGranteeAndOnePurposeAndItsValidityPeriod() {
    giveConsent("urn:ngsi-ld:Consent:c1", "supplier:eneco", "billing", "P1D", Optional.of(NOW.minusSeconds(1)));
    giveConsent("urn:ngsi-ld:Consent:c2", "supplier:vattenfall", "billing", "P1D", Optional.empty());
    giveConsent("urn:ngsi-ld:Consent:c3", "supplier:eneco", "marketing", "P1D", Optional.empty());
    assertThat(check(ENECO, BILLING)).as("expired").isInstanceOf(Verdict.Deny.class);
    assertThat(check(ENECO, new Environment(NOW, false, Optional.empty()))).as("no purpose").isInstanceOf(Verdict.Deny.class);
    assertThat(check(ENECO, new Environment(NOW, false, Optional.of("marketing")))).isInstanceOf(Verdict.Permit.class);
  }

  @Test
  void revocationTakesEffectOnTheNextRequest() {
    giveConsent("urn:ngsi-ld:Consent:c1", "supplier:eneco", "billing", "P1D", Optional.empty());
    assertThat(check(ENECO, BILLING)).isInstanceOf(Verdict.Permit.class);

    ObjectNode revoke = Json.object();
    revoke.putArray(V + "revoked").add(property(true));
    entities.update("", "urn:ngsi-ld:Consent:c1", revoke);
    assertThat(check(ENECO, BILLING)).isInstanceOf(Verdict.Deny.class);
  }

  @Test
  void deletingTheConsentAlsoRevokesIt() {
    giveConsent("urn:ngsi-ld:Consent:c1", "supplier:eneco", "billing", "P1D", Optional.empty());
    assertThat(check(ENECO, BILLING)).isInstanceOf(Verdict.Permit.class);
    entities.delete("", "urn:ngsi-ld:Consent:c1");
    assertThat(check(ENECO, BILLING)).isInstanceOf(Verdict.Deny.class);
  }

  @Test
  void gridOperationAggregatesMustCoverTenConnections() throws AccessDeniedException {
    SubjectAttributes engineer = SubjectAttributes.of("e-1", Set.of("operator-engineer"), "operator", Optional.empty());
    Verdict verdict = pep.check(engineer, READINGS_EAN1, Action.QUERY,
        new Environment(NOW, false, Optional.of("grid-operation")));
    assertThat(verdict).isInstanceOf(Verdict.Permit.class);
    Verdict.Permit permit = (Verdict.Permit) verdict;
    assertThat(permit.aggregatesOnly()).isTrue();
    permit.checkAggregate(10);
    permit.checkAggregate(250);
    assertThatThrownBy(() -> permit.checkAggregate(9))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("at least 10");
  }

  @Test
  void theAuditorSeesADeviceWithoutItsPersonalAttributes() {
    SubjectAttributes auditor = SubjectAttributes.of("a-1", Set.of("auditor"), "auditor:kpmg", Optional.empty());
    Verdict verdict = pep.check(auditor, ResourceRequest.entity("", "urn:ngsi-ld:Device:m1", Set.of(V + "Device"),
        Optional.of("EAN1")), Action.READ, new Environment(NOW, false, Optional.empty()));
    assertThat(verdict).isInstanceOf(Verdict.Permit.class);
    ObjectNode expanded = Json.object().put("id", "urn:ngsi-ld:Device:m1");
    expanded.putArray(V + "activePower").add(property("1.2"));
    expanded.putArray(V + "firmwareVersion").add(property("5.2.1"));
    ObjectNode compacted = Json.object().put("id", "urn:ngsi-ld:Device:m1").put("activePower", 1.2).put("town", "Ede");
    ((Verdict.Permit) verdict).redact(expanded);
    ((Verdict.Permit) verdict).redact(compacted);
    assertThat(expanded.has(V + "activePower")).isFalse();
    assertThat(expanded.has(V + "firmwareVersion")).isTrue();
    assertThat(compacted.has("activePower")).isFalse();
    assertThat(compacted.get("town").asText()).isEqualTo("Ede");
  }
}

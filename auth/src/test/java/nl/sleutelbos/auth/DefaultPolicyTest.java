package nl.sleutelbos.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import nl.sleutelbos.auth.Decision.Effect;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shipped policy set, decided by the real AuthZForce engine, role by role. */
class DefaultPolicyTest {
  private static final String DEVICE = "https://uri.etsi.org/ngsi-ld/default-context/Device";
  private static final String READING = "https://uri.etsi.org/ngsi-ld/default-context/Reading";
  private static final String CONSENT = Consent.TYPE;
  private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
  private static final Environment PLAIN = new Environment(NOW, false, Optional.empty());

  private static PolicyDecisionPoint pdp;

  @BeforeAll
  static void load() throws PolicyException {
    pdp = PolicyDecisionPoint.start(PolicyDecisionPoint.defaultPolicy());
  }

  @AfterAll
  static void close() {
    pdp.close();
  }

  private static SubjectAttributes operator(String role) {
    return SubjectAttributes.of("u-" + role, Set.of(role), "operator", Optional.of("NL"));
  }

  private static SubjectAttributes household(String connection) {
    return SubjectAttributes.of("h-" + connection, Set.of(), "household:" + connection, Optional.of("NL"));
  }

  private static SubjectAttributes supplier() {
    return SubjectAttributes.of("s-1", Set.of(), "supplier:eneco", Optional.of("NL"));
  }

  private static ResourceRequest device() {
    return ResourceRequest.entity("", "urn:ngsi-ld:Device:m1", Set.of(DEVICE), Optional.of("EAN1"));
  }

  private static ResourceRequest reading(String connection) {
    return ResourceRequest.entity("", "urn:ngsi-ld:Reading:r1", Set.of(READING), Optional.of(connection));
  }

  private static Decision decide(SubjectAttributes s, ResourceRequest r, Action a, Environment e) {
    return pdp.decide(new AccessRequest(s, r, a, e, Optional.empty()));
  }

  private static Decision decide(SubjectAttributes s, ResourceRequest r, Action a) {
    return decide(s, r, a, PLAIN);
  }

  @Test
  void administratorManagesDevicesButSeesNoPersonalAttributes() {
    Decision read = decide(operator("operator-admin"), device(), Action.READ);
    assertThat(read.effect()).isEqualTo(Effect.PERMIT);
    assertThat(read.obligations()).containsExactly(
        new Obligation.RemoveAttributes(Set.of("activePower", "energyConsumed", "energyProduced", "activePowerProduced",
            "current", "address")));
    assertThat(decide(operator("operator-admin"), device(), Action.DELETE).permitted()).isTrue();
    assertThat(decide(operator("operator-admin"), device(), Action.CREATE).permitted()).isTrue();
  }

  @Test
  void onlyTheSecurityOfficerChangesPolicies() {
    ResourceRequest policies = ResourceRequest.controlPlane("control-plane");
    assertThat(decide(operator("operator-admin"), policies, Action.named("policy.write")).permitted()).isFalse();
    assertThat(decide(operator("operator-engineer"), policies, Action.named("policy.write")).permitted()).isFalse();
    assertThat(decide(operator("security-officer"), policies, Action.named("policy.write")).permitted()).isTrue();
    assertThat(decide(operator("auditor"), policies, Action.named("policy.read")).permitted()).isTrue();
    assertThat(decide(operator("auditor"), policies, Action.named("policy.write")).permitted()).isFalse();
  }

  @Test
  void auditorAndSecurityOfficerReadEveryControlPlaneRecordButChangeNoneOfIt() {
    ResourceRequest control = ResourceRequest.controlPlane("control-plane");
    for (String role : new String[] {"auditor", "security-officer"}) {
      assertThat(decide(operator(role), control, Action.named("retention.read")).permitted()).as(role).isTrue();
      assertThat(decide(operator(role), control, Action.named("clients.read")).permitted()).as(role).isTrue();
      assertThat(decide(operator(role), control, Action.named("clients.write")).permitted()).as(role).isFalse();
      assertThat(decide(operator(role), control, Action.named("retention.write")).permitted()).as(role).isFalse();
      // "read" must be the last word, not any suffix.
      assertThat(decide(operator(role), control, Action.named("reread")).permitted()).as(role).isFalse();
    }
    assertThat(decide(operator("operator-admin"), control, Action.named("clients.write")).permitted()).isTrue();
  }

  @Test
  void engineerCreatesAndDeletesOnlyUnderBreakGlass() {
    SubjectAttributes engineer = operator("operator-engineer");
    assertThat(decide(engineer, device(), Action.UPDATE).permitted()).isTrue();
    assertThat(decide(engineer, device(), Action.DELETE).permitted()).isFalse();
    Environment breakGlass = new Environment(NOW, true, Optional.empty());
    assertThat(decide(engineer, device(), Action.DELETE, breakGlass).permitted()).isTrue();
  }

  @Test
  void gridOperationGetsPersonalDataOnlyAsAggregatesOverTenConnections() {
    SubjectAttributes engineer = operator("operator-engineer");
    assertThat(decide(engineer, reading("EAN1"), Action.QUERY).permitted()).isFalse();
    assertThat(decide(engineer, reading("EAN1"), Action.READ,
        new Environment(NOW, false, Optional.of("grid-operation"))).permitted()).isFalse();
    Decision query = decide(engineer, reading("EAN1"), Action.QUERY,
        new Environment(NOW, false, Optional.of("grid-operation")));
    assertThat(query.effect()).isEqualTo(Effect.PERMIT);
    assertThat(query.obligations()).containsExactly(new Obligation.RequireAggregation(10));
  }

  @Test
  void auditorSeesControlButNothingPersonalAndNeverWrites() {
    SubjectAttributes auditor = SubjectAttributes.of("a-1", Set.of("auditor"), "auditor:kpmg", Optional.of("NL"));
    Decision read = decide(auditor, device(), Action.READ);
    assertThat(read.permitted()).isTrue();
    assertThat(read.obligations()).hasSize(1).first()
        .isInstanceOfSatisfying(Obligation.RemoveAttributes.class, r -> assertThat(r.names()).contains("activePower"));
    assertThat(decide(auditor, reading("EAN1"), Action.READ).permitted()).isFalse();
    assertThat(decide(auditor, reading("EAN1"), Action.QUERY,
        new Environment(NOW, false, Optional.of("grid-operation"))).permitted()).isFalse();
    assertThat(decide(auditor, device(), Action.UPDATE).permitted()).isFalse();
    assertThat(decide(auditor, device(), Action.DELETE).permitted()).isFalse();
  }

  @Test
  void vendorGetsNothingEvenWithAnOperatorRole() {
    SubjectAttributes vendor = SubjectAttributes.of("v-1", Set.of("operator-admin"), "vendor:zte", Optional.of("CN"));
    for (Action action : new Action[] {Action.READ, Action.QUERY, Action.UPDATE, Action.SUBSCRIBE}) {
      assertThat(decide(vendor, device(), action).permitted()).as(action.name()).isFalse();
    }
  }

  @Test
  void householdReadsItsOwnConnectionOnlyAndManagesItsOwnConsents() {
    assertThat(decide(household("EAN1"), reading("EAN1"), Action.READ).permitted()).isTrue();
    assertThat(decide(household("EAN1"), reading("EAN1"), Action.QUERY).permitted()).isTrue();
    assertThat(decide(household("EAN1"), reading("EAN2"), Action.READ).permitted()).isFalse();
    assertThat(decide(household("EAN1"), reading("EAN1"), Action.DELETE).permitted()).isFalse();
    ResourceRequest ownConsent = ResourceRequest.entity("", "urn:ngsi-ld:Consent:c1", Set.of(CONSENT), Optional.of("EAN1"));
    ResourceRequest otherConsent = ResourceRequest.entity("", "urn:ngsi-ld:Consent:c2", Set.of(CONSENT), Optional.of("EAN2"));
    assertThat(decide(household("EAN1"), ownConsent, Action.CREATE).permitted()).isTrue();
    assertThat(decide(household("EAN1"), ownConsent, Action.UPDATE).permitted()).isTrue();
    assertThat(decide(household("EAN1"), otherConsent, Action.CREATE).permitted()).isFalse();
    // Data with no owning connection is nobody's own.
    ResourceRequest unowned = ResourceRequest.entity("", "urn:ngsi-ld:Device:m9", Set.of(DEVICE), Optional.empty());
    assertThat(decide(household("EAN1"), unowned, Action.READ).permitted()).isFalse();
  }

  @Test
  void supplierReadsOnlyWithConsentAndAtTheConsentedGranularity() {
    assertThat(decide(supplier(), reading("EAN1"), Action.READ).permitted()).isFalse();
    Consent daily = new Consent("urn:ngsi-ld:Consent:c1", "EAN1", "supplier:eneco", "billing", Duration.ofDays(1),
        NOW.minusSeconds(60), Optional.empty(), false);
    Decision withConsent = pdp.decide(new AccessRequest(supplier(), reading("EAN1").withGranularity(Duration.ofMinutes(15)),
        Action.QUERY, new Environment(NOW, false, Optional.of("billing")), Optional.of(daily)));
    assertThat(withConsent.effect()).isEqualTo(Effect.PERMIT);
    assertThat(withConsent.obligations()).containsExactly(new Obligation.CapGranularity(Duration.ofDays(1)));
    Decision write = pdp.decide(new AccessRequest(supplier(), reading("EAN1"), Action.UPDATE,
        new Environment(NOW, false, Optional.of("billing")), Optional.of(daily)));
    assertThat(write.permitted()).isFalse();
  }

  @Test
  void aSubjectNoPolicyNamesIsDeniedAsNotApplicable() {
    Decision decision = decide(SubjectAttributes.of("x", Set.of(), "operator", Optional.empty()), device(), Action.READ);
    assertThat(decision.effect()).isEqualTo(Effect.DENY);
    assertThat(decision.reason()).contains("NotApplicable");
  }
}

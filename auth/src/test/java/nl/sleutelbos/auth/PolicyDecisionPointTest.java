package nl.sleutelbos.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicyDecisionPointTest {
  private static final AccessRequest ADMIN_READS_DEVICE = new AccessRequest(
      SubjectAttributes.of("u", Set.of("operator-admin"), "operator", Optional.empty()),
      ResourceRequest.entity("", "urn:ngsi-ld:Device:m1", Set.of("Device"), Optional.empty()),
      Action.READ, new Environment(Instant.parse("2026-11-26T12:00:00Z"), false, Optional.empty()), Optional.empty());

  static final String DENY_ALL = """
      <PolicySet xmlns="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17" PolicySetId="urn:test:deny-all" Version="1.0"
          PolicyCombiningAlgId="urn:oasis:names:tc:xacml:1.0:policy-combining-algorithm:first-applicable">
        <Target/>
        <Policy PolicyId="urn:test:deny" Version="1.0"
            RuleCombiningAlgId="urn:oasis:names:tc:xacml:1.0:rule-combining-algorithm:first-applicable">
          <Target/>
          <Rule RuleId="no" Effect="Deny"/>
        </Policy>
      </PolicySet>
      """;

  @Test
  void aNewPolicyReplacesTheOldOneOnlyWhenActivated() throws PolicyException {
    try (PolicyDecisionPoint pdp = PolicyDecisionPoint.start(PolicyDecisionPoint.defaultPolicy())) {
      assertThat(pdp.decide(ADMIN_READS_DEVICE).permitted()).isTrue();
      PolicyDecisionPoint.CompiledPolicy denyAll = PolicyDecisionPoint.compile(DENY_ALL);
      assertThat(pdp.decide(ADMIN_READS_DEVICE).permitted()).isTrue();
      pdp.activate(denyAll);
      Decision decision = pdp.decide(ADMIN_READS_DEVICE);
      assertThat(decision.permitted()).isFalse();
      assertThat(decision.reason()).isEqualTo("denied by policy");
    }
  }

  @Test
  void malformedXmlIsRejectedWithTheParsersMessage() {
    assertThatThrownBy(() -> PolicyDecisionPoint.compile("<PolicySet xmlns=\"urn:oasis:names:tc:xacml:3.0:core:schema:wd-17\">"))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("XML");
  }

  @Test
  void aPolicyTheSchemaRejectsIsRejected() {
    // Well-formed XML, but a PolicySet needs PolicySetId, Version and a combining algorithm.
    assertThatThrownBy(() -> PolicyDecisionPoint.compile(
        "<PolicySet xmlns=\"urn:oasis:names:tc:xacml:3.0:core:schema:wd-17\"><Target/></PolicySet>"))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("PolicySetId");
  }

  @Test
  void aPolicyWithAnUnknownCombiningAlgorithmIsRejected() {
    assertThatThrownBy(() -> PolicyDecisionPoint.compile(DENY_ALL.replace(
        "policy-combining-algorithm:first-applicable", "policy-combining-algorithm:coin-toss")))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("coin-toss");
  }
}

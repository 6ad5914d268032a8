package nl.sleutelbos.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The decision cache never changes a decision: the shipped policy set decides every request the
 * same with the cache as without it, whatever came before (the cached engine sees the requests in
 * the same order, so later ones hit entries earlier ones made).
 */
class DecisionCacheProperties {
  private static final String V = "https://uri.etsi.org/ngsi-ld/default-context/";
  private static XacmlEngine cached;
  private static XacmlEngine fresh;

  @BeforeContainer
  static void load() throws PolicyException {
    cached = XacmlEngine.load(PolicyDecisionPoint.defaultPolicy(), true);
    fresh = XacmlEngine.load(PolicyDecisionPoint.defaultPolicy(), false);
  }

  @AfterContainer
  static void close() {
    cached.close();
    fresh.close();
  }

  @Property(tries = 3000)
  void theCacheDecidesAsTheEngineDoes(@ForAll("requests") AccessRequest request) {
    assertThat(cached.evaluate(request)).isEqualTo(fresh.evaluate(request));
  }

  /**
   * The sharp case: two requests that differ in one attribute only. If the key left out an
   * attribute the policy reads, the second would get the first's decision.
   */
  @Property(tries = 3000)
  void requestsDifferingInOneAttributeAreDecidedApart(@ForAll("requests") AccessRequest a,
      @ForAll("requests") AccessRequest other, @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 13) int field) {
    AccessRequest b = withOneFieldOf(a, other, field);
    assertThat(cached.evaluate(a)).isEqualTo(fresh.evaluate(a));
    assertThat(cached.evaluate(b)).isEqualTo(fresh.evaluate(b));
  }

  private static AccessRequest withOneFieldOf(AccessRequest a, AccessRequest o, int field) {
    SubjectAttributes s = a.subject();
    SubjectAttributes os = o.subject();
    ResourceRequest r = a.resource();
    ResourceRequest or = o.resource();
    Environment e = a.environment();
    Environment oe = o.environment();
    SubjectAttributes subject = switch (field) {
      case 0 -> new SubjectAttributes(os.id(), s.roles(), s.organisationKind(), s.organisationName(), s.country());
      case 1 -> new SubjectAttributes(s.id(), os.roles(), s.organisationKind(), s.organisationName(), s.country());
      case 2 -> new SubjectAttributes(s.id(), s.roles(), os.organisationKind(), s.organisationName(), s.country());
      case 3 -> new SubjectAttributes(s.id(), s.roles(), s.organisationKind(), os.organisationName(), s.country());
      default -> s;
    };
    ResourceRequest resource = switch (field) {
      case 4 -> new ResourceRequest(r.tenant(), or.family(), r.entityTypes(), r.entityId(), r.attributes(),
          r.owningConnection(), r.granularity());
      case 5 -> new ResourceRequest(r.tenant(), r.family(), or.entityTypes(), r.entityId(), r.attributes(),
          r.owningConnection(), r.granularity());
      case 6 -> new ResourceRequest(r.tenant(), r.family(), r.entityTypes(), or.entityId(), r.attributes(),
          r.owningConnection(), r.granularity());
      case 7 -> new ResourceRequest(r.tenant(), r.family(), r.entityTypes(), r.entityId(), or.attributes(),
          r.owningConnection(), r.granularity());
      case 8 -> new ResourceRequest(r.tenant(), r.family(), r.entityTypes(), r.entityId(), r.attributes(),
          or.owningConnection(), r.granularity());
      case 9 -> new ResourceRequest(r.tenant(), r.family(), r.entityTypes(), r.entityId(), r.attributes(),
          r.owningConnection(), or.granularity());
      default -> r;
    };
    Environment environment = switch (field) {
      case 10 -> new Environment(oe.time(), e.breakGlass(), e.purpose());
      case 11 -> new Environment(e.time(), oe.breakGlass(), e.purpose());
      case 12 -> new Environment(e.time(), e.breakGlass(), oe.purpose());
      default -> e;
    };
    return new AccessRequest(subject, resource, field == 13 ? o.action() : a.action(), environment,
        field == 13 ? a.consent() : a.consent().isPresent() ? a.consent() : o.consent());
  }

  @Property(tries = 50)
  void theCacheIsUsed(@ForAll("requests") AccessRequest request) {
    long before = cached.cacheCounts()[0];
    cached.evaluate(request);
    cached.evaluate(request);
    assertThat(cached.cacheCounts()[0]).isGreaterThan(before);
  }

  @Provide
  Arbitrary<AccessRequest> requests() {
    Arbitrary<SubjectAttributes> subjects = Combinators.combine(
        Arbitraries.of("u1", "u2"),
        Arbitraries.subsetOf("operator-admin", "operator-engineer", "security-officer", "auditor", "head-end", "meter"),
        Arbitraries.of("operator", "household:EAN1", "household:EAN2", "supplier:eneco", "vendor:acme",
            "auditor:kpmg", "meter:M1"),
        Arbitraries.of("NL", "CN").optional())
        .as(SubjectAttributes::of);
    Arbitrary<ResourceRequest> resources = Combinators.combine(
        Arbitraries.of("ngsi-ld", "control-plane", "policies", "keys", "audit", "ingest", "identity"),
        Arbitraries.subsetOf(V + "Device", V + "Reading", V + "Consent", V + "AuditEntry", V + "Building", "Consent"),
        Arbitraries.of("urn:ngsi-ld:Device:m1", "urn:ngsi-ld:Device:m2").optional(),
        Arbitraries.subsetOf("activePower", "address", "name", V + "connection"),
        Arbitraries.of("EAN1", "EAN2").optional(),
        Arbitraries.of(Duration.ofMinutes(15), Duration.ofDays(1)).optional())
        .as((family, types, id, attrs, owner, granularity) ->
            new ResourceRequest("", family, types, id, attrs, owner, granularity));
    Arbitrary<Action> actions = Arbitraries.of("read", "create", "update", "delete", "query", "subscribe",
        "policy.write", "keys.write", "keys.approve", "ingest", "ingest.read", "subject.read").map(Action::new);
    Arbitrary<Environment> environments = Combinators.combine(
        Arbitraries.longs().between(0, 3).map(s -> Instant.parse("2026-11-26T12:00:00Z").plusSeconds(s)),
        Arbitraries.of(true, false),
        Arbitraries.of("grid-operation", "billing", "address").optional())
        .as(Environment::new);
    Arbitrary<Optional<Consent>> consents = Arbitraries.of(Duration.ofMinutes(15), Duration.ofDays(1))
        .map(g -> new Consent("urn:ngsi-ld:Consent:c1", "EAN1", "supplier:eneco", "billing", g,
            Instant.parse("2026-01-01T00:00:00Z"), Optional.empty(), false))
        .optional();
    return Combinators.combine(subjects, resources, actions, environments, consents).as(AccessRequest::new);
  }

  @Property(tries = 1)
  void theShippedPolicyReadsNoIdsSoEntitiesShareDecisions() {
    Set<RequestAttribute> read = DecisionCache.attributesRead(PolicyDecisionPoint.defaultPolicy()).orElseThrow();
    assertThat(read).contains(RequestAttribute.ROLE, RequestAttribute.ORG_KIND, RequestAttribute.OWNER,
        RequestAttribute.ACTION_ID, RequestAttribute.CONSENT_GRANTED, RequestAttribute.BREAK_GLASS);
    assertThat(read).doesNotContain(RequestAttribute.ENTITY_ID, RequestAttribute.SUBJECT_ID, RequestAttribute.TIME);
  }

  @Property(tries = 1)
  void aPolicyThatReadsTheEntityIdIsDecidedPerEntity() throws PolicyException {
    String policy = policyPermitting("""
        <AllOf><Match MatchId="urn:oasis:names:tc:xacml:1.0:function:string-equal">
          <AttributeValue DataType="http://www.w3.org/2001/XMLSchema#string">urn:ngsi-ld:Device:m1</AttributeValue>
          <AttributeDesignator Category="urn:oasis:names:tc:xacml:3.0:attribute-category:resource"
              AttributeId="urn:sleutelbos:resource:entity-id" DataType="http://www.w3.org/2001/XMLSchema#string"
              MustBePresent="false"/>
        </Match></AllOf>""");
    try (XacmlEngine engine = XacmlEngine.load(policy, true)) {
      assertThat(engine.evaluate(read("urn:ngsi-ld:Device:m1")).permitted()).isTrue();
      assertThat(engine.evaluate(read("urn:ngsi-ld:Device:m2")).permitted()).isFalse();
      assertThat(engine.evaluate(read("urn:ngsi-ld:Device:m1")).permitted()).isTrue();
    }
  }

  @Property(tries = 1)
  void aPolicyThatReadsTheTimeOfDayIsDecidedEachSecond() throws PolicyException {
    // Permit only before 12:00:01 UTC: the same request one second later must be decided again.
    String policy = policyPermitting("""
        <AllOf><Match MatchId="urn:oasis:names:tc:xacml:1.0:function:dateTime-greater-than">
          <AttributeValue DataType="http://www.w3.org/2001/XMLSchema#dateTime">2026-11-26T12:00:01Z</AttributeValue>
          <AttributeDesignator Category="urn:oasis:names:tc:xacml:3.0:attribute-category:environment"
              AttributeId="urn:oasis:names:tc:xacml:1.0:environment:current-dateTime"
              DataType="http://www.w3.org/2001/XMLSchema#dateTime" MustBePresent="false"/>
        </Match></AllOf>""");
    try (XacmlEngine engine = XacmlEngine.load(policy, true)) {
      Instant noon = Instant.parse("2026-11-26T12:00:00Z");
      assertThat(engine.evaluate(readAt(noon)).permitted()).isTrue();
      assertThat(engine.evaluate(readAt(noon.plusMillis(999))).permitted()).isTrue();
      assertThat(engine.evaluate(readAt(noon.plusSeconds(1))).permitted()).isFalse();
    }
  }

  @Property(tries = 1)
  void aPolicyWithAnAttributeSelectorIsNotCached() {
    String policy = policyPermitting("""
        <AllOf><Match MatchId="urn:oasis:names:tc:xacml:1.0:function:string-equal">
          <AttributeValue DataType="http://www.w3.org/2001/XMLSchema#string">x</AttributeValue>
          <AttributeSelector Category="urn:oasis:names:tc:xacml:3.0:attribute-category:resource" Path="/x"
              DataType="http://www.w3.org/2001/XMLSchema#string" MustBePresent="false"/>
        </Match></AllOf>""");
    assertThat(DecisionCache.attributesRead(policy)).isEmpty();
  }

  private static AccessRequest read(String id) {
    return new AccessRequest(SubjectAttributes.of("u1", Set.of("auditor"), "operator", Optional.empty()),
        ResourceRequest.entity("", id, Set.of(V + "Device"), Optional.empty()), Action.READ,
        new Environment(Instant.parse("2026-11-26T12:00:00Z"), false, Optional.empty()), Optional.empty());
  }

  private static AccessRequest readAt(Instant time) {
    AccessRequest r = read("urn:ngsi-ld:Device:m1");
    return new AccessRequest(r.subject(), r.resource(), r.action(), new Environment(time, false, Optional.empty()),
        Optional.empty());
  }

  private static String policyPermitting(String allOf) {
    return """
        <PolicySet xmlns="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17" PolicySetId="test" Version="1.0"
            PolicyCombiningAlgId="urn:oasis:names:tc:xacml:3.0:policy-combining-algorithm:deny-unless-permit">
          <Target/>
          <Policy PolicyId="p" Version="1.0"
              RuleCombiningAlgId="urn:oasis:names:tc:xacml:3.0:rule-combining-algorithm:deny-unless-permit">
            <Target/>
            <Rule RuleId="r" Effect="Permit"><Target><AnyOf>%s</AnyOf></Target></Rule>
          </Policy>
        </PolicySet>
        """.formatted(allOf);
  }

}

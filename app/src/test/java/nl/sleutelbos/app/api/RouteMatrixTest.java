package nl.sleutelbos.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import nl.sleutelbos.app.http.Route;
import nl.sleutelbos.app.http.RouteActions;
import nl.sleutelbos.auth.Action;
import nl.sleutelbos.auth.ConsentInformationPoint;
import nl.sleutelbos.auth.EnforcementPoint;
import nl.sleutelbos.auth.Environment;
import nl.sleutelbos.auth.PolicyDecisionPoint;
import nl.sleutelbos.auth.PolicyException;
import nl.sleutelbos.auth.ResourceRequest;
import nl.sleutelbos.auth.SubjectAttributes;
import nl.sleutelbos.auth.Verdict;
import org.junit.jupiter.api.Test;

/**
 * Every route the server knows × every role × own and other data, decided by the default policy
 * set through the real engine, against the expectations written out below in plain Java. The
 * routes come from the server itself, so a new route without an action fails here.
 */
class RouteMatrixTest extends ApiTestBase {
  private static final String V = "https://uri.etsi.org/ngsi-ld/default-context/";
  private static final Environment NOW = new Environment(Instant.parse("2026-11-26T12:00:00Z"), false, Optional.empty());

  private enum Role {
    ADMIN(SubjectAttributes.of("a", Set.of("operator-admin"), "operator", Optional.of("NL"))),
    ENGINEER(SubjectAttributes.of("e", Set.of("operator-engineer"), "operator", Optional.of("NL"))),
    SECURITY_OFFICER(SubjectAttributes.of("s", Set.of("security-officer"), "operator", Optional.of("NL"))),
    AUDITOR(SubjectAttributes.of("k", Set.of("auditor"), "auditor:kpmg", Optional.of("NL"))),
    VENDOR(SubjectAttributes.of("v", Set.of("operator-admin"), "vendor:zte", Optional.of("CN"))),
    HOUSEHOLD(SubjectAttributes.of("h", Set.of(), "household:EAN1", Optional.of("NL"))),
    SUPPLIER(SubjectAttributes.of("p", Set.of(), "supplier:eneco", Optional.of("NL"))),
    METER(SubjectAttributes.of("m", Set.of("meter"), "meter:E0001", Optional.of("NL"))),
    HEAD_END(SubjectAttributes.of("he", Set.of("head-end"), "operator", Optional.of("NL")));

    final SubjectAttributes subject;

    Role(SubjectAttributes subject) {
      this.subject = subject;
    }
  }

  /** What a route touches in the matrix: a meter (technical) or a reading (personal), the caller's or not. */
  private record Target(String name, ResourceRequest resource, boolean personal, boolean own) {}

  private static List<Target> targets(Route route) {
    if (route.family().equals("ngsi-ld")) {
      return List.of(
          new Target("own meter", ResourceRequest.entity("", "urn:ngsi-ld:Device:m1", Set.of(V + "Device"), Optional.of("EAN1")), false, true),
          new Target("other meter", ResourceRequest.entity("", "urn:ngsi-ld:Device:m2", Set.of(V + "Device"), Optional.of("EAN2")), false, false),
          new Target("own reading", ResourceRequest.entity("", "urn:ngsi-ld:Reading:r1", Set.of(V + "Reading"), Optional.of("EAN1")), true, true),
          new Target("other reading", ResourceRequest.entity("", "urn:ngsi-ld:Reading:r2", Set.of(V + "Reading"), Optional.of("EAN2")), true, false));
    }
    return List.of(new Target("control plane", ResourceRequest.controlPlane(route.family()), false, false));
  }

  private static boolean reading(Action a) {
    return Set.of("read", "query", "subscribe").contains(a.name());
  }

  /** The default policy set, as prose turned into code (docs/modules/auth.md). */
  private static boolean expected(Role role, Action action, Target target) {
    if (action.name().equals("subject.read")) {
      return true; // everyone may see who they are
    }
    return switch (role) {
      case VENDOR, SUPPLIER -> false; // the supplier has no consent here; EnforcementPointTest covers consent
      case HOUSEHOLD -> target.own() && reading(action);
      case AUDITOR -> !target.personal() && (reading(action) || action.name().endsWith(".read"));
      case SECURITY_OFFICER -> !target.personal() && (action.name().equals("read") || action.name().equals("query")
          || action.name().endsWith(".read") || action.name().equals("policy.write")
          || Set.of("keys.write", "keys.import", "keys.campaign", "keys.operation", "keys.approve").contains(action.name()));
      // Quorum approvals are the security officers' alone.
      case ADMIN -> !target.personal() && !action.name().equals("policy.write") && !action.name().equals("keys.approve");
      case ENGINEER -> !target.personal()
          && (reading(action) || action.equals(Action.UPDATE));
      case METER -> action.name().equals("ingest"); // its own readings only: the route checks whose
      case HEAD_END -> action.name().equals("ingest") || action.name().equals("ingest.read");
    };
  }

  @Test
  void everyRouteHasAnAction() {
    List<String> unmapped = new ArrayList<>();
    for (Route route : server.routes()) {
      if (!RouteActions.isPublic(route) && RouteActions.of(route).isEmpty()) {
        unmapped.add(route.method() + " " + route.template() + " (" + route.family() + ")");
      }
    }
    assertThat(unmapped).as("routes without a policy action").isEmpty();
  }

  @Test
  void everyRouteForEveryRoleIsDecidedAsThePolicySays() throws PolicyException {
    try (PolicyDecisionPoint pdp = PolicyDecisionPoint.start(PolicyDecisionPoint.defaultPolicy())) {
      EnforcementPoint pep = new EnforcementPoint(pdp, new ConsentInformationPoint(server.store()));
      List<String> wrong = new ArrayList<>();
      int cells = 0;
      for (Route route : server.routes()) {
        if (RouteActions.isPublic(route)) {
          continue;
        }
        Action action = RouteActions.of(route).orElseThrow();
        for (Target target : targets(route)) {
          for (Role role : Role.values()) {
            boolean permitted = pep.check(role.subject, target.resource(), action, NOW) instanceof Verdict.Permit;
            cells++;
            if (permitted != expected(role, action, target)) {
              wrong.add(route.method() + " " + route.template() + " as " + role + " on " + target.name()
                  + ": " + (permitted ? "permitted" : "denied"));
            }
          }
        }
      }
      assertThat(wrong).as("decisions that differ from the expectation").isEmpty();
      assertThat(cells).isGreaterThan(100);
    }
  }
}

package nl.sleutelbos.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.Set;
import nl.sleutelbos.auth.Action;
import org.junit.jupiter.api.Test;

class RouteActionsTest {
  private static Optional<Action> of(String method, String template, String family) {
    return RouteActions.of(new Route(method, template, Set.of(), family, ex -> {}));
  }

  @Test
  void ngsiLdRoutesFollowTheirVerbs() {
    assertThat(of("GET", "/entities/{id}", "ngsi-ld")).contains(Action.READ);
    assertThat(of("GET", "/entities", "ngsi-ld")).contains(Action.QUERY);
    assertThat(of("POST", "/entities", "ngsi-ld")).contains(Action.CREATE);
    assertThat(of("POST", "/entities/{id}/attrs", "ngsi-ld")).contains(Action.UPDATE);
    assertThat(of("DELETE", "/entities/{id}/attrs/{attr}", "ngsi-ld")).contains(Action.UPDATE);
    assertThat(of("DELETE", "/entities/{id}", "ngsi-ld")).contains(Action.DELETE);
    assertThat(of("POST", "/entityOperations/upsert", "ngsi-ld")).contains(Action.CREATE);
    assertThat(of("POST", "/temporal/entityOperations/query", "ngsi-ld")).contains(Action.QUERY);
    assertThat(of("POST", "/entityOperations/frobnicate", "ngsi-ld")).isEmpty();
  }

  @Test
  void subscriptionsAreSubscribingAndReading() {
    assertThat(of("POST", "/subscriptions", "ngsi-ld")).contains(Action.SUBSCRIBE);
    assertThat(of("PATCH", "/subscriptions/{id}", "ngsi-ld")).contains(Action.SUBSCRIBE);
    assertThat(of("DELETE", "/subscriptions/{id}", "ngsi-ld")).contains(Action.SUBSCRIBE);
    assertThat(of("GET", "/subscriptions", "ngsi-ld")).contains(Action.QUERY);
    assertThat(of("GET", "/subscriptions/{id}", "ngsi-ld")).contains(Action.READ);
  }

  @Test
  void controlPlaneRoutesAreListedOneByOneAndUnknownOnesHaveNoAction() {
    assertThat(of("PUT", "/policies", "control-plane")).contains(Action.named("policy.write"));
    assertThat(of("GET", "/retention", "control-plane")).contains(Action.named("retention.read"));
    assertThat(of("POST", "/keys/rotate", "control-plane")).isEmpty();
    assertThat(of("GET", "/anything", "some-new-family")).isEmpty();
    assertThat(RouteActions.isPublic(new Route("POST", "/oauth/token", Set.of(), "identity", ex -> {}))).isTrue();
  }
}

package nl.sleutelbos.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.ngsild.context.CoreContext;
import nl.sleutelbos.ngsild.temporal.Instances;
import nl.sleutelbos.store.AttributeInstance;
import org.junit.jupiter.api.Test;

/**
 * Grid operation over real HTTP with real tokens: an operator querying household readings with
 * purpose {@code grid-operation} gets one aggregate across connections, and a 403 (never a smaller
 * group) when fewer connections than the policy's minimum (10) match.
 */
class GridOperationApiTest extends ApiTestBase {
  private static final String T = V1 + "/temporal/entities";
  private static final String READING = CoreContext.DEFAULT_VOCAB + "Reading";
  private static final String HOURLY = "&options=aggregatedValues&aggrMethods=sum,totalCount,max&aggrPeriodDuration=PT1H"
      + "&timerel=between&timeAt=2026-02-01T00:00:00Z&endTimeAt=2026-02-01T02:00:00Z";

  private Api operator() {
    Api.Response client = api.post("/sleutelbos/v1/clients",
        "{\"name\":\"grid\",\"roles\":[\"operator-engineer\"],\"organisation\":\"operator\",\"country\":\"NL\"}");
    assertThat(client.status()).as(client.toString()).isEqualTo(201);
    Api.Response token = api.anonymous().postAs("application/x-www-form-urlencoded", "/sleutelbos/v1/oauth/token",
        "grant_type=client_credentials", "Authorization", new BootstrapToken.Credentials(
            client.json().path("client_id").asText(), client.json().path("client_secret").asText()).basic());
    assertThat(token.status()).as(token.toString()).isEqualTo(200);
    return api.anonymous().with("Authorization", "Bearer " + token.json().path("access_token").asText())
        .with("Sleutelbos-Purpose", "grid-operation");
  }

  /**
   * Readings of one connection, eight quarter-hours of {@code value} from 2026-02-01T00:00Z. They
   * arrive as metering does, straight into history: no HTTP role writes household readings.
   */
  private void readings(String area, String connection, double value) {
    String id = "urn:ngsi-ld:Reading:" + area + ":" + connection;
    List<AttributeInstance> instances = new ArrayList<>();
    Instant t = Instant.parse("2026-02-01T00:00:00Z");
    instances.add(Instances.stored(id, CoreContext.DEFAULT_VOCAB + "connection",
        (com.fasterxml.jackson.databind.node.ObjectNode) Json.parseClient(
            ("{\"type\":\"Property\",\"value\":\"" + connection + "\",\"observedAt\":\"" + t + "\"}").getBytes()),
        Instances.newInstanceId(), t));
    for (int i = 0; i < 8; i++, t = t.plus(Duration.ofMinutes(15))) {
      instances.add(Instances.stored(id, CoreContext.DEFAULT_VOCAB + "power",
          (com.fasterxml.jackson.databind.node.ObjectNode) Json.parseClient(
              ("{\"type\":\"Property\",\"value\":" + value + ",\"observedAt\":\"" + t + "\"}").getBytes()),
          Instances.newInstanceId(), t));
    }
    server.store().history().append("", id, List.of(READING), instances);
  }

  @Test
  void tenConnectionsGiveOneAggregateNineGiveNothing() {
    for (int c = 1; c <= 10; c++) {
      readings("ede", "EAN-E" + c, c);
    }
    for (int c = 1; c <= 9; c++) {
      readings("ijsselstein", "EAN-I" + c, c);
    }
    Api grid = operator();

    Api.Response ede = grid.get(T + "?type=Reading&idPattern=.*:ede:.*" + HOURLY);
    assertThat(ede.status()).as(ede.toString()).isEqualTo(200);
    assertThat(ede.json()).hasSize(1);
    JsonNode group = ede.json().get(0);
    assertThat(group.path("id").asText()).isEqualTo("urn:sleutelbos:aggregate");
    assertThat(group.path("connectionCount").path("value").asInt()).isEqualTo(10);
    // Per hour: 4 quarter-hours × (1 + 2 + ... + 10) = 220, over 40 readings; the largest is 10.
    assertThat(group.path("power").path("sum").toString()).isEqualTo(
        "[[220.0,\"2026-02-01T00:00:00Z\",\"2026-02-01T01:00:00Z\"],[220.0,\"2026-02-01T01:00:00Z\",\"2026-02-01T02:00:00Z\"]]");
    assertThat(group.path("power").path("totalCount").get(0).get(0).asInt()).isEqualTo(40);
    assertThat(group.path("power").path("max").get(0).get(0).asDouble()).isEqualTo(10.0);
    assertThat(ede.body()).doesNotContain("EAN-E");

    Api.Response ijsselstein = grid.get(T + "?type=Reading&idPattern=.*:ijsselstein:.*" + HOURLY);
    assertThat(ijsselstein.status()).as(ijsselstein.toString()).isEqualTo(403);
    assertThat(ijsselstein.body()).contains("at least 10").contains("covers 9");

    String batch = """
        {"type":"Query","entities":[{"type":"Reading","idPattern":".*:ijsselstein:.*"}],
         "temporalQ":{"timerel":"between","timeAt":"2026-02-01T00:00:00Z","endTimeAt":"2026-02-01T02:00:00Z"}}""";
    assertThat(grid.post(V1 + "/temporal/entityOperations/query?options=aggregatedValues&aggrMethods=sum", batch)
        .status()).isEqualTo(403);
    Api.Response both = grid.post(V1 + "/temporal/entityOperations/query?options=aggregatedValues&aggrMethods=sum",
        batch.replace("ijsselstein", "(ede|ijsselstein)"));
    assertThat(both.status()).as(both.toString()).isEqualTo(200);
    assertThat(both.json().get(0).path("connectionCount").path("value").asInt()).isEqualTo(19);
  }

  @Test
  void gridOperationNeverSeesOneConnectionsReadings() {
    for (int c = 1; c <= 10; c++) {
      readings("utrecht", "EAN-U" + c, c);
    }
    Api grid = operator();
    Api.Response raw = grid.get(T + "?type=Reading&idPattern=.*:utrecht:.*");
    assertThat(raw.status()).as(raw.toString()).isEqualTo(403);
    assertThat(grid.get(T + "/urn:ngsi-ld:Reading:utrecht:EAN-U1" + "?" + HOURLY.substring(1)).status())
        .as("one entity is one connection").isEqualTo(403);
    Api.Response untyped = grid.get(T + "?idPattern=.*:utrecht:.*");
    assertThat(untyped.status()).as(untyped.toString()).isEqualTo(200);
    assertThat(untyped.json()).as("a query decided without types answers no personal entity").isEmpty();
    Api.Response distinct = grid.get(T + "?type=Reading&idPattern=.*:utrecht:.*"
        + HOURLY.replace("sum,totalCount,max", "distinctCount"));
    assertThat(distinct.status()).isEqualTo(400);
  }
}

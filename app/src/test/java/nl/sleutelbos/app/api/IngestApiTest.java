package nl.sleutelbos.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Meter readings over HTTP ({@code POST /sleutelbos/v1/ingest/telegrams}): telegrams become the
 * meter's Device entity and its temporal history, read back through the NGSI-LD APIs; a meter
 * writes only its own readings; re-delivery changes nothing; bad telegrams are rejected one by
 * one and counted, bad framing refuses the request.
 */
class IngestApiTest extends ApiTestBase {
  static final String INGEST = "/sleutelbos/v1/ingest/telegrams";
  static final String METRICS = "/sleutelbos/v1/ingest/metrics";
  static final String NDJSON = "application/x-ndjson";
  static final String PLAIN = "text/plain";
  /** Recent, so that the validator finds the telegrams neither too old nor in the future. */
  static final Instant T0 = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.HOURS).minus(java.time.Duration.ofHours(2));

  @Override
  protected long maxBodyBytes() {
    return 1 << 20;
  }

  @Test
  void telegramsBecomeTheMetersEntityAndItsHistory() {
    String meter = Telegrams.newMeter();
    String gas = Telegrams.newMeter();
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < 4; i++) {
      body.append(Telegrams.text(meter, T0.plusSeconds(900L * i), i, 0.5 + i, gas));
    }
    Api.Response r = api.postAs(PLAIN, INGEST, body.toString());
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.json().path("accepted").asInt()).isEqualTo(4);
    assertThat(r.json().path("results").get(3).path("result").asText()).isEqualTo("accepted");

    String entity = V1 + "/entities/urn:ngsi-ld:Device:" + meter;
    // The latest values follow the readings by one pass of their projector.
    JsonNode device = awaitLatest(meter, T0.plusSeconds(2700));
    assertThat(device.path("type").asText()).isEqualTo("Device");
    assertThat(device.path("category").path("value").get(0).asText()).isEqualTo("meter");
    assertThat(device.path("dateLastValueReported").path("value").asText()).isEqualTo(T0.plusSeconds(2700).toString());
    JsonNode voltage = device.path("voltage");
    assertThat(voltage.path("value").asDouble()).isEqualTo(230.3);
    assertThat(voltage.path("unitCode").asText()).isEqualTo("VLT");
    assertThat(voltage.path("datasetId").asText()).isEqualTo("urn:ngsi-ld:dataset:L1");
    assertThat(voltage.path("observedAt").asText()).isEqualTo(T0.plusSeconds(2700).toString());
    // Consumption is personal: the operator's administrator does not see it ...
    assertThat(device.has("activePower")).isFalse();
    assertThat(device.has("energyConsumed")).isFalse();

    // ... the household on the meter's connection does, latest values and history alike.
    String connection = "EAN" + meter;
    assertThat(api.post(entity + "/attrs", "{\"connection\":{\"type\":\"Property\",\"value\":\"" + connection + "\"}}")
        .status()).isEqualTo(204);
    String household = "Bearer " + TestClients.token(api,
        "{\"name\":\"Household\",\"organisation\":\"household:" + connection + "\"}");
    JsonNode own = api.get(entity, "Authorization", household).json();
    JsonNode power = own.path("activePower");
    assertThat(power.path("value").asDouble()).isEqualTo(3.5);
    assertThat(power.path("unitCode").asText()).isEqualTo("KWT");
    assertThat(power.path("observedAt").asText()).isEqualTo(T0.plusSeconds(2700).toString());
    assertThat(own.path("energyConsumed").findValuesAsText("unitCode")).containsOnly("KWH");

    JsonNode history = api.get(V1 + "/temporal/entities/urn:ngsi-ld:Device:" + meter + "?attrs=activePower,energyConsumed",
        "Authorization", household).json();
    List<Double> powers = new ArrayList<>();
    history.path("activePower").forEach(i -> powers.add(i.path("value").asDouble()));
    assertThat(powers).containsExactly(0.5, 1.5, 2.5, 3.5);
    assertThat(history.path("activePower").get(0).path("observedAt").asText()).isEqualTo(T0.toString());
    // Tariff 1 moved with every telegram, tariff 2 never: a register's history holds its changes.
    long tariff1 = count(history.path("energyConsumed"), "urn:ngsi-ld:dataset:tariff1");
    long tariff2 = count(history.path("energyConsumed"), "urn:ngsi-ld:dataset:tariff2");
    assertThat(tariff1).isEqualTo(4);
    assertThat(tariff2).isEqualTo(1);

    // Aggregations are worked out from the readings too: per quarter-hour sums and the hour's max.
    JsonNode aggregated = api.get(V1 + "/temporal/entities/urn:ngsi-ld:Device:" + meter
        + "?attrs=activePower&options=aggregatedValues&aggrMethods=sum,max&aggrPeriodDuration=PT15M"
        + "&timerel=between&timeAt=" + T0 + "&endTimeAt=" + T0.plusSeconds(3600), "Authorization", household).json();
    List<Double> sums = new ArrayList<>();
    aggregated.path("activePower").path("sum").forEach(b -> sums.add(b.get(0).asDouble()));
    assertThat(sums).as(aggregated.toString()).containsExactly(0.5, 1.5, 2.5, 3.5);
    assertThat(aggregated.path("activePower").path("max").get(3).get(0).asDouble()).isEqualTo(3.5);

    JsonNode gasMeter = api.get(V1 + "/entities/urn:ngsi-ld:Device:" + gas).json();
    assertThat(gasMeter.path("refMeter").path("object").asText()).isEqualTo("urn:ngsi-ld:Device:" + meter);
    assertThat(gasMeter.path("gasConsumed").path("unitCode").asText()).isEqualTo("MTQ");
    assertThat(gasMeter.path("gasConsumed").path("observedAt").asText()).isEqualTo(T0.toString());
  }

  @Test
  void theSameTelegramsSentAgainChangeNothing() {
    String meter = Telegrams.newMeter();
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      body.append(Telegrams.text(meter, T0.plusSeconds(10L * i), i, 1.0 + i, null));
    }
    assertThat(api.postAs(PLAIN, INGEST, body.toString()).status()).isEqualTo(200);
    String entity = V1 + "/entities/urn:ngsi-ld:Device:" + meter;
    awaitLatest(meter, T0.plusSeconds(20));
    JsonNode before = api.get(entity + "?options=sysAttrs").json();
    JsonNode historyBefore = api.get(V1 + "/temporal/entities/urn:ngsi-ld:Device:" + meter + "?options=sysAttrs").json();

    Api.Response again = api.postAs(PLAIN, INGEST, body.toString());
    assertThat(again.status()).as(again.toString()).isEqualTo(200);
    // Every one is a repeat: the reading store keeps a (meter, time) once.
    for (int i = 0; i < 3; i++) {
      assertThat(again.json().path("results").get(i).path("result").asText()).isEqualTo("repeated");
    }

    // The projector has nothing new to show (a pass over a repeat would find the entity as it is).
    assertThat(api.get(entity + "?options=sysAttrs").json()).isEqualTo(before);
    JsonNode historyAfter = api.get(V1 + "/temporal/entities/urn:ngsi-ld:Device:" + meter + "?options=sysAttrs").json();
    assertThat(historyAfter.path("voltage").size()).isEqualTo(3);
    assertThat(historyAfter.path("voltage").size()).isEqualTo(historyBefore.path("voltage").size());
    assertThat(historyAfter.path("powerFailures").size()).isEqualTo(historyBefore.path("powerFailures").size());
  }

  @Test
  void aTelegramWithABadCrcIsRejectedAndCountedWhileItsNeighboursAreKept() {
    String meter = Telegrams.newMeter();
    String good = Telegrams.text(meter, T0, 0, 1.0, null);
    String bad = Telegrams.corrupted(Telegrams.text(meter, T0.plusSeconds(10), 1, 2.0, null));
    String body = line(meter, good) + line(meter, bad);
    long rejectedBefore = api.get(METRICS).json().path("rejected").asLong();

    Api.Response r = api.postAs(NDJSON, INGEST, body);
    assertThat(r.status()).as(r.toString()).isEqualTo(207);
    assertThat(r.json().path("results").get(0).path("result").asText()).isEqualTo("accepted");
    JsonNode rejected = r.json().path("results").get(1);
    assertThat(rejected.path("result").asText()).isEqualTo("rejected");
    assertThat(rejected.path("reason").asText()).isEqualTo("crc");

    JsonNode metrics = api.get(METRICS).json();
    assertThat(metrics.path("rejected").asLong()).isEqualTo(rejectedBefore + 1);
    assertThat(metrics.path("rejections").path("crc").asLong()).isPositive();
    JsonNode quality = api.get(V1 + "/entities/urn:ngsi-ld:MeterDataQuality:" + meter).json();
    assertThat(quality.path("rejectedTelegrams").path("value").asLong()).isEqualTo(1);
    assertThat(quality.path("rejectionCounts").path("value").path("crc").asLong()).isEqualTo(1);
    assertThat(quality.path("refDevice").path("object").asText()).isEqualTo("urn:ngsi-ld:Device:" + meter);

    String prometheus = api.get(METRICS, "Accept", "text/plain").body();
    assertThat(prometheus).contains("sleutelbos_ingest_rejections_total{reason=\"crc\"}");
  }

  @Test
  void flaggedReadingsAreKeptWithTheirFlagsAndCounted() {
    String meter = Telegrams.newMeter();
    String entity = V1 + "/entities/urn:ngsi-ld:Device:" + meter;
    assertThat(api.postAs(PLAIN, INGEST, Telegrams.text(meter, T0, 8, 1.0, null)).status()).isEqualTo(200);
    awaitLatest(meter, T0);
    // The operator states the connection: 1x25 A, so 9 kW is above what it carries.
    assertThat(api.post(entity + "/attrs", "{\"connectionCapacity\":{\"type\":\"Property\",\"value\":\"1x25A\"}}")
        .status()).isEqualTo(204);
    long flaggedBefore = api.get(METRICS).json().path("flagged").asLong();

    // The register went back (step 8 to 4) and the power is above capacity: kept, flagged.
    Api.Response r = api.postAs(PLAIN, INGEST, Telegrams.text(meter, T0.plusSeconds(10), 4, 9.0, null));
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    JsonNode result = r.json().path("results").get(0);
    assertThat(result.path("result").asText()).isEqualTo("accepted-with-flags");
    List<String> flags = new ArrayList<>();
    result.path("flags").forEach(f -> flags.add(f.asText()));
    assertThat(flags).containsExactly("POWER_ABOVE_CAPACITY", "REGISTER_DECREASED");

    // The flags travel with the reading: on the latest values and on the history instances.
    JsonNode device = awaitLatest(meter, T0.plusSeconds(10));
    assertThat(device.path("voltage").path("dataQuality").path("value").toString())
        .contains("REGISTER_DECREASED", "POWER_ABOVE_CAPACITY");
    JsonNode history = api.get(V1 + "/temporal/entities/urn:ngsi-ld:Device:" + meter + "?attrs=voltage").json();
    assertThat(history.path("voltage").get(0).has("dataQuality")).isFalse();
    assertThat(history.path("voltage").get(1).path("dataQuality").path("value").toString()).contains("REGISTER_DECREASED");

    JsonNode quality = api.get(V1 + "/entities/urn:ngsi-ld:MeterDataQuality:" + meter).json();
    assertThat(quality.path("flaggedTelegrams").path("value").asLong()).isEqualTo(1);
    assertThat(quality.path("flagCounts").path("value").path("REGISTER_DECREASED").asLong()).isEqualTo(1);
    assertThat(quality.path("flagCounts").path("value").path("POWER_ABOVE_CAPACITY").asLong()).isEqualTo(1);
    JsonNode metrics = api.get(METRICS).json();
    assertThat(metrics.path("flagged").asLong()).isEqualTo(flaggedBefore + 1);
    assertThat(metrics.path("flags").path("REGISTER_DECREASED").asLong()).isPositive();

    // Delivered again after a newer one: judged on its own as late (still above capacity), but the
    // store has it already, so it is a repeat and its flags are not counted twice.
    assertThat(api.postAs(PLAIN, INGEST, Telegrams.text(meter, T0.plusSeconds(20), 5, 1.0, null)).status())
        .isEqualTo(200);
    Api.Response again = api.postAs(PLAIN, INGEST, Telegrams.text(meter, T0.plusSeconds(10), 4, 9.0, null));
    assertThat(again.json().path("results").get(0).path("result").asText()).as(again.toString()).isEqualTo("repeated");
    JsonNode counted = api.get(V1 + "/entities/urn:ngsi-ld:MeterDataQuality:" + meter).json();
    assertThat(counted.path("flaggedTelegrams").path("value").asLong()).isEqualTo(1);
    assertThat(counted.path("flagCounts").path("value").path("POWER_ABOVE_CAPACITY").asLong()).isEqualTo(1);
  }

  @Test
  void aMeterWritesItsOwnReadingsAndNoOtherMeters() {
    String own = Telegrams.newMeter();
    String other = Telegrams.newMeter();
    String token = TestClients.meter(api, own);
    String auth = "Bearer " + token;

    Api.Response mine = api.postAs(PLAIN, INGEST, Telegrams.text(own, T0, 0, 1.0, null), "Authorization", auth);
    assertThat(mine.status()).as(mine.toString()).isEqualTo(200);

    Api.Response theirs = api.postAs(PLAIN, INGEST, Telegrams.text(own, T0.plusSeconds(10), 1, 1.0, null)
        + Telegrams.text(other, T0, 0, 9.9, null), "Authorization", auth);
    assertThat(theirs.status()).as(theirs.toString()).isEqualTo(403);
    assertThat(theirs.errorType()).isEqualTo("Forbidden");
    // Refused whole: not even its own telegram of that request was written.
    awaitLatest(own, T0);
    assertThat(api.get(V1 + "/entities/urn:ngsi-ld:Device:" + other).status()).isEqualTo(404);
    assertThat(api.get(V1 + "/temporal/entities/urn:ngsi-ld:Device:" + own + "?attrs=voltage").json().path("voltage")
        .findValuesAsText("observedAt")).containsExactly(T0.toString());

    // Claiming to be the other meter in NDJSON is refused too, and so is a line whose claim and telegram disagree.
    assertThat(api.postAs(NDJSON, INGEST, line(other, Telegrams.text(other, T0, 0, 1.0, null)), "Authorization", auth)
        .status()).isEqualTo(403);
    assertThat(api.postAs(NDJSON, INGEST, line(own, Telegrams.text(other, T0, 0, 1.0, null)), "Authorization", auth)
        .status()).isEqualTo(403);
    // A meter reads nothing, not even the counts.
    assertThat(api.get(METRICS, "Authorization", auth).status()).isEqualTo(403);
    assertThat(api.get(V1 + "/entities/urn:ngsi-ld:Device:" + own, "Authorization", auth).status()).isEqualTo(403);
  }

  @Test
  void aHeadEndWritesAnyMetersReadings() {
    String token = TestClients.headEnd(api);
    String a = Telegrams.newMeter();
    String b = Telegrams.newMeter();
    Api.Response r = api.postAs(PLAIN, INGEST, Telegrams.text(a, T0, 0, 1.0, null) + Telegrams.text(b, T0, 0, 2.0, null),
        "Authorization", "Bearer " + token);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(api.get(METRICS, "Authorization", "Bearer " + token).status()).isEqualTo(200);
  }

  @Test
  void badFramingRefusesTheWholeRequestWithProblemDetails() {
    String meter = Telegrams.newMeter();
    String good = Telegrams.text(meter, T0, 0, 1.0, null);
    Api.Response garbage = api.postAs(PLAIN, INGEST, good + "hello");
    assertThat(garbage.status()).as(garbage.toString()).isEqualTo(400);
    assertThat(garbage.errorType()).isEqualTo("BadRequestData");
    assertThat(garbage.json().path("detail").asText()).contains("telegram 2");
    Api.Response unterminated = api.postAs(PLAIN, INGEST, good.substring(0, good.indexOf('!')));
    assertThat(unterminated.status()).isEqualTo(400);
    assertThat(api.postAs(NDJSON, INGEST, "{\"telegram\":1}\n").status()).isEqualTo(400);
    assertThat(api.postAs(NDJSON, INGEST, "not json\n").json().path("detail").asText()).contains("line 1");
    assertThat(api.postAs("application/json", INGEST, "{}").status()).isEqualTo(415);
    assertThat(api.get(V1 + "/entities/urn:ngsi-ld:Device:" + meter).status()).isEqualTo(404);
  }

  // --- helpers --------------------------------------------------------------------------------

  static String line(String meter, String telegram) {
    return "{\"meterId\":\"" + meter + "\",\"receivedAt\":\"" + T0.plusSeconds(60) + "\",\"telegram\":"
        + Api.MAPPER.valueToTree(telegram) + "}\n";
  }

  /**
   * The meter's entity once its latest values are those of {@code time} (polling, up to 30 s:
   * the projector writes them after the readings' commit).
   */
  JsonNode awaitLatest(String meter, Instant time) {
    Instant deadline = Instant.now().plusSeconds(30);
    while (true) {
      Api.Response r = api.get(V1 + "/entities/urn:ngsi-ld:Device:" + meter);
      if (r.status() == 200 && r.json().path("dateLastValueReported").path("value").asText().equals(time.toString())) {
        return r.json();
      }
      assertThat(Instant.now()).as("the latest values of " + meter + " never reached " + time + ": " + r).isBefore(deadline);
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  private static long count(JsonNode instances, String datasetId) {
    long n = 0;
    for (JsonNode i : instances) {
      n += i.path("datasetId").asText().equals(datasetId) ? 1 : 0;
    }
    return n;
  }
}

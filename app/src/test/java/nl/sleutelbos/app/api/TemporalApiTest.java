package nl.sleutelbos.app.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The temporal endpoints of the NGSI-LD API over real HTTP: /temporal/entities[/{id}[/attrs[/{attr}[/{instanceId}]]]]. */
class TemporalApiTest extends ApiTestBase {
  static final String T = V1 + "/temporal/entities";
  static final Instant DAY = Instant.parse("2026-03-01T00:00:00Z");

  /** Room for a long history in one POST. */
  @Override
  protected long maxBodyBytes() {
    return 1 << 20;
  }

  /** A temporal meter with n quarter-hour power readings from DAY: value = index. */
  static String meterWithReadings(String id, int n) {
    StringBuilder readings = new StringBuilder();
    for (int q = 0; q < n; q++) {
      if (q > 0) {
        readings.append(',');
      }
      readings.append("{\"type\":\"Property\",\"value\":").append(q).append(",\"observedAt\":\"")
          .append(DAY.plus(Duration.ofMinutes(15L * q))).append("\"}");
    }
    return "{\"id\":\"" + id + "\",\"type\":\"Meter\",\"power\":[" + readings + "]}";
  }

  private String createTemporal(String body) {
    Api.Response r = api.post(T, body);
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.header("Location").orElseThrow();
  }

  private String meter(int readings) {
    String id = newId("Meter");
    createTemporal(meterWithReadings(id, readings));
    return id;
  }

  private JsonNode ok(Api.Response r) {
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json();
  }

  private static List<Double> values(JsonNode instances) {
    List<Double> out = new ArrayList<>();
    instances.forEach(i -> out.add(i.path("value").asDouble()));
    return out;
  }

  @Nested
  class EntityWrites {
    @Test
    void everyChangedAttributeOfAnEntityBecomesAnInstance() {
      String id = newId("Meter");
      Api.Response created = api.post(V1 + "/entities", """
          {"id":"%s","type":"Meter","power":{"type":"Property","value":1.5,"observedAt":"2026-03-01T00:00:00Z"},
           "status":{"type":"Property","value":"on"}}""".formatted(id));
      assertThat(created.status()).as(created.toString()).isEqualTo(201);
      Api.Response patched = api.patch(V1 + "/entities/" + id + "/attrs",
          "{\"power\":{\"type\":\"Property\",\"value\":2.5,\"observedAt\":\"2026-03-01T00:15:00Z\"}}");
      assertThat(patched.status()).as(patched.toString()).isEqualTo(204);

      JsonNode history = ok(api.get(T + "/" + id));

      assertThat(history.path("id").asText()).isEqualTo(id);
      assertThat(history.path("type").asText()).isEqualTo("Meter");
      assertThat(values(history.path("power"))).containsExactly(1.5, 2.5);
      assertThat(history.path("power").get(1).path("observedAt").asText()).isEqualTo("2026-03-01T00:15:00Z");
      assertThat(history.path("power").get(0).path("instanceId").asText()).startsWith("urn:ngsi-ld:i:");
      assertThat(history.path("status")).hasSize(1); // unchanged by the patch: no new instance
      assertThat(history.path("status").get(0).has("modifiedAt")).isFalse();
      assertThat(ok(api.get(T + "/" + id + "?options=sysAttrs")).path("status").get(0).has("modifiedAt")).isTrue();
    }

    @Test
    void deletingTheEntityKeepsItsHistoryUntilTheTemporalDelete() {
      String id = newId("Meter");
      api.post(V1 + "/entities", "{\"id\":\"" + id + "\",\"type\":\"Meter\",\"power\":{\"type\":\"Property\",\"value\":3}}");
      assertThat(api.delete(V1 + "/entities/" + id).status()).isEqualTo(204);

      assertThat(values(ok(api.get(T + "/" + id)).path("power"))).containsExactly(3.0);
      assertThat(api.delete(T + "/" + id).status()).isEqualTo(204);
      Api.Response gone = api.get(T + "/" + id);
      assertThat(gone.status()).isEqualTo(404);
      assertThat(gone.errorType()).isEqualTo("ResourceNotFound");
      assertThat(api.delete(T + "/" + id).status()).isEqualTo(404);
    }
  }

  @Nested
  class Writes {
    @Test
    void aSecondPostAddsInstancesAndAnswers204() {
      String id = newId("Meter");
      assertThat(createTemporal(meterWithReadings(id, 2))).isEqualTo(T + "/" + id);
      String later = "{\"id\":\"" + id + "\",\"type\":\"Meter\",\"power\":[{\"type\":\"Property\",\"value\":9,"
          + "\"observedAt\":\"2026-03-02T00:00:00Z\"}]}";
      assertThat(api.post(T, later).status()).isEqualTo(204);

      assertThat(values(ok(api.get(T + "/" + id)).path("power"))).containsExactly(0.0, 1.0, 9.0);
    }

    @Test
    void instancesAreAddedToAnExistingEntityOnly() {
      String id = meter(1);
      String body = "{\"power\":[{\"type\":\"Property\",\"value\":5,\"observedAt\":\"2026-03-01T06:00:00Z\"}],"
          + "\"status\":{\"type\":\"Property\",\"value\":\"on\",\"observedAt\":\"2026-03-01T06:00:00Z\"}}";
      assertThat(api.post(T + "/" + id + "/attrs", body).status()).isEqualTo(204);
      JsonNode history = ok(api.get(T + "/" + id));
      assertThat(values(history.path("power"))).containsExactly(0.0, 5.0);
      assertThat(history.path("status").get(0).path("value").asText()).isEqualTo("on");

      Api.Response missing = api.post(T + "/" + newId("Meter") + "/attrs", body);
      assertThat(missing.status()).isEqualTo(404);
      assertThat(missing.errorType()).isEqualTo("ResourceNotFound");
    }

    @Test
    void anAttributeIsDeletedByDatasetIdOrWhole() {
      String id = newId("Meter");
      createTemporal("""
          {"id":"%s","type":"Meter","power":[
            {"type":"Property","value":1,"observedAt":"2026-03-01T00:00:00Z"},
            {"type":"Property","value":2,"observedAt":"2026-03-01T00:00:00Z","datasetId":"urn:ds:b"},
            {"type":"Property","value":3,"observedAt":"2026-03-01T00:15:00Z","datasetId":"urn:ds:b"}]}""".formatted(id));

      assertThat(api.delete(T + "/" + id + "/attrs/power?datasetId=urn:ds:b").status()).isEqualTo(204);
      assertThat(values(ok(api.get(T + "/" + id)).path("power"))).containsExactly(1.0);
      Api.Response none = api.delete(T + "/" + id + "/attrs/power?datasetId=urn:ds:b");
      assertThat(none.status()).isEqualTo(404);
      assertThat(api.delete(T + "/" + id + "/attrs/power?deleteAll=true").status()).isEqualTo(204);
      assertThat(ok(api.get(T + "/" + id)).has("power")).isFalse();
      Api.Response both = api.delete(T + "/" + id + "/attrs/power?deleteAll=true&datasetId=urn:ds:b");
      assertThat(both.status()).isEqualTo(400);
      assertThat(both.errorType()).isEqualTo("BadRequestData");
    }

    @Test
    void oneInstanceIsReplacedOrDeletedByItsInstanceId() {
      String id = meter(3);
      JsonNode before = ok(api.get(T + "/" + id)).path("power");
      String second = before.get(1).path("instanceId").asText();

      Api.Response patched = api.patch(T + "/" + id + "/attrs/power/" + second,
          "{\"power\":{\"type\":\"Property\",\"value\":42,\"observedAt\":\"2026-03-01T00:15:00Z\"}}");
      assertThat(patched.status()).as(patched.toString()).isEqualTo(204);
      JsonNode after = ok(api.get(T + "/" + id)).path("power");
      assertThat(values(after)).containsExactly(0.0, 42.0, 2.0);
      assertThat(after.get(1).path("instanceId").asText()).isEqualTo(second);

      assertThat(api.delete(T + "/" + id + "/attrs/power/" + second).status()).isEqualTo(204);
      assertThat(values(ok(api.get(T + "/" + id)).path("power"))).containsExactly(0.0, 2.0);
      Api.Response again = api.delete(T + "/" + id + "/attrs/power/" + second);
      assertThat(again.status()).isEqualTo(404);
      assertThat(again.errorType()).isEqualTo("ResourceNotFound");
      Api.Response patchMissing = api.patch(T + "/" + id + "/attrs/power/" + second,
          "{\"power\":{\"type\":\"Property\",\"value\":1}}");
      assertThat(patchMissing.status()).isEqualTo(404);
    }

    @Test
    void refusesBadTemporalEntities() {
      assertThat(api.post(T, "{\"id\":\"" + newId("Meter") + "\",\"type\":\"Meter\"}").errorType())
          .isEqualTo("BadRequestData");
      assertThat(api.post(T, "{\"id\":\"not a uri\",\"type\":\"Meter\",\"p\":{\"type\":\"Property\",\"value\":1}}")
          .errorType()).isEqualTo("BadRequestData");
      Api.Response badTime = api.post(T, "{\"id\":\"" + newId("Meter") + "\",\"type\":\"Meter\","
          + "\"p\":[{\"type\":\"Property\",\"value\":1,\"observedAt\":\"yesterday\"}]}");
      assertThat(badTime.status()).isEqualTo(400);
      assertThat(badTime.errorType()).isEqualTo("BadRequestData");
      String id = meter(1);
      Api.Response twoInstances = api.patch(T + "/" + id + "/attrs/power/urn:ngsi-ld:i:x",
          "{\"power\":[{\"type\":\"Property\",\"value\":1},{\"type\":\"Property\",\"value\":2}]}");
      assertThat(twoInstances.errorType()).isEqualTo("BadRequestData");
    }
  }

  @Nested
  class Reads {
    @Test
    void timerelSelectsTheTimesBeforeAfterAndBetween() {
      String id = meter(8); // 00:00 .. 01:45
      String base = T + "/" + id + "?timerel=";
      assertThat(values(ok(api.get(base + "before&timeAt=2026-03-01T00:30:00Z")).path("power")))
          .containsExactly(0.0, 1.0);
      assertThat(values(ok(api.get(base + "after&timeAt=2026-03-01T01:15:00Z")).path("power")))
          .containsExactly(6.0, 7.0);
      assertThat(values(ok(api.get(base + "between&timeAt=2026-03-01T00:30:00Z&endTimeAt=2026-03-01T01:00:00Z"))
          .path("power"))).containsExactly(2.0, 3.0);
      assertThat(ok(api.get(base + "before&timeAt=2026-03-01T00:00:00Z")).has("power")).isFalse();
    }

    @Test
    void timepropertyChoosesWhichTimeIsBounded() {
      String id = meter(4);
      Instant now = Instant.now();
      JsonNode modified = ok(api.get(T + "/" + id + "?timerel=after&timeproperty=modifiedAt&timeAt="
          + now.minus(Duration.ofHours(1))));
      assertThat(modified.path("power")).hasSize(4);
      JsonNode none = ok(api.get(T + "/" + id + "?timerel=before&timeproperty=createdAt&timeAt=2000-01-01T00:00:00Z"));
      assertThat(none.has("power")).isFalse();
    }

    @Test
    void lastNGivesTheNewestInstancesOldestFirst() {
      String id = meter(10);
      assertThat(values(ok(api.get(T + "/" + id + "?lastN=3")).path("power"))).containsExactly(7.0, 8.0, 9.0);
      assertThat(values(ok(api.get(T + "/" + id + "?lastN=2&timerel=before&timeAt=2026-03-01T01:00:00Z"))
          .path("power"))).containsExactly(2.0, 3.0);
    }

    @Test
    void attrsNarrowsTheAttributes() {
      String id = meter(2);
      api.post(T + "/" + id + "/attrs", "{\"status\":{\"type\":\"Property\",\"value\":\"on\"}}");
      JsonNode onlyStatus = ok(api.get(T + "/" + id + "?attrs=status"));
      assertThat(onlyStatus.has("power")).isFalse();
      assertThat(onlyStatus.path("status")).hasSize(1);
    }

    @Test
    void temporalValuesGivesValueTimePairs() {
      String id = newId("Meter");
      createTemporal("""
          {"id":"%s","type":"Meter",
           "power":[{"type":"Property","value":1.5,"observedAt":"2026-03-01T00:00:00Z"},
                    {"type":"Property","value":2,"observedAt":"2026-03-01T00:15:00Z"}],
           "feeds":[{"type":"Relationship","object":"urn:ngsi-ld:Cable:1","observedAt":"2026-03-01T00:00:00Z"}]}
          """.formatted(id));

      JsonNode simplified = ok(api.get(T + "/" + id + "?options=temporalValues"));

      assertThat(simplified.path("power").path("type").asText()).isEqualTo("Property");
      assertThat(simplified.path("power").path("values").toString())
          .isEqualTo("[[1.5,\"2026-03-01T00:00:00Z\"],[2,\"2026-03-01T00:15:00Z\"]]");
      assertThat(simplified.path("feeds").path("objects").get(0).get(0).asText()).isEqualTo("urn:ngsi-ld:Cable:1");
    }

    @Test
    void aggregatedValuesSummariseEachPeriod() {
      String id = meter(96); // one day, values 0..95
      JsonNode hourly = ok(api.get(T + "/" + id + "?options=aggregatedValues"
          + "&aggrMethods=totalCount,distinctCount,sum,avg,min,max,stddev,sumsq&aggrPeriodDuration=PT1H"
          + "&timerel=between&timeAt=2026-03-01T00:00:00Z&endTimeAt=2026-03-02T00:00:00Z")).path("power");

      assertThat(hourly.path("type").asText()).isEqualTo("Property");
      assertThat(hourly.path("sum")).hasSize(24);
      JsonNode third = hourly.path("sum").get(2); // 08 + 09 + 10 + 11
      assertThat(third.get(0).asDouble()).isEqualTo(38.0);
      assertThat(third.get(1).asText()).isEqualTo("2026-03-01T02:00:00Z");
      assertThat(third.get(2).asText()).isEqualTo("2026-03-01T03:00:00Z");
      assertThat(hourly.path("totalCount").get(2).get(0).asLong()).isEqualTo(4);
      assertThat(hourly.path("distinctCount").get(2).get(0).asLong()).isEqualTo(4);
      assertThat(hourly.path("avg").get(2).get(0).asDouble()).isEqualTo(9.5);
      assertThat(hourly.path("min").get(2).get(0).asDouble()).isEqualTo(8.0);
      assertThat(hourly.path("max").get(2).get(0).asDouble()).isEqualTo(11.0);
      assertThat(hourly.path("sumsq").get(2).get(0).asDouble()).isEqualTo(64 + 81 + 100 + 121.0);
      assertThat(hourly.path("stddev").get(2).get(0).asDouble()).isCloseTo(Math.sqrt(1.25), within(1e-9));

      JsonNode whole = ok(api.get(T + "/" + id + "?options=aggregatedValues&aggrMethods=totalCount,max")).path("power");
      assertThat(whole.path("totalCount").toString())
          .isEqualTo("[[96,\"2026-03-01T00:00:00Z\",\"2026-03-01T23:45:00.000001Z\"]]");
      assertThat(whole.path("max").get(0).get(0).asDouble()).isEqualTo(95.0);
      assertThat(whole.has("sum")).isFalse();
    }

    @Test
    void calendarPeriodsFollowTheCalendar() {
      String id = newId("Meter");
      createTemporal("""
          {"id":"%s","type":"Meter","power":[
            {"type":"Property","value":1,"observedAt":"2026-01-31T12:00:00Z"},
            {"type":"Property","value":2,"observedAt":"2026-02-28T12:00:00Z"},
            {"type":"Property","value":4,"observedAt":"2026-03-01T00:00:00Z"}]}""".formatted(id));

      JsonNode monthly = ok(api.get(T + "/" + id + "?options=aggregatedValues&aggrMethods=sum&aggrPeriodDuration=P1M"
          + "&timerel=between&timeAt=2026-01-01T00:00:00Z&endTimeAt=2026-04-01T00:00:00Z")).path("power");

      assertThat(monthly.path("sum").toString()).isEqualTo("[[1.0,\"2026-01-01T00:00:00Z\",\"2026-02-01T00:00:00Z\"],"
          + "[2.0,\"2026-02-01T00:00:00Z\",\"2026-03-01T00:00:00Z\"],[4.0,\"2026-03-01T00:00:00Z\",\"2026-04-01T00:00:00Z\"]]");
    }

    @Test
    void aLongHistoryComesInPagesWith206AndContentRange() {
      String id = meter(1_100);

      Api.Response first = api.get(T + "/" + id);

      assertThat(first.status()).isEqualTo(206);
      assertThat(first.json().path("power")).hasSize(1_000);
      String last = DAY.plus(Duration.ofMinutes(15L * 999)).toString();
      assertThat(first.header("Content-Range")).contains("date-time " + DAY + "-" + last + "/*");
      Api.Response rest = api.get(T + "/" + id + "?timerel=after&timeAt=" + last);
      assertThat(rest.status()).isEqualTo(200);
      assertThat(values(rest.json().path("power"))).hasSize(100).startsWith(1000.0);

      Api.Response newest = api.get(T + "/" + id + "?lastN=1050");
      assertThat(newest.status()).isEqualTo(206);
      assertThat(values(newest.json().path("power"))).hasSize(1_000).endsWith(1099.0);
      assertThat(newest.header("Content-Range").orElseThrow()).endsWith("/1050");
    }

    @Test
    void anUnknownEntityIsNotFound() {
      Api.Response r = api.get(T + "/" + newId("Meter"));
      assertThat(r.status()).isEqualTo(404);
      assertThat(r.errorType()).isEqualTo("ResourceNotFound");
    }
  }

  @Nested
  class Queries {
    @Test
    void queriesSelectByTypeIdPatternAndQOnTheLatestValues() {
      String type = "Q" + Long.toHexString(System.nanoTime());
      String low = "urn:ngsi-ld:" + type + ":a";
      String high = "urn:ngsi-ld:" + type + ":b";
      createTemporal(meterWithReadings(low, 3).replace("\"Meter\"", "\"" + type + "\""));
      createTemporal(meterWithReadings(high, 30).replace("\"Meter\"", "\"" + type + "\""));

      Api.Response all = api.get(T + "?type=" + type + "&count=true&lastN=1");
      assertThat(ok(all)).extracting(e -> e.path("id").asText()).containsExactly(low, high);
      assertThat(all.header("NGSILD-Results-Count")).contains("2");
      assertThat(ok(api.get(T + "?type=" + type + "&q=" + Api.q("power>10")))).extracting(e -> e.path("id").asText())
          .containsExactly(high);
      assertThat(ok(api.get(T + "?idPattern=" + Api.q(".*" + type + ":a$")))).extracting(e -> e.path("id").asText())
          .containsExactly(low);
      assertThat(ok(api.get(T + "?type=" + type + "&limit=1&offset=1"))).extracting(e -> e.path("id").asText())
          .containsExactly(high);
      assertThat(ok(api.get(T + "?id=" + low + "&timerel=after&timeAt=2026-03-01T00:00:00Z")).get(0).path("power"))
          .hasSize(2);
    }

    @Test
    void theBatchQueryTakesItsTemporalPartInTemporalQ() {
      String type = "B" + Long.toHexString(System.nanoTime());
      String id = "urn:ngsi-ld:" + type + ":1";
      createTemporal(meterWithReadings(id, 8).replace("\"Meter\"", "\"" + type + "\""));
      String body = """
          {"type":"Query","entities":[{"type":"%s"}],"attrs":["power"],
           "temporalQ":{"timerel":"between","timeAt":"2026-03-01T00:30:00Z","endTimeAt":"2026-03-01T01:00:00Z"}}
          """.formatted(type);

      JsonNode answer = ok(api.post(V1 + "/temporal/entityOperations/query", body));

      assertThat(answer).hasSize(1);
      assertThat(values(answer.get(0).path("power"))).containsExactly(2.0, 3.0);
      JsonNode aggregated = ok(api.post(V1 + "/temporal/entityOperations/query?options=aggregatedValues&aggrMethods=sum",
          body));
      assertThat(aggregated.get(0).path("power").path("sum").get(0).get(0).asDouble()).isEqualTo(5.0);
    }

    @Test
    void theBatchQueryRefusesBadBodies() {
      String url = V1 + "/temporal/entityOperations/query";
      assertThat(api.post(url, "{\"type\":\"Nope\"}").errorType()).isEqualTo("BadRequestData");
      assertThat(api.post(url, "{\"type\":\"Query\",\"temporalQ\":{\"timerel\":\"before\"}}").errorType())
          .isEqualTo("BadRequestData");
      assertThat(api.post(url, "{\"type\":\"Query\",\"temporalQ\":{\"when\":\"now\"}}").errorType())
          .isEqualTo("BadRequestData");
      Api.Response geo = api.post(url, "{\"type\":\"Query\",\"geoQ\":{\"georel\":\"near;maxDistance==1\"}}");
      assertThat(geo.status()).isEqualTo(400);
      assertThat(geo.json().path("detail").asText()).contains("not yet");
    }
  }

  @Nested
  class BadInput {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        timerel=before                                                   | needs timeAt
        timeAt=2026-03-01T00:00:00Z                                      | need timerel
        timerel=between&timeAt=2026-03-01T00:00:00Z                      | needs endTimeAt
        timerel=between&timeAt=2026-03-02T00:00:00Z&endTimeAt=2026-03-01T00:00:00Z | must be after
        timerel=after&timeAt=2026-03-01T00:00:00Z&endTimeAt=2026-03-02T00:00:00Z   | only allowed with timerel=between
        timerel=during&timeAt=2026-03-01T00:00:00Z                       | unknown timerel
        timerel=before&timeAt=yesterday                                  | not an ISO 8601 date-time
        timerel=before&timeAt=2026-03-01T00:00:00                        | not an ISO 8601 date-time
        timeproperty=seenAt                                              | unknown timeproperty
        lastN=0                                                          | lastN must be between
        lastN=many                                                       | lastN must be a positive integer
        options=aggregatedValues                                         | needs aggrMethods
        aggrMethods=sum                                                  | need options=aggregatedValues
        options=aggregatedValues&aggrMethods=sum,median                  | unknown aggregation method 'median'
        options=aggregatedValues&aggrMethods=                            | unknown aggregation method
        options=aggregatedValues&aggrMethods=sum&aggrPeriodDuration=P1X  | not an ISO 8601 duration
        options=aggregatedValues&aggrMethods=sum&aggrPeriodDuration=PT   | not an ISO 8601 duration
        options=aggregatedValues&aggrMethods=sum&aggrPeriodDuration=P    | not an ISO 8601 duration
        options=aggregatedValues&aggrMethods=sum&aggrPeriodDuration=-PT1H | not an ISO 8601 duration
        options=aggregatedValues&aggrMethods=sum&aggrPeriodDuration=PT0S | at least one microsecond
        options=aggregatedValues&aggrMethods=sum&lastN=3                 | lastN cannot be combined
        options=temporalValues,aggregatedValues&aggrMethods=sum          | not both
        options=keyValues                                                | unknown options value
        attrs=bad<name                                                   | bad<name
        colour=red                                                       | unknown query parameter
        """)
    void aBadParameterIsBadRequestDataThatSaysWhy(String query, String detail) {
      String id = meter(1);
      Api.Response r = api.get(T + "/" + id + "?" + query.replace("<", "%3C"));
      assertThat(r.status()).as(r.toString()).isEqualTo(400);
      assertThat(r.errorType()).isEqualTo("BadRequestData");
      assertThat(r.json().path("detail").asText()).contains(detail);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"georel=near%3BmaxDistance%3D%3D10", "geometry=Point", "coordinates=%5B1%2C2%5D", "geoproperty=location"})
    void geoParametersAreKnownButNotYetSupported(String query) {
      Api.Response r = api.get(T + "?type=Meter&" + query);
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.errorType()).isEqualTo("BadRequestData");
      assertThat(r.json().path("detail").asText()).contains("not yet");
    }

    @Test
    void anInvalidEntityIdOrInstanceIdIsBadRequestData() {
      assertThat(api.get(T + "/not%20a%20uri").errorType()).isEqualTo("BadRequestData");
      String id = meter(1);
      assertThat(api.delete(T + "/" + id + "/attrs/power/not%20a%20uri").errorType()).isEqualTo("BadRequestData");
    }

    @Test
    void limitAboveTheMaximumIsTooManyResults() {
      Api.Response r = api.get(T + "?limit=5000");
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.errorType()).isEqualTo("TooManyResults");
    }
  }
}

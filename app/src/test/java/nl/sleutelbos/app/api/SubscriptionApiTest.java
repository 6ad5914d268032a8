package nl.sleutelbos.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The subscription endpoints over real HTTP (/subscriptions, /subscriptions/{id}), and the
 * notifications they send to a real HTTP receiver: content per format, filters, throttling,
 * expiry, pausing, a receiver that is down for a while, and a restart in between.
 *
 * <p>Each test works in a tenant of its own, so that no test sees another's notifications.
 */
class SubscriptionApiTest extends SubscriptionTestBase {
  private Receiver receiver;

  @BeforeAll
  void startReceiver() {
    receiver = new Receiver();
  }

  @AfterAll
  void stopReceiver() {
    receiver.close();
  }

  /** A client in a fresh tenant, and the receiver path its notifications go to. */
  private record Tenant(Api api, String path) {}

  private Tenant tenant() {
    String name = "t" + UUID.randomUUID().toString().replace("-", "");
    return new Tenant(api.with("NGSILD-Tenant", name), "/" + name);
  }

  private String subscription(String endpoint, String extra) {
    return """
        {"type":"Subscription","entities":[{"type":"Meter"}],
         "notification":{"endpoint":{"uri":"%s"}%s}}
        """.formatted(endpoint, extra.isEmpty() ? "" : "," + extra);
  }

  private String subscribe(Tenant t, String body) {
    Api.Response r = t.api().post(V1 + "/subscriptions", body);
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.header("Location").orElseThrow();
  }

  private static String meter(String id, double power) {
    return """
        {"id":"%s","type":"Meter","power":{"type":"Property","value":%s},
         "name":{"type":"Property","value":"m"}}""".formatted(id, power);
  }

  private static String meterAt(String id, double longitude, double latitude) {
    return """
        {"id":"%s","type":"Meter","power":{"type":"Property","value":1},
         "location":{"type":"GeoProperty","value":{"type":"Point","coordinates":[%s,%s]}}}"""
        .formatted(id, longitude, latitude);
  }

  private static void created(Api.Response r) {
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
  }

  private static void done(Api.Response r) {
    assertThat(r.status()).as(r.toString()).isEqualTo(204);
  }

  private List<Receiver.Received> from(Tenant t) {
    return receiver.received().stream().filter(r -> r.path().equals(t.path())).toList();
  }

  private List<JsonNode> awaitData(Tenant t, int n) {
    receiver.await(all -> all.stream().filter(r -> r.path().equals(t.path()))
        .mapToInt(r -> r.body().path("data").size()).sum() >= n);
    return from(t).stream().flatMap(r -> iterable(r.body().path("data")).stream()).toList();
  }

  private static List<JsonNode> iterable(JsonNode array) {
    return IntStream.range(0, array.size()).mapToObj(array::get).toList();
  }

  /** The subscription's notification status once it meets the condition, or as it is after 10 s. */
  private JsonNode awaitStatus(Tenant t, String location, java.util.function.Predicate<JsonNode> condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    JsonNode notification = status(t, location).path("notification");
    while (!condition.test(notification) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      notification = status(t, location).path("notification");
    }
    return notification;
  }

  private JsonNode status(Tenant t, String location) {
    Api.Response r = t.api().get(location);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json();
  }

  @Nested
  class Managing {
    @Test
    void aCreatedSubscriptionComesBackWithItsMembersAndStatus() {
      Tenant t = tenant();
      String id = "urn:ngsi-ld:Subscription:" + UUID.randomUUID();
      String location = subscribe(t, """
          {"id":"%s","type":"Subscription","subscriptionName":"meters","description":"all meters",
           "entities":[{"type":"Meter","idPattern":"urn:ngsi-ld:Meter:.*"}],
           "watchedAttributes":["power"],"q":"power>1","throttling":5,
           "expiresAt":"2099-01-01T00:00:00Z",
           "notification":{"attributes":["power"],"format":"keyValues",
             "endpoint":{"uri":"%s","accept":"application/ld+json",
               "receiverInfo":[{"key":"X-Auth","value":"abc"}]}}}
          """.formatted(id, receiver.url(t.path())));

      assertThat(location).isEqualTo(V1 + "/subscriptions/" + Api.q(id));
      JsonNode s = status(t, location);
      assertThat(s.path("id").asText()).isEqualTo(id);
      assertThat(s.path("type").asText()).isEqualTo("Subscription");
      assertThat(s.path("subscriptionName").asText()).isEqualTo("meters");
      assertThat(s.path("description").asText()).isEqualTo("all meters");
      assertThat(s.path("entities").get(0).path("type").asText()).isEqualTo("Meter");
      assertThat(s.path("entities").get(0).path("idPattern").asText()).isEqualTo("urn:ngsi-ld:Meter:.*");
      assertThat(s.path("watchedAttributes").get(0).asText()).isEqualTo("power");
      assertThat(s.path("q").asText()).isEqualTo("power>1");
      assertThat(s.path("throttling").asDouble()).isEqualTo(5.0);
      assertThat(s.path("expiresAt").asText()).isEqualTo("2099-01-01T00:00:00Z");
      assertThat(s.path("isActive").asBoolean()).isTrue();
      assertThat(s.path("status").asText()).isEqualTo("active");
      JsonNode n = s.path("notification");
      assertThat(n.path("attributes").get(0).asText()).isEqualTo("power");
      assertThat(n.path("format").asText()).isEqualTo("keyValues");
      assertThat(n.path("endpoint").path("accept").asText()).isEqualTo("application/ld+json");
      assertThat(n.path("endpoint").path("receiverInfo").get(0).path("value").asText()).isEqualTo("abc");
      assertThat(n.path("timesSent").asLong()).isZero();
      assertThat(n.path("status").asText()).isEqualTo("ok");
    }

    @Test
    void aSubscriptionWithoutIdGetsOne() {
      Tenant t = tenant();
      String location = subscribe(t, subscription(receiver.url(t.path()), ""));
      JsonNode s = status(t, location);
      assertThat(s.path("id").asText()).startsWith("urn:ngsi-ld:Subscription:");
    }

    @Test
    void aTakenIdIsRefusedWithAlreadyExists() {
      Tenant t = tenant();
      String body = """
          {"id":"urn:ngsi-ld:Subscription:twice","type":"Subscription","entities":[{"type":"Meter"}],
           "notification":{"endpoint":{"uri":"%s"}}}""".formatted(receiver.url(t.path()));
      subscribe(t, body);
      Api.Response r = t.api().post(V1 + "/subscriptions", body);
      assertThat(r.status()).isEqualTo(409);
      assertThat(r.errorType()).isEqualTo("AlreadyExists");
    }

    @Test
    void theListShowsOnlyTheTenantsSubscriptionsAPageAtATime() {
      Tenant t = tenant();
      for (int i = 0; i < 3; i++) {
        subscribe(t, """
            {"id":"urn:ngsi-ld:Subscription:list%d","type":"Subscription","entities":[{"type":"Meter"}],
             "notification":{"endpoint":{"uri":"%s"}}}""".formatted(i, receiver.url(t.path())));
      }
      subscribe(tenant(), subscription(receiver.url("/elsewhere"), ""));

      Api.Response all = t.api().get(V1 + "/subscriptions?count=true");
      assertThat(all.status()).isEqualTo(200);
      assertThat(all.header("NGSILD-Results-Count")).contains("3");
      assertThat(iterable(all.json())).extracting(s -> s.path("id").asText())
          .containsExactly("urn:ngsi-ld:Subscription:list0", "urn:ngsi-ld:Subscription:list1",
              "urn:ngsi-ld:Subscription:list2");
      Api.Response page = t.api().get(V1 + "/subscriptions?limit=1&offset=1");
      assertThat(iterable(page.json())).extracting(s -> s.path("id").asText())
          .containsExactly("urn:ngsi-ld:Subscription:list1");
      Api.Response bad = t.api().get(V1 + "/subscriptions?limit=0");
      assertThat(bad.status()).isEqualTo(400);
      assertThat(bad.errorType()).isEqualTo("BadRequestData");
      Api.Response unknown = t.api().get(V1 + "/subscriptions?type=Meter");
      assertThat(unknown.status()).isEqualTo(400);
    }

    @Test
    void anUpdateReplacesTheMembersItNamesAndKeepsTheRest() {
      Tenant t = tenant();
      String location = subscribe(t, subscription(receiver.url(t.path()), "\"format\":\"keyValues\""));

      done(t.api().patch(location, """
          {"subscriptionName":"renamed","notification":{"attributes":["power"]},"isActive":false}"""));

      JsonNode s = status(t, location);
      assertThat(s.path("subscriptionName").asText()).isEqualTo("renamed");
      assertThat(s.path("isActive").asBoolean()).isFalse();
      assertThat(s.path("status").asText()).isEqualTo("paused");
      assertThat(s.path("notification").path("format").asText()).isEqualTo("keyValues");
      assertThat(s.path("notification").path("attributes").get(0).asText()).isEqualTo("power");
      assertThat(s.path("entities").get(0).path("type").asText()).isEqualTo("Meter");
    }

    @Test
    void anUpdateThatBreaksARuleChangesNothing() {
      Tenant t = tenant();
      String location = subscribe(t, subscription(receiver.url(t.path()), ""));

      Api.Response r = t.api().patch(location, "{\"watchedAttributes\":[\"power\"],\"timeInterval\":5}");
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.errorType()).isEqualTo("BadRequestData");
      Api.Response id = t.api().patch(location, "{\"id\":\"urn:ngsi-ld:Subscription:other\"}");
      assertThat(id.status()).isEqualTo(400);
      assertThat(id.errorType()).isEqualTo("BadRequestData");
      Api.Response empty = t.api().patch(location, "{}");
      assertThat(empty.status()).isEqualTo(400);
      assertThat(status(t, location).has("watchedAttributes")).isFalse();
    }

    @Test
    void aDeletedSubscriptionIsGone() {
      Tenant t = tenant();
      String location = subscribe(t, subscription(receiver.url(t.path()), ""));

      done(t.api().delete(location));

      Api.Response r = t.api().get(location);
      assertThat(r.status()).isEqualTo(404);
      assertThat(r.errorType()).isEqualTo("ResourceNotFound");
      assertThat(t.api().delete(location).status()).isEqualTo(404);
    }

    @Test
    void unknownOrMalformedIdsAreRefused() {
      Tenant t = tenant();
      String unknown = V1 + "/subscriptions/urn:ngsi-ld:Subscription:none";
      assertThat(t.api().get(unknown).errorType()).isEqualTo("ResourceNotFound");
      assertThat(t.api().patch(unknown, "{\"isActive\":false}").errorType()).isEqualTo("ResourceNotFound");
      assertThat(t.api().delete(unknown).errorType()).isEqualTo("ResourceNotFound");
      Api.Response malformed = t.api().get(V1 + "/subscriptions/not%20a%20uri");
      assertThat(malformed.status()).isEqualTo(400);
      assertThat(malformed.errorType()).isEqualTo("BadRequestData");
    }

    @Test
    void aSubscriptionInAnotherTenantIsNotFound() {
      Tenant t = tenant();
      String location = subscribe(t, subscription(receiver.url(t.path()), ""));
      assertThat(tenant().api().get(location).status()).isEqualTo(404);
    }

    @Test
    void aBodyThatIsNotJsonOrInTheWrongMediaTypeIsRefused() {
      Tenant t = tenant();
      Api.Response text = t.api().postAs("text/plain", V1 + "/subscriptions", "hello");
      assertThat(text.status()).isEqualTo(415);
      Api.Response broken = t.api().post(V1 + "/subscriptions", "{\"type\":");
      assertThat(broken.status()).isEqualTo(400);
      assertThat(broken.errorType()).isIn("BadRequestData", "InvalidRequest");
      Api.Response array = t.api().post(V1 + "/subscriptions", "[]");
      assertThat(array.status()).isEqualTo(400);
    }
  }

  /** Invalid subscriptions, each refused with BadRequestData and a detail that names the problem. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      wrong type                       | {"type":"Sub","entities":[{"type":"M"}],"notification":{"endpoint":{"uri":"http://h/x"}}} | Subscription
      no notification                  | {"type":"Subscription","entities":[{"type":"M"}]} | notification
      no endpoint uri                  | {"type":"Subscription","entities":[{"type":"M"}],"notification":{"endpoint":{}}} | uri
      unsupported scheme               | {"type":"Subscription","entities":[{"type":"M"}],"notification":{"endpoint":{"uri":"ftp://h/x"}}} | ftp://h/x
      unknown format                   | {"type":"Subscription","entities":[{"type":"M"}],"notification":{"format":"full","endpoint":{"uri":"http://h/x"}}} | full
      unknown accept                   | {"type":"Subscription","entities":[{"type":"M"}],"notification":{"endpoint":{"uri":"http://h/x","accept":"text/plain"}}} | text/plain
      selector without type            | {"type":"Subscription","entities":[{"id":"urn:a:b"}],"notification":{"endpoint":{"uri":"http://h/x"}}} | type
      selector id not a URI            | {"type":"Subscription","entities":[{"type":"M","id":"no uri"}],"notification":{"endpoint":{"uri":"http://h/x"}}} | no uri
      bad idPattern                    | {"type":"Subscription","entities":[{"type":"M","idPattern":"(("}],"notification":{"endpoint":{"uri":"http://h/x"}}} | ((
      neither entities nor watched     | {"type":"Subscription","notification":{"endpoint":{"uri":"http://h/x"}}} | watchedAttributes
      empty watchedAttributes          | {"type":"Subscription","watchedAttributes":[],"notification":{"endpoint":{"uri":"http://h/x"}}} | watchedAttributes
      timeInterval with watched        | {"type":"Subscription","entities":[{"type":"M"}],"watchedAttributes":["p"],"timeInterval":5,"notification":{"endpoint":{"uri":"http://h/x"}}} | timeInterval
      timeInterval with throttling     | {"type":"Subscription","entities":[{"type":"M"}],"timeInterval":5,"throttling":1,"notification":{"endpoint":{"uri":"http://h/x"}}} | throttling
      negative throttling              | {"type":"Subscription","entities":[{"type":"M"}],"throttling":-1,"notification":{"endpoint":{"uri":"http://h/x"}}} | throttling
      throttling as text               | {"type":"Subscription","entities":[{"type":"M"}],"throttling":"5","notification":{"endpoint":{"uri":"http://h/x"}}} | throttling
      expiresAt in the past            | {"type":"Subscription","entities":[{"type":"M"}],"expiresAt":"2001-01-01T00:00:00Z","notification":{"endpoint":{"uri":"http://h/x"}}} | expiresAt
      expiresAt not a date             | {"type":"Subscription","entities":[{"type":"M"}],"expiresAt":"tomorrow","notification":{"endpoint":{"uri":"http://h/x"}}} | tomorrow
      q that does not parse            | {"type":"Subscription","entities":[{"type":"M"}],"q":"power>>","notification":{"endpoint":{"uri":"http://h/x"}}} | power
      geoQ not an object               | {"type":"Subscription","entities":[{"type":"M"}],"geoQ":"near","notification":{"endpoint":{"uri":"http://h/x"}}} | geoQ
      geoQ with an unknown georel      | {"type":"Subscription","entities":[{"type":"M"}],"geoQ":{"geometry":"Point","coordinates":[5,52],"georel":"nearby"},"notification":{"endpoint":{"uri":"http://h/x"}}} | nearby
      geoQ with an unclosed polygon    | {"type":"Subscription","entities":[{"type":"M"}],"geoQ":{"geometry":"Polygon","coordinates":[[[5,52],[6,52],[6,53],[5,53]]],"georel":"within"},"notification":{"endpoint":{"uri":"http://h/x"}}} | closed
      isActive not boolean             | {"type":"Subscription","entities":[{"type":"M"}],"isActive":"yes","notification":{"endpoint":{"uri":"http://h/x"}}} | isActive
      unknown member                   | {"type":"Subscription","entities":[{"type":"M"}],"colour":"red","notification":{"endpoint":{"uri":"http://h/x"}}} | colour
      id not a URI                     | {"id":"sub 1","type":"Subscription","entities":[{"type":"M"}],"notification":{"endpoint":{"uri":"http://h/x"}}} | sub 1
      MQTT without topic               | {"type":"Subscription","entities":[{"type":"M"}],"notification":{"endpoint":{"uri":"mqtt://h:1883"}}} | topic
      MQTT QoS out of range            | {"type":"Subscription","entities":[{"type":"M"}],"notification":{"endpoint":{"uri":"mqtt://h:1883/t","notifierInfo":[{"key":"MQTT-QoS","value":"3"}]}}} | MQTT-QoS
      MQTT version unknown             | {"type":"Subscription","entities":[{"type":"M"}],"notification":{"endpoint":{"uri":"mqtt://h:1883/t","notifierInfo":[{"key":"MQTT-Version","value":"mqtt4"}]}}} | mqtt4
      receiverInfo not key-value pairs | {"type":"Subscription","entities":[{"type":"M"}],"notification":{"endpoint":{"uri":"http://h/x","receiverInfo":{"a":"b"}}}} | receiverInfo
      """)
  void anInvalidSubscriptionIsRefusedWithBadRequestData(String name, String body, String detail) {
    Tenant t = tenant();
    Api.Response r = t.api().post(V1 + "/subscriptions", body);
    assertThat(r.status()).as(r.toString()).isEqualTo(400);
    assertThat(r.errorType()).isEqualTo("BadRequestData");
    assertThat(r.json().path("detail").asText()).contains(detail);
    assertThat(t.api().get(V1 + "/subscriptions").json()).as("nothing was stored").isEmpty();
  }

  @Nested
  class Notifying {
    @Test
    void aNormalizedNotificationCarriesTheEntityTheContextLinkAndTheTenant() {
      Tenant t = tenant();
      String location = subscribe(t, subscription(receiver.url(t.path()), ""));
      String id = newId("Meter");
      created(t.api().post(V1 + "/entities", meter(id, 2.5)));

      awaitData(t, 1);
      Receiver.Received n = from(t).get(0);
      assertThat(n.header("Content-Type")).isEqualTo("application/json");
      assertThat(n.header("Link")).contains("rel=\"http://www.w3.org/ns/json-ld#context\"");
      assertThat(n.header("NGSILD-Tenant")).isEqualTo(t.path().substring(1));
      JsonNode body = n.body();
      assertThat(body.path("type").asText()).isEqualTo("Notification");
      assertThat(body.path("id").asText()).startsWith("urn:ngsi-ld:Notification:");
      assertThat(body.path("subscriptionId").asText()).isEqualTo(status(t, location).path("id").asText());
      assertThat(Instant.parse(body.path("notifiedAt").asText())).isBefore(Instant.now().plusSeconds(1));
      assertThat(body.path("triggerReason").asText()).isEqualTo("entityCreated");
      JsonNode entity = body.path("data").get(0);
      assertThat(entity.path("id").asText()).isEqualTo(id);
      assertThat(entity.path("type").asText()).isEqualTo("Meter");
      assertThat(entity.path("power").path("type").asText()).isEqualTo("Property");
      assertThat(entity.path("power").path("value").asDouble()).isEqualTo(2.5);

      // The status is saved just after the receiver answered, so it may lag the notification a little.
      JsonNode s = awaitStatus(t, location, n2 -> n2.path("timesSent").asLong() == 1);
      assertThat(s.path("timesSent").asLong()).isEqualTo(1);
      assertThat(s.has("lastNotification")).isTrue();
      assertThat(s.has("lastSuccess")).isTrue();
      assertThat(s.has("lastFailure")).isFalse();
    }

    @Test
    void notificationsSpeakTheSubscribersContext() {
      Tenant t = tenant();
      String context = "{\"Meter\":\"https://example.org/ns/Meter\",\"kw\":\"https://example.org/ns/kw\"}";
      Api.Response r = t.api().postAs(Api.LD_JSON, V1 + "/subscriptions", """
          {"@context":%s,"type":"Subscription","entities":[{"type":"Meter"}],"watchedAttributes":["kw"],
           "notification":{"format":"keyValues","endpoint":{"uri":"%s"}}}""".formatted(context, receiver.url(t.path())));
      assertThat(r.status()).as(r.toString()).isEqualTo(201);
      String id = newId("Meter");
      created(t.api().postAs(Api.LD_JSON, V1 + "/entities", """
          {"@context":%s,"id":"%s","type":"Meter","kw":{"type":"Property","value":9}}""".formatted(context, id)));

      JsonNode entity = awaitData(t, 1).get(0);
      assertThat(entity.path("type").asText()).isEqualTo("Meter");
      assertThat(entity.path("kw").asInt()).isEqualTo(9);
      String link = from(t).get(0).header("Link");
      String url = link.substring(link.indexOf('<') + 1, link.indexOf('>'));
      assertThat(url).as("the Link names a context the receiver can fetch").startsWith("http");
      JsonNode shown = t.api().get(r.header("Location").orElseThrow()).json();
      assertThat(shown.path("watchedAttributes").get(0).asText())
          .as("without the context the name is shown expanded").isEqualTo("https://example.org/ns/kw");
    }

    @Test
    void keyValuesGivesPlainValues() {
      Tenant t = tenant();
      subscribe(t, subscription(receiver.url(t.path()), "\"format\":\"keyValues\""));
      created(t.api().post(V1 + "/entities", meter(newId("Meter"), 2.5)));

      JsonNode entity = awaitData(t, 1).get(0);
      assertThat(entity.path("power").asDouble()).isEqualTo(2.5);
      assertThat(entity.path("name").asText()).isEqualTo("m");
    }

    @Test
    void conciseLeavesOutTheAttributeTypes() {
      Tenant t = tenant();
      subscribe(t, subscription(receiver.url(t.path()), "\"format\":\"concise\""));
      created(t.api().post(V1 + "/entities", meter(newId("Meter"), 2.5)));

      JsonNode power = awaitData(t, 1).get(0).path("power");
      assertThat(power.has("type")).isFalse();
      assertThat(power.isNumber() ? power.asDouble() : power.path("value").asDouble()).isEqualTo(2.5);
    }

    @Test
    void anLdJsonReceiverGetsTheContextInTheBodyAndReceiverInfoAsHeaders() {
      Tenant t = tenant();
      subscribe(t, subscription(receiver.url(t.path()), "").replace("}}}",
          ",\"accept\":\"application/ld+json\",\"receiverInfo\":[{\"key\":\"X-Auth\",\"value\":\"abc\"}]}}}"));
      created(t.api().post(V1 + "/entities", meter(newId("Meter"), 1)));

      awaitData(t, 1);
      Receiver.Received n = from(t).get(0);
      assertThat(n.header("Content-Type")).isEqualTo("application/ld+json");
      assertThat(n.header("Link")).isNull();
      assertThat(n.header("X-Auth")).isEqualTo("abc");
      assertThat(n.body().has("@context")).isTrue();
    }

    @Test
    void notificationAttributesLimitWhatIsSent() {
      Tenant t = tenant();
      subscribe(t, subscription(receiver.url(t.path()), "\"attributes\":[\"power\"]"));
      created(t.api().post(V1 + "/entities", meter(newId("Meter"), 3)));

      JsonNode entity = awaitData(t, 1).get(0);
      assertThat(entity.has("power")).isTrue();
      assertThat(entity.has("name")).isFalse();
    }

    @Test
    void onlyChangesToWatchedAttributesNotify() {
      Tenant t = tenant();
      subscribe(t, """
          {"type":"Subscription","entities":[{"type":"Meter"}],"watchedAttributes":["power"],
           "notification":{"format":"keyValues","endpoint":{"uri":"%s"}}}""".formatted(receiver.url(t.path())));
      String id = newId("Meter");
      created(t.api().post(V1 + "/entities", meter(id, 1)));
      done(t.api().patch(V1 + "/entities/" + id + "/attrs", "{\"name\":{\"type\":\"Property\",\"value\":\"n2\"}}"));
      done(t.api().patch(V1 + "/entities/" + id + "/attrs", "{\"power\":{\"type\":\"Property\",\"value\":2}}"));

      List<JsonNode> data = awaitData(t, 2);
      assertThat(data).extracting(e -> e.path("power").asDouble()).containsExactly(1.0, 2.0);
      assertThat(data.get(1).path("name").asText()).as("the second is after the unwatched change").isEqualTo("n2");
    }

    @Test
    void qSelectsTheStatesThatNotify() {
      Tenant t = tenant();
      subscribe(t, subscription(receiver.url(t.path()), "\"format\":\"keyValues\"").replace("\"notification\"",
          "\"q\":\"power>5\",\"notification\""));
      String id = newId("Meter");
      created(t.api().post(V1 + "/entities", meter(id, 1)));
      done(t.api().patch(V1 + "/entities/" + id + "/attrs", "{\"power\":{\"type\":\"Property\",\"value\":7}}"));

      List<JsonNode> data = awaitData(t, 1);
      assertThat(data).extracting(e -> e.path("power").asDouble()).containsExactly(7.0);
    }

    @Test
    void geoQSelectsTheEntitiesWithinItsDistance() {
      Tenant t = tenant();
      // Utrecht Dom tower; 0.0045 degrees of latitude is about 500 m, 0.018 about 2 km.
      subscribe(t, subscription(receiver.url(t.path()), "\"format\":\"keyValues\"").replace("\"notification\"",
          "\"geoQ\":{\"geometry\":\"Point\",\"coordinates\":[5.1214,52.0907],"
              + "\"georel\":\"near;maxDistance==1000\"},\"notification\""));
      String near = newId("Meter");
      String far = newId("Meter");
      created(t.api().post(V1 + "/entities", meterAt(near, 5.1214, 52.0952)));
      created(t.api().post(V1 + "/entities", meterAt(far, 5.1214, 52.1087)));
      done(t.api().patch(V1 + "/entities/" + far + "/attrs",
          "{\"location\":{\"type\":\"GeoProperty\",\"value\":{\"type\":\"Point\",\"coordinates\":[5.1214,52.0862]}}}"));

      // Delivered in feed order: had the far meter's creation matched, it would come second.
      List<JsonNode> data = awaitData(t, 2);
      assertThat(data).extracting(e -> e.path("id").asText()).containsExactly(near, far);
      assertThat(data.get(1).path("location").path("coordinates").get(1).asDouble()).isEqualTo(52.0862);
    }

    @Test
    void entitiesSelectByIdAndIdPattern() {
      Tenant t = tenant();
      String wanted = "urn:ngsi-ld:Meter:wanted-" + UUID.randomUUID();
      subscribe(t, """
          {"type":"Subscription","entities":[{"type":"Meter","id":"%s"},{"type":"Meter","idPattern":".*:pattern-.*"}],
           "notification":{"format":"keyValues","endpoint":{"uri":"%s"}}}""".formatted(wanted, receiver.url(t.path())));
      created(t.api().post(V1 + "/entities", meter(newId("Meter"), 1)));
      created(t.api().post(V1 + "/entities", meter(wanted, 2)));
      created(t.api().post(V1 + "/entities", meter("urn:ngsi-ld:Meter:pattern-1", 3)));
      created(t.api().post(V1 + "/entities", "{\"id\":\"urn:ngsi-ld:Sensor:pattern-2\",\"type\":\"Sensor\"}"));

      List<JsonNode> data = awaitData(t, 2);
      assertThat(data).extracting(e -> e.path("power").asDouble()).containsExactly(2.0, 3.0);
    }

    @Test
    void aDeletionIsNotifiedWithTheEntityIdAndType() {
      Tenant t = tenant();
      subscribe(t, subscription(receiver.url(t.path()), ""));
      String id = newId("Meter");
      created(t.api().post(V1 + "/entities", meter(id, 1)));
      done(t.api().delete(V1 + "/entities/" + id));

      awaitData(t, 2);
      JsonNode last = from(t).get(from(t).size() - 1).body();
      assertThat(last.path("triggerReason").asText()).isEqualTo("entityDeleted");
      assertThat(last.path("data").get(0).path("id").asText()).isEqualTo(id);
      assertThat(last.path("data").get(0).path("type").asText()).isEqualTo("Meter");
    }

    @Test
    void throttlingDelaysNotificationsButLosesNoChange() {
      Tenant t = tenant();
      subscribe(t, subscription(receiver.url(t.path()), "\"format\":\"keyValues\"").replace("\"notification\"",
          "\"throttling\":1,\"notification\""));
      String id = newId("Meter");
      created(t.api().post(V1 + "/entities", meter(id, 0)));
      for (int i = 1; i < 6; i++) {
        done(t.api().patch(V1 + "/entities/" + id + "/attrs", "{\"power\":{\"type\":\"Property\",\"value\":" + i + "}}"));
      }

      List<JsonNode> data = awaitData(t, 6);
      assertThat(data).extracting(e -> e.path("power").asInt()).containsExactly(0, 1, 2, 3, 4, 5);
      List<Instant> sent = from(t).stream().map(r -> Instant.parse(r.body().path("notifiedAt").asText())).toList();
      for (int i = 1; i < sent.size(); i++) {
        assertThat(sent.get(i)).as("notification %d comes a throttling period after the one before", i)
            .isAfterOrEqualTo(sent.get(i - 1).plusSeconds(1));
      }
    }

    @Test
    void anExpiredSubscriptionStopsNotifying() throws InterruptedException {
      Tenant t = tenant();
      // Long enough for the first notification to go out on a loaded machine before expiry.
      Instant expiry = Instant.now().plusMillis(3000);
      String location = subscribe(t, subscription(receiver.url(t.path()), "\"format\":\"keyValues\"")
          .replace("\"notification\"", "\"expiresAt\":\"" + expiry + "\",\"notification\""));
      created(t.api().post(V1 + "/entities", meter(newId("Meter"), 1)));
      awaitData(t, 1);
      while (!status(t, location).path("status").asText().equals("expired")) {
        Thread.sleep(100);
      }
      created(t.api().post(V1 + "/entities", meter(newId("Meter"), 2)));

      // Extending the expiry notifies again from then on, not what happened while expired:
      done(t.api().patch(location, "{\"expiresAt\":\"2099-01-01T00:00:00Z\"}"));
      assertThat(status(t, location).path("status").asText()).isEqualTo("active");
      Thread.sleep(500); // let the dispatcher see the change before the next write
      created(t.api().post(V1 + "/entities", meter(newId("Meter"), 3)));

      List<JsonNode> data = awaitData(t, 2);
      assertThat(data).extracting(e -> e.path("power").asInt()).containsExactly(1, 3);
    }

    @Test
    void aPausedSubscriptionSendsNothingUntilResumed() throws InterruptedException {
      Tenant t = tenant();
      String location = subscribe(t, subscription(receiver.url(t.path()), "\"format\":\"keyValues\""));
      done(t.api().patch(location, "{\"isActive\":false}"));
      Thread.sleep(500); // let the dispatcher see the pause before the write
      created(t.api().post(V1 + "/entities", meter(newId("Meter"), 1)));
      Thread.sleep(500);
      done(t.api().patch(location, "{\"isActive\":true}"));
      Thread.sleep(500);
      created(t.api().post(V1 + "/entities", meter(newId("Meter"), 2)));

      List<JsonNode> data = awaitData(t, 1);
      assertThat(data).extracting(e -> e.path("power").asInt()).containsExactly(2);
    }

    @Test
    void aTimeIntervalSubscriptionSendsTheMatchingEntitiesPeriodically() {
      Tenant t = tenant();
      String id = newId("Meter");
      created(t.api().post(V1 + "/entities", meter(id, 4)));
      subscribe(t, subscription(receiver.url(t.path()), "\"format\":\"keyValues\"").replace("\"notification\"",
          "\"timeInterval\":0.5,\"notification\""));

      receiver.await(all -> all.stream().filter(r -> r.path().equals(t.path())).count() >= 2);
      List<Receiver.Received> rounds = from(t);
      for (Receiver.Received r : rounds) {
        assertThat(r.body().path("data").get(0).path("id").asText()).isEqualTo(id);
        assertThat(r.body().has("triggerReason")).isFalse();
      }
    }
  }

  @Nested
  class Delivering {
    private void awaitDelivered(Tenant t, String location) {
      while (!status(t, location).path("notification").has("lastSuccess")) {
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
      }
    }

    private void update(Tenant t, String id, int power) {
      done(t.api().patch(V1 + "/entities/" + id + "/attrs", "{\"power\":{\"type\":\"Property\",\"value\":" + power + "}}"));
    }

    @Test
    void aReceiverThatWasDownGetsEveryNotificationInOrder() throws InterruptedException {
      Tenant t = tenant();
      Receiver flaky = new Receiver();
      try {
        String location = subscribe(t, subscription(flaky.url(t.path()), "\"format\":\"keyValues\""));
        String a = newId("Meter");
        String b = newId("Meter");
        created(t.api().post(V1 + "/entities", meter(a, 0)));
        flaky.awaitEntities(1);
        awaitDelivered(t, location); // the receiver has answered, not only read the body
        flaky.down();
        created(t.api().post(V1 + "/entities", meter(b, 100)));
        for (int i = 1; i <= 20; i++) {
          update(t, a, i);
          update(t, b, 100 + i);
        }
        while (status(t, location).path("notification").path("timesFailed").asLong() < 2) {
          Thread.sleep(50);
        }
        assertThat(status(t, location).path("notification").path("status").asText()).isEqualTo("failed");
        flaky.up();

        List<JsonNode> all = flaky.awaitEntities(42);
        assertThat(all.stream().filter(e -> e.path("id").asText().equals(a)).map(e -> e.path("power").asInt()))
            .containsExactlyElementsOf(IntStream.rangeClosed(0, 20).boxed().toList());
        assertThat(all.stream().filter(e -> e.path("id").asText().equals(b)).map(e -> e.path("power").asInt()))
            .containsExactlyElementsOf(IntStream.rangeClosed(100, 120).boxed().toList());
        JsonNode n = status(t, location).path("notification");
        assertThat(n.has("lastFailure")).isTrue();
        assertThat(n.path("status").asText()).isEqualTo("ok");
      } finally {
        flaky.close();
      }
    }

    @Test
    void aRestartInBetweenLosesNoNotification() {
      Tenant t = tenant();
      Receiver flaky = new Receiver();
      try {
        String location = subscribe(t, subscription(flaky.url(t.path()), "\"format\":\"keyValues\""));
        String a = newId("Meter");
        created(t.api().post(V1 + "/entities", meter(a, 0)));
        flaky.awaitEntities(1);
        awaitDelivered(t, location); // the receiver has answered, not only read the body
        flaky.down();
        for (int i = 1; i <= 10; i++) {
          update(t, a, i);
        }

        restart();
        Tenant again = new Tenant(api.with("NGSILD-Tenant", t.path().substring(1)), t.path());
        for (int i = 11; i <= 15; i++) {
          update(again, a, i);
        }
        flaky.up();

        List<JsonNode> all = flaky.awaitEntities(16);
        assertThat(all).extracting(e -> e.path("power").asInt())
            .containsExactlyElementsOf(IntStream.rangeClosed(0, 15).boxed().toList());
        assertThat(awaitStatus(again, location, n -> n.path("timesSent").asLong() >= 2).path("timesSent").asLong())
            .isGreaterThanOrEqualTo(2);
      } finally {
        flaky.close();
      }
    }
  }
}

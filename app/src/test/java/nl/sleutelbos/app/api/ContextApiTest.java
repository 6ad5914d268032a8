package nl.sleutelbos.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** User @contexts from Link headers and ld+json bodies, remote contexts, and the /jsonldContexts API. */
class ContextApiTest extends ApiTestBase {
  private static final String LINK_REL = "; rel=\"http://www.w3.org/ns/json-ld#context\"; type=\"application/ld+json\"";
  private static final String ENERGY_CONTEXT = """
      {"@context":{"em":"https://example.org/energy#","power":"em:activePower","Meter":"em:Meter",
       "owner":{"@id":"em:owner","@type":"@id"}}}""";

  private HttpServer remote;
  private final AtomicInteger remoteFetches = new AtomicInteger();
  private String remoteUrl;

  @BeforeAll
  void startRemoteContextServer() throws IOException {
    remote = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    remote.createContext("/energy.jsonld", exchange -> {
      remoteFetches.incrementAndGet();
      byte[] body = ENERGY_CONTEXT.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/ld+json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    remote.start();
    remoteUrl = "http://127.0.0.1:" + remote.getAddress().getPort() + "/energy.jsonld";
  }

  @AfterAll
  void stopRemote() {
    remote.stop(0);
  }

  private String link(String url) {
    return "<" + url + ">" + LINK_REL;
  }

  @Test
  void aLinkedRemoteContextIsFetchedOnceAndUsedBothWays() {
    String id = newId("Meter");
    int before = remoteFetches.get();
    Api.Response created = api.post(V1 + "/entities",
        "{\"id\":\"" + id + "\",\"type\":\"Meter\",\"power\":3,\"owner\":{\"object\":\"urn:ngsi-ld:Person:1\"}}",
        "Link", link(remoteUrl));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);

    JsonNode withContext = api.get(V1 + "/entities/" + id, "Link", link(remoteUrl)).json();
    assertThat(withContext.path("type").asText()).isEqualTo("Meter");
    assertThat(withContext.path("power").path("value").asInt()).isEqualTo(3);

    JsonNode core = api.get(V1 + "/entities/" + id).json();
    assertThat(core.path("type").asText()).isEqualTo("https://example.org/energy#Meter");
    assertThat(core.has("https://example.org/energy#activePower")).isTrue();

    Api.Response byType = api.get(V1 + "/entities?type=Meter&q=power==3", "Link", link(remoteUrl));
    assertThat(byType.json().toString()).contains(id);
    assertThat(remoteFetches.get() - before).isLessThanOrEqualTo(1);

    Api.Response listed = api.get(V1 + "/jsonldContexts?details=true&kind=Cached");
    assertThat(listed.json().toString()).contains(remoteUrl);
  }

  @Test
  void anUnreachableContextIsLdContextNotAvailable() {
    Api.Response r = api.get(V1 + "/entities?type=Meter", "Link", link("http://127.0.0.1:1/nothing.jsonld"));
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.errorType()).isEqualTo("LdContextNotAvailable");
  }

  @Test
  void aLinkHeaderWithoutContextRelIs400() {
    Api.Response r = api.get(V1 + "/entities?type=Meter", "Link", "<" + remoteUrl + ">; rel=\"alternate\"");
    assertThat(r.status()).isEqualTo(400);
  }

  @Test
  void hostedContextsCanBeAddedServedUsedAndDeleted() {
    Api.Response added = api.post(V1 + "/jsonldContexts", ENERGY_CONTEXT);
    assertThat(added.status()).as(added.toString()).isEqualTo(201);
    String location = added.header("Location").orElseThrow();
    String url = "http://localhost:" + server.port() + location;

    Api.Response served = api.get(location);
    assertThat(served.status()).isEqualTo(200);
    assertThat(served.json().path("@context").path("power").asText()).isEqualTo("em:activePower");
    assertThat(api.get(V1 + "/jsonldContexts").json().toString()).contains(url);

    String id = newId("Meter");
    assertThat(api.post(V1 + "/entities", "{\"id\":\"" + id + "\",\"type\":\"Meter\",\"power\":5}",
        "Link", link(url)).status()).isEqualTo(201);
    assertThat(api.get(V1 + "/entities/" + id).json().has("https://example.org/energy#activePower")).isTrue();

    assertThat(api.delete(location).status()).isEqualTo(204);
    assertThat(api.get(location).status()).isEqualTo(404);
  }

  @Test
  void anInlineContextInAnLdJsonBodyIsHonouredAndHostedForLinks() {
    String id = newId("Meter");
    String body = "{\"@context\":[" + ENERGY_CONTEXT.substring(ENERGY_CONTEXT.indexOf(':') + 1, ENERGY_CONTEXT.length() - 1)
        + ",\"https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld\"],"
        + "\"id\":\"" + id + "\",\"type\":\"Meter\",\"power\":7}";
    Api.Response created = api.postAs(Api.LD_JSON, V1 + "/entities", body);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    assertThat(api.get(V1 + "/entities/" + id).json().has("https://example.org/energy#activePower")).isTrue();

    Api.Response queried = api.postAs(Api.LD_JSON, V1 + "/entityOperations/query",
        "{\"@context\":" + ENERGY_CONTEXT.substring(ENERGY_CONTEXT.indexOf(':') + 1, ENERGY_CONTEXT.length() - 1)
            + ",\"type\":\"Query\",\"entities\":[{\"id\":\"" + id + "\",\"type\":\"Meter\"}]}");
    assertThat(queried.status()).as(queried.toString()).isEqualTo(200);
    assertThat(queried.json().get(0).path("power").path("value").asInt()).isEqualTo(7);
    String link = queried.header("Link").orElseThrow();
    String hosted = link.substring(link.indexOf('<') + 1, link.indexOf('>'));
    assertThat(api.get(hosted.substring(hosted.indexOf("/ngsi-ld"))).json().path("@context").path("power").asText())
        .isEqualTo("em:activePower");
  }

  @Test
  void theCoreContextIsServedAndCannotBeDeleted() {
    JsonNode core = api.get(V1 + "/jsonldContexts/ngsi-ld-core-context-v1.8").json();
    assertThat(core.path("@context").toString()).contains("GeoProperty");
    Api.Response r = api.delete(V1 + "/jsonldContexts/ngsi-ld-core-context-v1.8");
    assertThat(r.status()).isEqualTo(400);
  }

  @Test
  void invalidContextsAreRefused() {
    assertThat(api.post(V1 + "/jsonldContexts", "{\"@context\":{\"power\":5}}").status()).isEqualTo(400);
    assertThat(api.post(V1 + "/jsonldContexts", "{\"context\":{}}").status()).isEqualTo(400);
    assertThat(api.get(V1 + "/jsonldContexts?kind=Strange").status()).isEqualTo(400);
    assertThat(api.get(V1 + "/jsonldContexts/unknown-id").status()).isEqualTo(404);
    Api.Response nullTerm = api.postAs(Api.LD_JSON, V1 + "/entities",
        "{\"@context\":{\"power\":null},\"id\":\"" + newId("M") + "\",\"type\":\"M\",\"power\":1}");
    assertThat(nullTerm.status()).isEqualTo(400);
    assertThat(nullTerm.json().path("detail").asText()).contains("mapped to null");
  }
}

package nl.sleutelbos.app.api;

import static org.assertj.core.api.Assertions.assertThat;

/** Clients registered through the API, with a token got the way the client would get it. */
final class TestClients {
  private TestClients() {}

  /** A token of a new client with this registration (JSON for {@code POST /sleutelbos/v1/clients}). */
  static String token(Api api, String registration) {
    Api.Response created = api.post("/sleutelbos/v1/clients", registration);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    Api.Response r = api.anonymous().postAs("application/x-www-form-urlencoded", "/sleutelbos/v1/oauth/token",
        "grant_type=client_credentials", "Authorization", new BootstrapToken.Credentials(
            created.json().path("client_id").asText(), created.json().path("client_secret").asText()).basic());
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json().path("access_token").asText();
  }

  /** A token of a new client that is the meter itself (role meter, organisation meter:id). */
  static String meter(Api api, String meter) {
    return token(api, "{\"name\":\"Meter " + meter + "\",\"organisation\":\"meter:" + meter + "\",\"roles\":[\"meter\"]}");
  }

  /** A token of a new head-end client (role head-end, the operator's organisation). */
  static String headEnd(Api api) {
    return token(api, "{\"name\":\"Head-end\",\"organisation\":\"operator\",\"roles\":[\"head-end\"]}");
  }
}

package nl.sleutelbos.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** NGSILD-Tenant: tenants are fully isolated; reading a tenant that was never written is 404. */
class TenantApiTest extends ApiTestBase {

  @Test
  void tenantsDoNotSeeEachOther() {
    Api red = api.with("NGSILD-Tenant", "red");
    Api blue = api.with("NGSILD-Tenant", "blue");
    String id = "urn:ngsi-ld:Meter:shared-id";
    assertThat(red.post(V1 + "/entities", "{\"id\":\"" + id + "\",\"type\":\"Meter\",\"colour\":\"red\"}").status()).isEqualTo(201);
    assertThat(blue.post(V1 + "/entities", "{\"id\":\"" + id + "\",\"type\":\"Gauge\",\"colour\":\"blue\"}").status()).isEqualTo(201);

    assertThat(red.get(V1 + "/entities/" + id + "?options=keyValues").json().path("colour").asText()).isEqualTo("red");
    assertThat(blue.get(V1 + "/entities/" + id + "?options=keyValues").json().path("colour").asText()).isEqualTo("blue");
    assertThat(api.get(V1 + "/entities/" + id).status()).isEqualTo(404);

    assertThat(red.get(V1 + "/entities?type=Gauge").json()).isEmpty();
    assertThat(red.get(V1 + "/types").json().path("typeList").toString()).contains("Meter").doesNotContain("Gauge");

    assertThat(blue.delete(V1 + "/entities/" + id).status()).isEqualTo(204);
    assertThat(red.get(V1 + "/entities/" + id).status()).isEqualTo(200);
  }

  @Test
  void anUnknownTenantIsNonexistentTenant() {
    Api.Response r = api.with("NGSILD-Tenant", "never-written").get(V1 + "/entities?type=Meter");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.errorType()).isEqualTo("NonexistentTenant");
  }

  @Test
  void aBadTenantNameIs400() {
    Api.Response r = api.with("NGSILD-Tenant", "a b;c").get(V1 + "/entities?type=Meter");
    assertThat(r.status()).isEqualTo(400);
  }
}

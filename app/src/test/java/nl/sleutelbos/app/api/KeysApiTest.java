package nl.sleutelbos.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Key custody over real HTTP with the software backend on SQLite; subclasses run the same suite
 * on PostgreSQL and against a SoftHSM2 token. Key metadata is read back through both the control
 * plane and the NGSI-LD API; key material is never in an answer (see {@link KeyLeakTest}).
 */
class KeysApiTest extends ApiTestBase {
  static final String K = "/sleutelbos/v1/keys";

  /** What {@code GET /keys/report} should say about this backend. */
  protected String expectedBackendKind() {
    return "software";
  }

  static String meter() {
    return "E0" + UUID.randomUUID().toString().replace("-", "").substring(0, 14).toUpperCase();
  }

  String transportKey(VendorFile file) {
    String label = "vendor-" + UUID.randomUUID().toString().substring(0, 8);
    Api.Response r = api.put(K + "/transport-keys/" + label, "{\"key\":\"" + file.transportHex() + "\"}");
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return label;
  }

  Api.Response importFile(String transport, String text) {
    return api.postAs("text/csv", K + "/imports?transportKey=" + transport, text);
  }

  Api.Response importFile(String transport, String text, String supplier) {
    return api.postAs("text/csv", K + "/imports?transportKey=" + transport + "&supplier=" + supplier + "&batch=2025-07", text);
  }

  JsonNode keysOf(String meter) {
    Api.Response r = api.get(K + "/devices/" + meter);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json().path("keys");
  }

  JsonNode key(String meter, String role, int version) {
    for (JsonNode k : keysOf(meter)) {
      if (k.path("role").asText().equals(role) && k.path("version").asInt() == version) {
        return k;
      }
    }
    throw new AssertionError("no " + role + " v" + version + " of " + meter + " in " + keysOf(meter));
  }

  @Test
  void aVendorFileIsImportedAsActiveFactoryKeysAndShownAsEntities() {
    VendorFile file = new VendorFile(VendorFile.random(16));
    String a = meter();
    String b = meter();
    file.add(a, "MASTER", "rfc3394").add(a, "AUTHENTICATION", "rfc5649").add(b, "MASTER", "rfc5649").add(b, "authentication", "rfc3394");
    String transport = transportKey(file);

    Api.Response imported = importFile(transport, file.text());

    assertThat(imported.status()).as(imported.toString()).isEqualTo(201);
    assertThat(imported.json().path("imported").asInt()).isEqualTo(4);
    JsonNode master = key(a, "MASTER", 1);
    assertThat(master.path("state").asText()).isEqualTo("ACTIVE");
    assertThat(master.path("provenance").asText()).isEqualTo("FACTORY_IMPORTED");
    assertThat(master.has("wrapped")).isFalse();

    Api.Response entity = api.get(V1 + "/entities/urn:ngsi-ld:CustodyKey:" + b + ":AUTHENTICATION:1?options=keyValues");
    assertThat(entity.status()).as(entity.toString()).isEqualTo(200);
    assertThat(entity.json().path("type").asText()).isEqualTo("CustodyKey");
    assertThat(entity.json().path("state").asText()).isEqualTo("ACTIVE");
    assertThat(entity.json().path("provenance").asText()).isEqualTo("FACTORY_IMPORTED");
    assertThat(entity.json().path("backendCountry").asText()).isEqualTo("NL");
    assertThat(entity.json().path("sovereign").asBoolean(true)).isFalse();
  }

  @Test
  void keyCommandsAreRecordedInTheAuditLogRefusedOnesToo() {
    long before = api.get("/sleutelbos/v1/audit/entries?start=0&end=0").json().path("treeSize").asLong();
    String m = meter();
    assertThat(api.post(K + "/devices/" + m, "{\"roles\":[\"MASTER\"]}").status()).isEqualTo(201);
    assertThat(as("[\"auditor\"]", "auditor:kpmg").post(K + "/devices/" + meter(), "{\"roles\":[\"MASTER\"]}").status()).isEqualTo(403);
    long after = api.get("/sleutelbos/v1/audit/entries?start=0&end=0").json().path("treeSize").asLong();
    List<String> recorded = new ArrayList<>();
    api.get("/sleutelbos/v1/audit/entries?start=" + before + "&end=" + after).json().path("entries")
        .forEach(e -> recorded.add(e.path("action").asText() + " " + e.path("target").asText() + " " + e.path("outcome").asText()));
    assertThat(recorded).contains("POST /keys/devices/{device} " + K + "/devices/" + m + " ATTEMPTED",
        "POST /keys/devices/{device} " + K + "/devices/" + m + " SUCCEEDED");
    assertThat(recorded.stream().filter(r -> r.startsWith("POST /keys/devices/{device} ") && r.endsWith(" DENIED")).count()).isEqualTo(1);
  }

  @Test
  void theKeyEntitiesAreReadOnlyThroughNgsiLd() {
    String m = meter();
    assertThat(api.post(K + "/devices/" + m, "{\"roles\":[\"MASTER\"]}").status()).isEqualTo(201);
    String id = "urn:ngsi-ld:CustodyKey:" + m + ":MASTER:1";
    assertThat(api.get(V1 + "/entities/" + id).status()).isEqualTo(200);
    assertThat(api.patch(V1 + "/entities/" + id + "/attrs", "{\"state\":{\"type\":\"Property\",\"value\":\"ACTIVE\"}}").status()).isEqualTo(403);
    assertThat(api.delete(V1 + "/entities/" + id).status()).isEqualTo(403);
    assertThat(api.post(V1 + "/entities", "{\"id\":\"urn:ngsi-ld:CustodyKey:forged\",\"type\":\"CustodyKey\"}").status()).isEqualTo(403);
    assertThat(as("[\"security-officer\"]", "operator").get(V1 + "/entities/" + id).status()).isEqualTo(200);
  }

  @Test
  void aFileWithOneBadLineIsRejectedWholeWithEveryBadLineAndNothingIsStored() {
    VendorFile file = new VendorFile(VendorFile.random(16));
    String a = meter();
    String b = meter();
    file.add(a, "MASTER", "rfc3394")            // line 3: fine
        .line(b + ",MASTER,rfc3394,XYZ")         // line 4: not hex
        .line(b + ",KING,rfc3394," + "00".repeat(24)) // line 5: no such role
        .add(a, "MASTER", "rfc3394")             // line 6: second MASTER of a
        .line(b + ",MASTER,rfc3394");            // line 7: three fields
    String transport = transportKey(file);

    Api.Response r = importFile(transport, file.text());

    assertThat(r.status()).as(r.toString()).isEqualTo(422);
    List<Integer> lines = new ArrayList<>();
    r.json().path("errors").forEach(e -> lines.add(e.path("line").asInt()));
    assertThat(lines).containsExactly(4, 5, 6, 7);
    assertThat(r.json().path("detail").asText()).contains("nothing was stored");
    assertThat(api.get(K + "/devices/" + a).status()).isEqualTo(404);
  }

  @Test
  void aKeyThatDoesNotUnwrapUnderTheTransportKeyRejectsTheWholeFile() {
    VendorFile file = new VendorFile(VendorFile.random(16));
    String a = meter();
    String b = meter();
    file.add(a, "MASTER", "rfc3394");
    VendorFile other = new VendorFile(VendorFile.random(16)).add(b, "MASTER", "rfc3394");
    file.line(other.text().lines().toList().getLast()); // line 4: wrapped under another transport key
    String transport = transportKey(file);

    Api.Response r = importFile(transport, file.text());

    assertThat(r.status()).as(r.toString()).isEqualTo(422);
    assertThat(r.json().path("errors").get(0).path("line").asInt()).isEqualTo(4);
    assertThat(r.json().path("errors").get(0).path("reason").asText()).contains("does not unwrap");
    assertThat(api.get(K + "/devices/" + a).status()).isEqualTo(404);
    assertThat(importFile("no-such-transport", file.text()).status()).isEqualTo(409);
  }

  @Test
  void aGeneratedKeySetIsNewUntilTheDeviceAcknowledgesIt() {
    String m = meter();
    Api.Response made = api.post(K + "/devices/" + m, "{\"roles\":[\"MASTER\",\"AUTHENTICATION\"]}");
    assertThat(made.status()).as(made.toString()).isEqualTo(201);
    assertThat(key(m, "MASTER", 1).path("state").asText()).isEqualTo("NEW");
    assertThat(key(m, "MASTER", 1).path("provenance").asText()).isEqualTo("OPERATOR_GENERATED");

    Api.Response ack = api.post(K + "/devices/" + m + "/acknowledgements", "{\"role\":\"MASTER\",\"version\":1}");
    assertThat(ack.status()).as(ack.toString()).isEqualTo(200);
    assertThat(key(m, "MASTER", 1).path("state").asText()).isEqualTo("ACTIVE");
    assertThat(api.post(K + "/devices/" + m, "{\"roles\":[\"MASTER\"]}").status()).isEqualTo(409);
    assertThat(api.post(K + "/devices/" + m, "{\"roles\":[\"QUEEN\"]}").status()).isEqualTo(400);
    assertThat(api.post(K + "/devices/" + m + "/acknowledgements", "{\"role\":\"MASTER\",\"version\":9}").status()).isEqualTo(404);
  }

  @Test
  void aCampaignReplacesEveryFactoryKeyAndTheAcknowledgementExpiresTheOldOne() throws Exception {
    VendorFile file = new VendorFile(VendorFile.random(16));
    String a = meter();
    String b = meter();
    file.add(a, "MASTER", "rfc3394").add(a, "AUTHENTICATION", "rfc3394").add(b, "MASTER", "rfc3394").add(b, "AUTHENTICATION", "rfc3394");
    String supplier = "vendor-" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(importFile(transportKey(file), file.text(), supplier).status()).isEqualTo(201);

    Api.Response started = api.post(K + "/campaigns", "{\"roles\":[\"AUTHENTICATION\"],\"selection\":{\"supplier\":\"" + supplier + "\"}}");
    assertThat(started.status()).as(started.toString()).isEqualTo(201);
    String id = started.json().path("id").asText();
    JsonNode progress = awaitCompleted(id);
    assertThat(progress.path("devicesTotal").asInt()).isEqualTo(2);
    assertThat(progress.path("devicesDone").asInt()).isEqualTo(2);
    assertThat(progress.path("keysDelivered").asInt()).isEqualTo(2);
    assertThat(progress.path("selection").path("supplier").asText()).isEqualTo(supplier);
    assertThat(key(a, "AUTHENTICATION", 2).path("state").asText()).isEqualTo("NEW");
    assertThat(key(a, "AUTHENTICATION", 2).path("provenance").asText()).isEqualTo("OPERATOR_GENERATED");

    api.post(K + "/devices/" + a + "/acknowledgements", "{\"role\":\"AUTHENTICATION\",\"version\":2}");
    assertThat(key(a, "AUTHENTICATION", 2).path("state").asText()).isEqualTo("ACTIVE");
    assertThat(key(a, "AUTHENTICATION", 1).path("state").asText()).isEqualTo("EXPIRED");
    Api.Response expired = api.get(V1 + "/entities/urn:ngsi-ld:CustodyKey:" + a + ":AUTHENTICATION:1?options=keyValues");
    assertThat(expired.json().path("state").asText()).isEqualTo("EXPIRED");
    assertThat(expired.json().has("expired")).isTrue();

    Api.Response entity = api.get(V1 + "/entities/urn:ngsi-ld:KeyCampaign:" + id + "?options=keyValues");
    assertThat(entity.status()).as(entity.toString()).isEqualTo(200);
    assertThat(entity.json().path("status").asText()).isEqualTo("COMPLETED");
  }

  @Test
  void aPausedCampaignResumesToTheEnd() throws Exception {
    List<String> meters = new ArrayList<>();
    VendorFile file = new VendorFile(VendorFile.random(16));
    for (int i = 0; i < 20; i++) {
      String m = meter();
      meters.add(m);
      file.add(m, "MASTER", "rfc3394").add(m, "BROADCAST", "rfc3394");
    }
    String supplier = "vendor-" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(importFile(transportKey(file), file.text(), supplier).status()).isEqualTo(201);
    Api.Response started = api.post(K + "/campaigns",
        "{\"roles\":[\"BROADCAST\"],\"selection\":{\"supplier\":\"" + supplier + "\",\"provenance\":\"FACTORY_IMPORTED\"}}");
    assertThat(started.status()).as(started.toString()).isEqualTo(201);
    String id = started.json().path("id").asText();

    Api.Response paused = api.post(K + "/campaigns/" + id + "/pause", "");
    assertThat(paused.status()).as(paused.toString()).isEqualTo(200);
    // Either it was paused, or it had completed already: a small fleet is quick.
    assertThat(paused.json().path("status").asText()).isIn("PAUSED", "COMPLETED");
    assertThat(api.get(K + "/campaigns/" + id).json().path("status").asText()).isIn("PAUSED", "COMPLETED");

    assertThat(api.post(K + "/campaigns/" + id + "/resume", "").status()).isEqualTo(200);
    assertThat(awaitCompleted(id).path("devicesDone").asInt()).isEqualTo(20);
    for (String m : meters) {
      assertThat(key(m, "BROADCAST", 2).path("state").asText()).isEqualTo("NEW");
      assertThat(keysOf(m)).hasSize(3); // no second NEW key from the redone chunk
    }
    assertThat(api.get(K + "/campaigns/" + UUID.randomUUID()).status()).isEqualTo(404);
    assertThat(api.post(K + "/campaigns", "{\"roles\":[\"BROADCAST\"],\"selection\":{\"colour\":\"red\"}}").status()).isEqualTo(400);
    assertThat(api.post(K + "/campaigns", "{\"roles\":[\"BROADCAST\"],\"selection\":{\"provenance\":\"STOLEN\"}}").status()).isEqualTo(400);
  }

  JsonNode awaitCompleted(String campaign) throws InterruptedException {
    for (int i = 0; i < 600; i++) {
      Api.Response r = api.get(K + "/campaigns/" + campaign);
      assertThat(r.status()).as(r.toString()).isEqualTo(200);
      if (r.json().path("status").asText().equals("COMPLETED")) {
        return r.json();
      }
      Thread.sleep(50);
    }
    throw new AssertionError("campaign " + campaign + " did not complete: " + api.get(K + "/campaigns/" + campaign));
  }

  @Test
  void theReportSaysWhereTheKeysAreAndWhetherThatIsSovereign() {
    VendorFile file = new VendorFile(VendorFile.random(16)).add(meter(), "MASTER", "rfc3394");
    assertThat(importFile(transportKey(file), file.text()).status()).isEqualTo(201);

    Api.Response r = as("[\"auditor\"]", "auditor:kpmg").get(K + "/report");

    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    JsonNode report = r.json();
    assertThat(report.path("backend").path("kind").asText()).isEqualTo(expectedBackendKind());
    assertThat(report.path("backend").path("country").asText()).isEqualTo("NL");
    assertThat(report.path("sovereign").asBoolean(true)).isFalse();
    assertThat(report.path("findings").toString()).contains("sovereign custody");
    assertThat(report.path("deviceKeys").path("byProvenance").path("FACTORY_IMPORTED").asInt()).isPositive();
    assertThat(report.path("deviceKeys").path("byState").path("ACTIVE").asInt()).isPositive();
    assertThat(report.path("operatorKeys").findValuesAsText("kind")).contains("storage-kek", "transport-kek");
    // The token issuer's and the audit log's signing keys: in the HSM when there is one.
    List<String> signingBackends = new java.util.ArrayList<>();
    report.path("operatorKeys").forEach(k -> {
      if (k.path("purpose").asText().equals("token issuer") || k.path("purpose").asText().equals("audit checkpoints")) {
        signingBackends.add(k.path("backend").asText());
      }
    });
    assertThat(signingBackends).hasSize(2).allSatisfy(b -> assertThat(b.startsWith("software signer store"))
        .isEqualTo(!expectedBackendKind().equals("hsm")));
    // ... and checkpoints signed by it verify with the key the log serves.
    assertThat(api.post("/sleutelbos/v1/audit/checkpoint", "").status()).isEqualTo(200);
  }

  @Test
  void onlyOfficersAndAdministratorsChangeKeysAndVendorsSeeNothing() {
    Api vendor = as("[\"operator-admin\"]", "vendor:zte");
    Api auditor = as("[\"auditor\"]", "auditor:kpmg");
    Api engineer = as("[\"operator-engineer\"]", "operator");
    for (Api who : List.of(vendor, auditor, engineer)) {
      assertThat(who.post(K + "/devices/" + meter(), "{\"roles\":[\"MASTER\"]}").status()).isEqualTo(403);
      assertThat(who.postAs("text/csv", K + "/imports?transportKey=x", "meter,role,wrap,key\n").status()).isEqualTo(403);
    }
    assertThat(vendor.get(K + "/report").status()).isEqualTo(403);
    assertThat(vendor.get(K).status()).isEqualTo(403);
    assertThat(auditor.get(K).status()).isEqualTo(200);
    Api officer = as("[\"security-officer\"]", "operator");
    assertThat(officer.post(K + "/devices/" + meter(), "{\"roles\":[\"MASTER\"]}").status()).isEqualTo(201);
  }

  @Test
  void aKeyOperationRunsOnlyAfterTwoOtherOfficersApprovedIt() {
    Api requester = as("[\"security-officer\"]", "operator");
    Api first = as("[\"security-officer\"]", "operator");
    Api second = as("[\"security-officer\"]", "operator");
    long auditBefore = api.get("/sleutelbos/v1/audit/entries?start=0&end=0").json().path("treeSize").asLong();

    Api.Response requested = requester.post(K + "/operations", "{\"kind\":\"GENERATE_SIGNING_KEY\",\"purpose\":\"firmware-cosigning\"}");
    assertThat(requested.status()).as(requested.toString()).isEqualTo(201);
    String op = K + "/operations/" + requested.json().path("id").asText();
    assertThat(requested.json().path("status").asText()).isEqualTo("PENDING");
    assertThat(requested.json().path("required").asInt()).isEqualTo(2);
    assertThat(java.time.Instant.parse(requested.json().path("expires").asText())).as("a day to gather approvals")
        .isEqualTo(java.time.Instant.parse(requested.json().path("requested").asText()).plus(java.time.Duration.ofHours(24)));

    assertThat(requester.post(op + "/approvals", "").status()).as("own request").isEqualTo(403);
    assertThat(api.post(op + "/approvals", "").status()).as("an administrator").isEqualTo(403);
    Api.Response one = first.post(op + "/approvals", "");
    assertThat(one.status()).as(one.toString()).isEqualTo(200);
    assertThat(one.json().path("status").asText()).isEqualTo("PENDING");
    assertThat(first.post(op + "/approvals", "").status()).as("the same officer twice").isEqualTo(409);
    assertThat(api.get(op).json().path("approvals")).hasSize(1);

    Api.Response two = second.post(op + "/approvals", "");
    assertThat(two.status()).as(two.toString()).isEqualTo(200);
    assertThat(two.json().path("status").asText()).isEqualTo("EXECUTED");
    assertThat(two.json().path("result").asText()).contains("signing key").contains("firmware-cosigning");
    assertThat(second.post(op + "/approvals", "").status()).as("no longer pending").isEqualTo(409);
    assertThat(api.get(K + "/report").json().path("operatorKeys").findValuesAsText("purpose")).contains("firmware-cosigning");

    long auditAfter = api.get("/sleutelbos/v1/audit/entries?start=0&end=0").json().path("treeSize").asLong();
    List<String> actions = new ArrayList<>();
    api.get("/sleutelbos/v1/audit/entries?start=" + auditBefore + "&end=" + auditAfter).json().path("entries")
        .forEach(e -> actions.add(e.path("action").asText() + " " + e.path("outcome").asText()));
    assertThat(actions).contains("keys.operation.request SUCCEEDED", "keys.operation.approve DENIED",
        "keys.operation.approve SUCCEEDED", "keys.operation.execute SUCCEEDED");
  }

  @Test
  void aStorageKekRotationNeedsTheQuorumAndNewKeysUseTheNewKek() {
    Api requester = as("[\"security-officer\"]", "operator");
    Api.Response requested = requester.post(K + "/operations", "{\"kind\":\"ROTATE_STORAGE_KEK\"}");
    assertThat(requested.status()).as(requested.toString()).isEqualTo(201);
    String op = K + "/operations/" + requested.json().path("id").asText();
    as("[\"security-officer\"]", "operator").post(op + "/approvals", "");
    Api.Response done = as("[\"security-officer\"]", "operator").post(op + "/approvals", "");
    assertThat(done.json().path("status").asText()).as(done.toString()).isEqualTo("EXECUTED");
    List<String> states = api.get(K + "/report").json().path("operatorKeys").findValuesAsText("state");
    assertThat(states).contains("CURRENT", "PREVIOUS");

    String m = meter();
    assertThat(api.post(K + "/devices/" + m, "{\"roles\":[\"MASTER\"]}").status()).isEqualTo(201);
    assertThat(requester.post(K + "/operations", "{\"kind\":\"EXPORT_MASTER_KEY\"}").status()).isEqualTo(400);
  }
}

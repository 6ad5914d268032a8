package nl.sleutelbos.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import nl.sleutelbos.app.http.AuditTrail;
import nl.sleutelbos.app.http.Route;
import nl.sleutelbos.audit.AuditEntry;
import nl.sleutelbos.audit.Checkpoint;
import nl.sleutelbos.audit.MemoryTree;
import nl.sleutelbos.audit.NoteKey;
import nl.sleutelbos.audit.NoteVerifier;
import nl.sleutelbos.audit.ProofVerifier;
import nl.sleutelbos.audit.SignedNote;
import nl.sleutelbos.audit.TreeHash;
import org.junit.jupiter.api.Test;

/**
 * The audit log over real HTTP: control-plane acts record themselves, and a client checks the
 * checkpoint signature, the entries and the proofs with nothing but the served key.
 */
class AuditApiTest extends ApiTestBase {
  static final String A = "/sleutelbos/v1/audit";
  static final String C = "/sleutelbos/v1";

  private long size() {
    Api.Response r = api.get(A + "/entries?start=0&end=0");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json().path("treeSize").asLong();
  }

  private List<JsonNode> entries(long start, long end) {
    Api.Response r = api.get(A + "/entries?start=" + start + "&end=" + end);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    List<JsonNode> out = new ArrayList<>();
    r.json().path("entries").forEach(out::add);
    return out;
  }

  private NoteVerifier verifier() {
    Api.Response key = api.get(A + "/key");
    assertThat(key.status()).as(key.toString()).isEqualTo(200);
    return new NoteVerifier(NoteKey.parse(key.body()));
  }

  private Checkpoint checkpoint() throws Exception {
    Api.Response r = api.post(A + "/checkpoint", "");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    return verifier().verifyCheckpoint(SignedNote.parse(r.body()));
  }

  private static List<byte[]> hashes(JsonNode proof) {
    List<byte[]> out = new ArrayList<>();
    proof.path("hashes").forEach(h -> out.add(Base64.getDecoder().decode(h.asText())));
    return out;
  }

  @Test
  void aControlActIsRecordedWithItsActorRouteAndTarget() {
    long before = size();
    String type = "A" + Long.toHexString(System.nanoTime());
    Api.Response put = api.put(C + "/retention/" + type + "/power", "{\"maxAge\":\"P1Y\"}");
    assertThat(put.status()).as(put.toString()).isEqualTo(200);

    List<JsonNode> recorded = entries(before, before + 2);
    assertThat(recorded).hasSize(2);
    JsonNode entry = recorded.getFirst();
    assertThat(entry.path("sequence").asLong()).isEqualTo(before);
    assertThat(entry.path("action").asText()).isEqualTo("PUT /retention/{type}/{attribute}");
    assertThat(entry.path("target").asText()).isEqualTo(C + "/retention/" + type + "/power");
    assertThat(entry.path("actor").path("subject").asText()).isNotEmpty();
    assertThat(entry.path("outcome").asText()).isEqualTo("ATTEMPTED");
    JsonNode outcome = recorded.get(1);
    assertThat(outcome.path("outcome").asText()).isEqualTo("SUCCEEDED");
    assertThat(outcome.path("requestId").asText()).isEqualTo(entry.path("requestId").asText());
    assertThat(outcome.path("action").asText()).isEqualTo(entry.path("action").asText());
    AuditEntry decoded = AuditEntry.decode(Base64.getDecoder().decode(entry.path("encoded").asText()));
    assertThat(decoded.action()).isEqualTo(entry.path("action").asText());
    assertThat(decoded.sequence()).isEqualTo(before);
  }

  @Test
  void everyChangingControlRouteRecordsAnEntryBeforeItAnswers() {
    List<Route> recording = server.routes().stream()
        .filter(r -> !r.family().equals("ngsi-ld"))
        .filter(AuditTrail::records)
        .toList();
    assertThat(recording).extracting(r -> r.method() + " " + r.template())
        .contains("PUT /retention/{type}/{attribute}", "POST /clients", "POST /oauth/signing-keys/rotate");
    for (Route route : recording) {
      long before = size();
      String path = C + route.template().replaceAll("\\{[^}]+}", "x");
      Api.Response r = switch (route.method()) {
        case "POST" -> api.post(path, "{}");
        case "PUT" -> api.put(path, "{}");
        case "PATCH" -> api.patch(path, "{}");
        case "DELETE" -> api.delete(path);
        default -> throw new AssertionError("unexpected method " + route.method());
      };
      assertThat(r.status()).as("%s answered", path).isLessThan(500);
      assertThat(size()).as("%s %s recorded", route.method(), route.template()).isEqualTo(before + 2);
      List<JsonNode> recorded = entries(before, before + 2);
      assertThat(recorded).extracting(e -> e.path("action").asText())
          .containsOnly(route.method() + " " + route.template());
      assertThat(recorded.getFirst().path("outcome").asText()).isEqualTo("ATTEMPTED");
      assertThat(recorded.get(1).path("outcome").asText()).as("%s answered %s", path, r.status())
          .isEqualTo(r.status() < 400 ? "SUCCEEDED" : r.status() == 403 ? "DENIED" : "FAILED");
    }
  }

  @Test
  void anActThePolicyRefusesIsRecordedAsDeniedWithTheReason() {
    Api auditor = as("[\"auditor\"]", "auditor:adr");
    long before = size();
    Api.Response put = auditor.put(C + "/retention/Device/power", "{\"maxAge\":\"P1Y\"}");
    assertThat(put.status()).as(put.toString()).isEqualTo(403);
    List<JsonNode> recorded = entries(before, before + 2);
    assertThat(recorded).extracting(e -> e.path("outcome").asText()).containsExactly("ATTEMPTED", "DENIED");
    assertThat(recorded.get(1).path("reason").asText()).contains("not permitted");
    assertThat(recorded.get(1).path("actor").path("organisation").asText()).isEqualTo("auditor:adr");
  }

  @Test
  void theSignedCheckpointCoversTheServedEntriesAndItsProofsVerify() throws Exception {
    for (int i = 0; i < 5; i++) {
      api.put(C + "/retention/T" + i + "/power", "{\"maxAge\":\"P1Y\"}");
    }
    Checkpoint first = checkpoint();
    api.delete(C + "/retention/T0/power");
    api.delete(C + "/retention/T1/power");
    Checkpoint second = checkpoint();
    assertThat(second.treeSize()).isEqualTo(first.treeSize() + 4); // two acts, each attempted and done

    MemoryTree tree = new MemoryTree();
    entries(0, second.treeSize()).forEach(e -> tree.append(Base64.getDecoder().decode(e.path("encoded").asText())));
    assertThat(tree.root(first.treeSize())).isEqualTo(first.rootHash());
    assertThat(tree.root()).isEqualTo(second.rootHash());

    long index = first.treeSize() - 1;
    Api.Response byIndex = api.get(A + "/proofs/inclusion?index=" + index + "&treeSize=" + second.treeSize());
    assertThat(byIndex.status()).as(byIndex.toString()).isEqualTo(200);
    ProofVerifier.verifyInclusion(index, second.treeSize(), tree.node(0, index), hashes(byIndex.json()), second.rootHash());

    String leaf = Base64.getEncoder().encodeToString(tree.node(0, index));
    Api.Response byHash = api.get(A + "/proofs/inclusion?hash=" + java.net.URLEncoder.encode(leaf, java.nio.charset.StandardCharsets.UTF_8)
        + "&treeSize=" + second.treeSize());
    assertThat(byHash.status()).as(byHash.toString()).isEqualTo(200);
    assertThat(byHash.json().path("leafIndex").asLong()).isEqualTo(index);
    ProofVerifier.verifyInclusion(index, second.treeSize(), tree.node(0, index), hashes(byHash.json()), second.rootHash());

    Api.Response consistency = api.get(A + "/proofs/consistency?from=" + first.treeSize() + "&to=" + second.treeSize());
    assertThat(consistency.status()).as(consistency.toString()).isEqualTo(200);
    ProofVerifier.verifyConsistency(first.treeSize(), second.treeSize(), hashes(consistency.json()),
        first.rootHash(), second.rootHash());

    Api.Response history = api.get(A + "/checkpoints");
    assertThat(history.json().path("checkpoints")).hasSizeGreaterThanOrEqualTo(2);
    Api.Response latest = api.get(A + "/checkpoint");
    assertThat(verifier().verifyCheckpoint(SignedNote.parse(latest.body())).treeSize()).isEqualTo(second.treeSize());
  }

  @Test
  void theOfflineVerifierChecksTheServedLogOverItsApi() throws Exception {
    api.put(C + "/retention/V/power", "{\"maxAge\":\"P1Y\"}");
    checkpoint();
    String base = "http://127.0.0.1:" + server.port();
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.PrintStream old = System.out;
    int exit;
    try {
      System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
      exit = new picocli.CommandLine(new nl.sleutelbos.app.Main())
          .execute("audit", "verify", base, "--token", Api.TOKENS.get(base).get());
    } finally {
      System.setOut(old);
    }
    assertThat(exit).as(out.toString()).isZero();
    assertThat(out.toString()).contains("verified");
  }

  @Test
  void badProofAndRangeRequestsAreRefusedPrecisely() {
    long size = size();
    String tooLarge = Long.toString(size + 1000);
    for (String query : List.of(
        "/proofs/inclusion?index=0&hash=AAAA&treeSize=1",
        "/proofs/inclusion?treeSize=1",
        "/proofs/inclusion?index=0&treeSize=" + tooLarge,
        "/proofs/inclusion?index=x",
        "/proofs/inclusion?hash=not-base64!",
        "/proofs/consistency?from=2&to=1",
        "/proofs/consistency?from=-1",
        "/entries?start=0&end=5000",
        "/entries?start=5&end=1")) {
      Api.Response r = api.get(A + query);
      assertThat(r.status()).as(query + " " + r).isEqualTo(400);
      assertThat(r.errorType()).as(query).isEqualTo("BadRequestData");
    }
    String unknown = Base64.getEncoder().encodeToString(TreeHash.sha256(new byte[] {1, 2, 3}));
    Api.Response missing = api.get(A + "/proofs/inclusion?hash=" + java.net.URLEncoder.encode(unknown, java.nio.charset.StandardCharsets.UTF_8));
    assertThat(missing.status()).as(missing.toString()).isEqualTo(404);
  }

  @Test
  void theLogIsSearchableAsReadOnlyNgsiLdEntities() throws Exception {
    Api auditor = as("[\"auditor\"]", "auditor:search");
    long before = size();
    assertThat(auditor.put(C + "/retention/Device/power", "{\"maxAge\":\"P1Y\"}").status()).isEqualTo(403);
    String denied = "urn:ngsi-ld:AuditEntry:" + (before + 1);

    Api.Response found = null;
    for (int i = 0; i < 100; i++) { // the read model follows the log within a poll (0.5 s)
      found = auditor.get(V1 + "/entities?type=AuditEntry&q=actorOrganisation==%22auditor:search%22;outcome==%22DENIED%22"
          + "&options=keyValues");
      if (found.status() == 200 && found.json().size() == 1) {
        break;
      }
      Thread.sleep(100);
    }
    assertThat(found.status()).as(found.toString()).isEqualTo(200);
    assertThat(found.json()).as(found.toString()).hasSize(1);
    JsonNode entity = found.json().get(0);
    assertThat(entity.path("id").asText()).isEqualTo(denied);
    assertThat(entity.path("action").asText()).isEqualTo("PUT /retention/{type}/{attribute}");
    // The entity carries the leaf hash, so a search hit can be checked against an inclusion proof.
    JsonNode logged = entries(before + 1, before + 2).getFirst();
    assertThat(entity.path("leafHash").asText()).isEqualTo(java.util.HexFormat.of().formatHex(
        AuditEntry.decode(Base64.getDecoder().decode(logged.path("encoded").asText())).leafHash()));

    // Nobody rewrites the read model through the API, the operator's administrator included.
    assertThat(api.patch(V1 + "/entities/" + denied + "/attrs", "{\"outcome\":{\"type\":\"Property\",\"value\":\"SUCCEEDED\"}}")
        .status()).isEqualTo(403);
    assertThat(api.delete(V1 + "/entities/" + denied).status()).isEqualTo(403);
    assertThat(api.post(V1 + "/entities", "{\"id\":\"urn:ngsi-ld:AuditEntry:x\",\"type\":\"AuditEntry\"}").status())
        .isEqualTo(403);
  }
}

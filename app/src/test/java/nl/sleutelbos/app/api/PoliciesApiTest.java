package nl.sleutelbos.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * Policy administration over HTTP: the default policy set is in force from the first start, a
 * valid upload becomes a new version in force, a malformed or invalid one is rejected with the
 * engine's message and changes nothing, and an earlier version can be put back.
 */
class PoliciesApiTest extends ApiTestBase {
  private static final String POLICIES = "/sleutelbos/v1/policies";
  private static final String XACML = "application/xacml+xml";
  private static final String DENY_ALL = """
      <PolicySet xmlns="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17" PolicySetId="urn:test:deny-all" Version="1.0"
          PolicyCombiningAlgId="urn:oasis:names:tc:xacml:1.0:policy-combining-algorithm:first-applicable">
        <Target/>
        <Policy PolicyId="urn:test:deny" Version="1.0"
            RuleCombiningAlgId="urn:oasis:names:tc:xacml:1.0:rule-combining-algorithm:first-applicable">
          <Target/>
          <Rule RuleId="no" Effect="Deny"/>
        </Policy>
      </PolicySet>
      """;

  private Api.Response put(String body) {
    return api.send("PUT", POLICIES, body, XACML);
  }

  /** The policy in force and the number of versions, to compare before and after. */
  private record State(String version, String policy, int versions) {}

  private State state() {
    Api.Response active = api.get(POLICIES);
    assertThat(active.status()).isEqualTo(200);
    return new State(active.header("Sleutelbos-Policy-Version").orElseThrow(), active.body(),
        api.get(POLICIES + "/versions").json().size());
  }

  @Test
  void theDefaultPolicySetIsInForceFromTheFirstStart() {
    Api.Response versions = api.get(POLICIES + "/versions");
    assertThat(versions.json().get(0).get("version").asInt()).isEqualTo(1);
    Api.Response first = api.get(POLICIES + "/versions/1");
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.header("Content-Type").orElseThrow()).startsWith(XACML);
    assertThat(first.body()).contains("PolicySetId=\"urn:sleutelbos:policy:root\"");
  }

  @Test
  void aValidUploadBecomesANewVersionInForceAndAnEarlierOneCanBePutBack() {
    State before = state();
    Api.Response uploaded = put(DENY_ALL);
    assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(201);
    int version = uploaded.json().get("version").asInt();
    assertThat(version).isEqualTo(before.versions() + 1);
    assertThat(uploaded.header("Location").orElseThrow()).endsWith("/policies/versions/" + version);

    Api.Response active = api.get(POLICIES);
    assertThat(active.body()).isEqualTo(DENY_ALL);
    assertThat(active.header("Sleutelbos-Policy-Version")).contains(Integer.toString(version));
    JsonNode versions = api.get(POLICIES + "/versions").json();
    assertThat(versions).hasSize(before.versions() + 1);
    assertThat(versions.get(versions.size() - 1).get("active").asBoolean()).isTrue();

    Api.Response rollback = api.post(POLICIES + "/versions/" + before.version() + "/activate", null);
    assertThat(rollback.status()).as(rollback.toString()).isEqualTo(200);
    assertThat(state()).isEqualTo(new State(before.version(), before.policy(), before.versions() + 1));
  }

  @Test
  void aMalformedPolicyIsRejectedAndTheActiveOneStays() {
    State before = state();
    Api.Response rejected = put("<PolicySet xmlns=\"urn:oasis:names:tc:xacml:3.0:core:schema:wd-17\"><Target>");
    assertThat(rejected.status()).isEqualTo(400);
    assertThat(rejected.errorType()).isEqualTo("BadRequestData");
    assertThat(rejected.json().get("detail").asText()).contains("the one in force stays");
    assertThat(state()).isEqualTo(before);
  }

  @Test
  void aPolicyTheSchemaOrTheEngineRejectsIsRejectedWithItsMessageAndTheActiveOneStays() {
    State before = state();
    Api.Response noId = put("<PolicySet xmlns=\"urn:oasis:names:tc:xacml:3.0:core:schema:wd-17\"><Target/></PolicySet>");
    assertThat(noId.status()).isEqualTo(400);
    assertThat(noId.json().get("detail").asText()).contains("PolicySetId");
    Api.Response unknownAlgorithm = put(DENY_ALL.replace("first-applicable\">", "coin-toss\">"));
    assertThat(unknownAlgorithm.status()).isEqualTo(400);
    assertThat(unknownAlgorithm.json().get("detail").asText()).contains("coin-toss");
    assertThat(state()).isEqualTo(before);
  }

  @Test
  void aPolicyIsXmlNotJson() {
    Api.Response wrongType = api.put(POLICIES, "{\"policy\": \"permit all\"}");
    assertThat(wrongType.status()).isEqualTo(415);
  }

  @Test
  void unknownAndMalformedVersionsAreTold() {
    assertThat(api.get(POLICIES + "/versions/9999").status()).isEqualTo(404);
    assertThat(api.get(POLICIES + "/versions/first").status()).isEqualTo(400);
    assertThat(api.post(POLICIES + "/versions/9999/activate", null).status()).isEqualTo(404);
    assertThat(api.post(POLICIES + "/versions/0/activate", null).status()).isEqualTo(400);
  }
}

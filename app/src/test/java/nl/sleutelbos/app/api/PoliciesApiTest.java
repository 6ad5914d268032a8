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
  /** A policy set that lets the security officer keep administering policies and denies everything else. */
  private static final String OFFICER_ONLY = """
      <PolicySet xmlns="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17" PolicySetId="urn:test:officer-only" Version="1.0"
          PolicyCombiningAlgId="urn:oasis:names:tc:xacml:1.0:policy-combining-algorithm:first-applicable">
        <Target/>
        <Policy PolicyId="urn:test:officer" Version="1.0"
            RuleCombiningAlgId="urn:oasis:names:tc:xacml:1.0:rule-combining-algorithm:first-applicable">
          <Target/>
          <Rule RuleId="officer" Effect="Permit">
            <Condition>
              <Apply FunctionId="urn:oasis:names:tc:xacml:1.0:function:string-is-in">
                <AttributeValue DataType="http://www.w3.org/2001/XMLSchema#string">security-officer</AttributeValue>
                <AttributeDesignator Category="urn:oasis:names:tc:xacml:1.0:subject-category:access-subject"
                    AttributeId="urn:sleutelbos:subject:role" DataType="http://www.w3.org/2001/XMLSchema#string" MustBePresent="false"/>
              </Apply>
            </Condition>
          </Rule>
          <Rule RuleId="nobody-else" Effect="Deny"/>
        </Policy>
      </PolicySet>
      """;

  private Api officer;

  /** Before any test can put in force a policy under which the administrator may no longer create clients. */
  @org.junit.jupiter.api.BeforeAll
  void createTheSecurityOfficer() {
    officer();
  }

  /** Only a security officer changes policies; the bootstrap administrator creates one. */
  private Api officer() {
    if (officer == null) {
      Api.Response client = api.post("/sleutelbos/v1/clients",
          "{\"name\":\"security officer\",\"roles\":[\"security-officer\"],\"organisation\":\"operator\",\"country\":\"NL\"}");
      assertThat(client.status()).as(client.toString()).isEqualTo(201);
      Api.Response token = api.anonymous().postAs("application/x-www-form-urlencoded", "/sleutelbos/v1/oauth/token",
          "grant_type=client_credentials", "Authorization", new BootstrapToken.Credentials(
              client.json().path("client_id").asText(), client.json().path("client_secret").asText()).basic());
      assertThat(token.status()).as(token.toString()).isEqualTo(200);
      officer = api.anonymous().with("Authorization", "Bearer " + token.json().path("access_token").asText());
    }
    return officer;
  }

  private Api.Response put(String body) {
    return officer().send("PUT", POLICIES, body, XACML);
  }

  @Test
  void theAdministratorReadsPoliciesButOnlyTheSecurityOfficerChangesThem() {
    State before = state();
    Api.Response refused = api.send("PUT", POLICIES, OFFICER_ONLY, XACML);
    assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
    assertThat(refused.errorType()).isEqualTo("Forbidden");
    assertThat(api.post(POLICIES + "/versions/1/activate", null).status()).isEqualTo(403);
    assertThat(state()).isEqualTo(before);
  }

  /** The policy in force and the number of versions, to compare before and after. */
  private record State(String version, String policy, int versions) {}

  private State state() {
    Api.Response active = officer().get(POLICIES);
    assertThat(active.status()).as(active.toString()).isEqualTo(200);
    return new State(active.header("Sleutelbos-Policy-Version").orElseThrow(), active.body(),
        officer().get(POLICIES + "/versions").json().size());
  }

  @Test
  void theDefaultPolicySetIsInForceFromTheFirstStart() {
    Api.Response versions = officer().get(POLICIES + "/versions");
    assertThat(versions.json().get(0).get("version").asInt()).isEqualTo(1);
    Api.Response first = officer().get(POLICIES + "/versions/1");
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.header("Content-Type").orElseThrow()).startsWith(XACML);
    assertThat(first.body()).contains("PolicySetId=\"urn:sleutelbos:policy:root\"");
  }

  @Test
  void aValidUploadBecomesANewVersionInForceAndAnEarlierOneCanBePutBack() {
    State before = state();
    Api.Response uploaded = put(OFFICER_ONLY);
    assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(201);
    int version = uploaded.json().get("version").asInt();
    assertThat(version).isEqualTo(before.versions() + 1);
    assertThat(uploaded.header("Location").orElseThrow()).endsWith("/policies/versions/" + version);

    Api.Response active = officer().get(POLICIES);
    assertThat(active.body()).isEqualTo(OFFICER_ONLY);
    assertThat(api.get(POLICIES).status()).as("the administrator, under the new policy").isEqualTo(403);
    assertThat(active.header("Sleutelbos-Policy-Version")).contains(Integer.toString(version));
    JsonNode versions = officer().get(POLICIES + "/versions").json();
    assertThat(versions).hasSize(before.versions() + 1);
    assertThat(versions.get(versions.size() - 1).get("active").asBoolean()).isTrue();

    Api.Response rollback = officer().post(POLICIES + "/versions/" + before.version() + "/activate", null);
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
    Api.Response unknownAlgorithm = put(OFFICER_ONLY.replace("first-applicable\">", "coin-toss\">"));
    assertThat(unknownAlgorithm.status()).isEqualTo(400);
    assertThat(unknownAlgorithm.json().get("detail").asText()).contains("coin-toss");
    assertThat(state()).isEqualTo(before);
  }

  @Test
  void aPolicyIsXmlNotJson() {
    Api.Response wrongType = officer().put(POLICIES, "{\"policy\": \"permit all\"}");
    assertThat(wrongType.status()).isEqualTo(415);
  }

  @Test
  void unknownAndMalformedVersionsAreTold() {
    assertThat(officer().get(POLICIES + "/versions/9999").status()).isEqualTo(404);
    assertThat(officer().get(POLICIES + "/versions/first").status()).isEqualTo(400);
    assertThat(officer().post(POLICIES + "/versions/9999/activate", null).status()).isEqualTo(404);
    assertThat(officer().post(POLICIES + "/versions/0/activate", null).status()).isEqualTo(400);
  }
}

package nl.sleutelbos.app.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import nl.sleutelbos.auth.PolicyAdministration;
import nl.sleutelbos.auth.PolicyException;
import nl.sleutelbos.auth.PolicyVersion;
import nl.sleutelbos.ngsild.ErrorType;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.ngsild.NgsiLdException;

/**
 * Policy administration on the control plane: the XACML 3.0 policy set in force, its versions,
 * upload and roll back. Policies travel as XML ({@code application/xacml+xml}, RFC 7061, or
 * plain {@code application/xml}); version lists as JSON.
 */
public final class PolicyRoutes {
  public static final String FAMILY = "control-plane";
  static final String XACML_XML = "application/xacml+xml";
  static final String XML = "application/xml";
  private static final List<String> XML_TYPES = List.of(XACML_XML, XML, "text/xml");
  /** Which version a policy answer is. */
  static final String VERSION_HEADER = "Sleutelbos-Policy-Version";

  private final PolicyAdministration policies;

  public PolicyRoutes(PolicyAdministration policies) {
    this.policies = policies;
  }

  public List<Route> routes() {
    return List.of(
        new Route("GET", "/policies", Set.of(), FAMILY, this::active),
        new Route("PUT", "/policies", Set.of(), FAMILY, this::upload),
        new Route("GET", "/policies/versions", Set.of(), FAMILY, this::versions),
        new Route("GET", "/policies/versions/{version}", Set.of(), FAMILY, this::version),
        new Route("POST", "/policies/versions/{version}/activate", Set.of(), FAMILY, this::activate));
  }

  private void active(Exchange ex) {
    sendPolicy(ex, policies.active());
  }

  private void version(Exchange ex) {
    int n = versionParam(ex);
    sendPolicy(ex, policies.version(n).orElseThrow(() -> NgsiLdException.notFound("no policy version " + n)));
  }

  private void versions(Exchange ex) {
    String media = ex.negotiate(List.of(LdRequest.JSON));
    int active = policies.active().version();
    ArrayNode list = Json.array();
    for (PolicyVersion v : policies.versions()) {
      list.add(summary(v, active));
    }
    ex.sendJson(200, media, list);
  }

  private void upload(Exchange ex) {
    String type = ex.contentType();
    if (!XML_TYPES.contains(type)) {
      throw new NgsiLdException(ErrorType.UNSUPPORTED_MEDIA_TYPE, "Content-Type '"
          + (type.isEmpty() ? "(none)" : type) + "' is not supported here; a policy set is one of " + XML_TYPES);
    }
    String text = new String(ex.body(), StandardCharsets.UTF_8);
    try {
      PolicyVersion stored = policies.upload(text);
      ex.header("Location", "/sleutelbos/v1/policies/versions/" + stored.version());
      ex.sendJson(201, LdRequest.JSON, summary(stored, stored.version()));
    } catch (PolicyException e) {
      throw NgsiLdException.badRequest("the policy set was rejected and the one in force stays: " + e.getMessage());
    }
  }

  private void activate(Exchange ex) {
    int n = versionParam(ex);
    try {
      PolicyVersion v = policies.activate(n).orElseThrow(() -> NgsiLdException.notFound("no policy version " + n));
      ex.sendJson(200, LdRequest.JSON, summary(v, v.version()));
    } catch (PolicyException e) {
      throw new NgsiLdException(ErrorType.OPERATION_NOT_SUPPORTED,
          "policy version " + n + " no longer loads and the one in force stays: " + e.getMessage());
    }
  }

  private static int versionParam(Exchange ex) {
    String text = ex.pathParam("version");
    try {
      int n = Integer.parseInt(text);
      if (n < 1) {
        throw NgsiLdException.badRequest("a policy version is a number from 1, got " + text);
      }
      return n;
    } catch (NumberFormatException e) {
      throw NgsiLdException.badRequest("a policy version is a number from 1, got '" + text + "'");
    }
  }

  private static ObjectNode summary(PolicyVersion v, int active) {
    return Json.object().put("version", v.version()).put("createdAt", v.createdAt().toString())
        .put("active", v.version() == active);
  }

  private static void sendPolicy(Exchange ex, PolicyVersion v) {
    String media = ex.negotiate(List.of(XACML_XML, XML));
    ex.header(VERSION_HEADER, Integer.toString(v.version()));
    ex.sendBytes(200, media + "; charset=utf-8", v.policySet().getBytes(StandardCharsets.UTF_8));
  }
}

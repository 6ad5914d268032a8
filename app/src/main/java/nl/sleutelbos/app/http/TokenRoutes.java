package nl.sleutelbos.app.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import nl.sleutelbos.identity.AccessToken;
import nl.sleutelbos.identity.Identity;
import nl.sleutelbos.identity.Signer;
import nl.sleutelbos.identity.Subject;
import nl.sleutelbos.identity.TokenRequestException;
import nl.sleutelbos.ngsild.Json;

/**
 * The embedded issuer's token endpoint (RFC 6749 §3.2, §4.4) on the control router, and the
 * administrator's signing-key rotation. Token errors are answered as RFC 6749 §5.2 JSON, not as
 * problem details, because that is what OAuth2 client libraries parse.
 */
public final class TokenRoutes {
  public static final String FAMILY = "identity";
  private static final String FORM = "application/x-www-form-urlencoded";

  private final Identity identity;

  public TokenRoutes(Identity identity) {
    this.identity = identity;
  }

  public List<Route> routes() {
    return List.of(
        new Route("POST", "/oauth/token", Set.of(), FAMILY, this::token),
        new Route("POST", "/oauth/signing-keys/rotate", Set.of(), FAMILY, this::rotate),
        new Route("GET", "/subject", Set.of(), FAMILY, this::subject));
  }

  /** Who the bearer token says the caller is: what the policy point will decide on. */
  private void subject(Exchange ex) {
    Subject subject = ex.subject().orElseThrow(() -> new IllegalStateException("no subject on " + ex.route()));
    ObjectNode body = Json.object();
    body.put("id", subject.id());
    ArrayNode roles = body.putArray("roles");
    new TreeSet<>(subject.roles()).forEach(roles::add);
    subject.organisation().ifPresent(o -> body.put("organisation", o.toString()));
    subject.country().ifPresent(c -> body.put("country", c));
    body.put("issuer", subject.issuer());
    subject.clientId().ifPresent(c -> body.put("client_id", c));
    ex.sendJson(200, "application/json", body);
  }

  private void token(Exchange ex) {
    try {
      if (!ex.contentType().equals(FORM)) {
        throw new FormException("the token request must be " + FORM + " (RFC 6749 §4.4.2)");
      }
      Map<String, String> form = form(new String(ex.body(), StandardCharsets.UTF_8));
      AccessToken token = identity.tokenEndpoint().token(ex.header(HeaderNames.AUTHORIZATION), form);
      ObjectNode body = Json.object();
      body.put("access_token", token.value());
      body.put("token_type", "Bearer");
      body.put("expires_in", token.expiresIn());
      noStore(ex);
      ex.sendJson(200, "application/json", body);
    } catch (TokenRequestException e) {
      if (e.status() == 401 && ex.header(HeaderNames.AUTHORIZATION).isPresent()) {
        ex.header("WWW-Authenticate", "Basic realm=\"" + BearerGate.REALM + "\""); // RFC 6749 §5.2
      }
      error(ex, e.status(), e.error(), e.getMessage());
    } catch (FormException e) {
      error(ex, 400, "invalid_request", e.getMessage());
    }
  }

  private void rotate(Exchange ex) {
    ClientRoutes.requireAdmin(ex);
    Signer current = identity.keys().rotate();
    ObjectNode body = Json.object();
    body.put("kid", current.keyId());
    ex.sendJson(200, "application/json", body);
  }

  private static void error(Exchange ex, int status, String code, String description) {
    ObjectNode body = Json.object();
    body.put("error", code);
    body.put("error_description", description);
    noStore(ex);
    ex.sendJson(status, "application/json", body);
  }

  private static void noStore(Exchange ex) {
    ex.header("Cache-Control", "no-store");
    ex.header("Pragma", "no-cache");
  }

  /** Parses an application/x-www-form-urlencoded body; a repeated parameter is an error (RFC 6749 §3.2). */
  static Map<String, String> form(String body) throws FormException {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name;
      String value;
      try {
        name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new FormException("malformed percent-encoding in the form body");
      }
      if (out.put(name, value) != null) {
        throw new FormException("parameter " + name + " is given more than once");
      }
    }
    return out;
  }

  static final class FormException extends Exception {
    FormException(String message) {
      super(message);
    }
  }
}

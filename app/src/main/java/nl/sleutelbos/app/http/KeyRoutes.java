package nl.sleutelbos.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import nl.sleutelbos.app.keys.Campaigns;
import nl.sleutelbos.app.keys.KeyFleet;
import nl.sleutelbos.app.keys.OperatorKeys;
import nl.sleutelbos.custody.Campaign;
import nl.sleutelbos.custody.CustodyException;
import nl.sleutelbos.custody.DeviceKey;
import nl.sleutelbos.custody.InsecureKeyMaterial;
import nl.sleutelbos.custody.KeyRole;
import nl.sleutelbos.custody.Provenance;
import nl.sleutelbos.custody.VendorKeyFile;
import nl.sleutelbos.custody.quorum.Quorum;
import nl.sleutelbos.identity.Subject;
import nl.sleutelbos.ngsild.ErrorType;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.ngsild.NgsiLdException;

/**
 * Key custody's commands and reads under {@code /sleutelbos/v1/keys}: key metadata, provisioning,
 * vendor key import, acknowledgements, rotation campaigns, quorum operations and the custody
 * report. No answer carries key material in any form; wrapped keys stay inside too. The NGSI-LD
 * entities ({@code CustodyKey}, {@code KeyCampaign}) are the read model for everything else.
 */
public final class KeyRoutes {
  public static final String FAMILY = "keys";
  private static final String JSON = "application/json";
  private static final HexFormat HEX = HexFormat.of();

  private final boolean signingInCustody;
  private final KeyFleet fleet;
  private final Campaigns campaigns;
  private final OperatorKeys operatorKeys;
  private final Quorum quorum;

  /**
   * @param signingInCustody whether the token issuer's and the audit log's signing keys are held
   *     by the custody backend (with an HSM) rather than in software signer stores
   */
  public KeyRoutes(KeyFleet fleet, Campaigns campaigns, OperatorKeys operatorKeys, Quorum quorum,
      boolean signingInCustody) {
    this.signingInCustody = signingInCustody;
    this.fleet = fleet;
    this.campaigns = campaigns;
    this.operatorKeys = operatorKeys;
    this.quorum = quorum;
  }

  public List<Route> routes() {
    return List.of(
        route("GET", "/keys", Set.of("after", "limit"), this::list),
        route("GET", "/keys/report", Set.of(), this::report),
        route("GET", "/keys/devices/{device}", Set.of(), this::showDevice),
        route("POST", "/keys/devices/{device}", Set.of(), this::generate),
        route("POST", "/keys/devices/{device}/acknowledgements", Set.of(), this::acknowledge),
        route("PUT", "/keys/transport-keys/{label}", Set.of(), this::transportKey),
        route("POST", "/keys/imports", Set.of("transportKey", "supplier", "batch", "region"), this::importFile),
        route("POST", "/keys/campaigns", Set.of(), this::startCampaign),
        route("GET", "/keys/campaigns/{id}", Set.of(), this::campaign),
        route("POST", "/keys/campaigns/{id}/pause", Set.of(), ex -> {
          campaigns.pause(campaignId(ex));
          answer(ex, 200, campaignId(ex));
        }),
        route("POST", "/keys/campaigns/{id}/resume", Set.of(), ex -> {
          campaigns.resume(campaignId(ex));
          answer(ex, 200, campaignId(ex));
        }),
        route("POST", "/keys/operations", Set.of(), this::requestOperation),
        route("GET", "/keys/operations", Set.of(), this::operations),
        route("GET", "/keys/operations/{id}", Set.of(), ex -> ex.sendJson(200, JSON, json(operation(ex)))),
        route("POST", "/keys/operations/{id}/approvals", Set.of(), this::approve));
  }

  /** Custody failures become problem details that say what to do; none carries key material. */
  private static Route route(String method, String template, Set<String> parameters, Route.Handler handler) {
    return new Route(method, template, parameters, FAMILY, ex -> {
      try {
        handler.handle(ex);
      } catch (CustodyException e) {
        throw switch (e.reason()) {
          case UNKNOWN_KEY -> NgsiLdException.notFound(e.getMessage());
          case DUPLICATE_LABEL -> new NgsiLdException(ErrorType.ALREADY_EXISTS, e.getMessage());
          case INVALID -> NgsiLdException.badRequest(e.getMessage());
          case INTEGRITY -> new NgsiLdException(ErrorType.OPERATION_NOT_SUPPORTED, e.getMessage());
          case UNAVAILABLE, TOKEN_NOT_FOUND, WRONG_PIN -> new NgsiLdException(ErrorType.SERVICE_UNAVAILABLE,
              "key custody is not available (" + e.reason() + "); retry when the HSM is back");
        };
      } catch (KeyFleet.Conflict e) {
        throw new NgsiLdException(ErrorType.ALREADY_EXISTS, e.getMessage());
      } catch (VendorKeyFile.Rejected e) {
        ObjectNode body = Json.object();
        body.put("type", "urn:sleutelbos:problem:vendor-key-file-rejected");
        body.put("title", "Vendor key file rejected");
        body.put("status", 422);
        body.put("detail", "the file was rejected whole and nothing was stored: " + e.getMessage());
        ArrayNode errors = body.putArray("errors");
        e.problems().forEach(p -> errors.addObject().put("line", p.line()).put("reason", p.reason()));
        ex.sendJson(422, "application/problem+json", body);
      } catch (Quorum.Refused e) {
        throw switch (e.why()) {
          case UNKNOWN -> NgsiLdException.notFound(e.getMessage());
          case NOT_AN_OFFICER, OWN_REQUEST -> new NgsiLdException(ErrorType.FORBIDDEN, e.getMessage());
          case ALREADY_APPROVED, NOT_PENDING, EXPIRED -> new NgsiLdException(ErrorType.ALREADY_EXISTS, e.getMessage());
        };
      }
    });
  }

  /** Devices with keys in id order; {@code after} is the last device id of the previous page. */
  private void list(Exchange ex) {
    int limit = ex.intParam("limit", 100, 1, 1000);
    ArrayNode out = Json.array();
    for (String d : fleet.devices(ex.param("after").orElse(""), limit)) {
      out.add(deviceJson(d));
    }
    ex.header("NGSILD-Results-Count", Long.toString(fleet.deviceCount()));
    ex.sendJson(200, JSON, out);
  }

  private void showDevice(Exchange ex) {
    String device = ex.pathParam("device");
    if (fleet.keys(device).isEmpty()) {
      throw NgsiLdException.notFound("device " + device + " has no keys");
    }
    ex.sendJson(200, JSON, deviceJson(device));
  }

  private ObjectNode deviceJson(String device) {
    ObjectNode o = Json.object();
    o.put("deviceId", device);
    ArrayNode keys = o.putArray("keys");
    fleet.keys(device).forEach(k -> keys.add(keyJson(k)));
    return o;
  }

  /** A key's metadata; the wrapped key stays out of every answer. */
  static ObjectNode keyJson(DeviceKey k) {
    ObjectNode o = Json.object();
    o.put("deviceId", k.deviceId());
    o.put("role", k.role().name());
    o.put("version", k.version());
    o.put("state", k.state().name());
    o.put("provenance", k.provenance().name());
    o.put("backend", k.backend());
    o.put("created", k.created().toString());
    o.put("changed", k.changed().toString());
    return o;
  }

  private void generate(Exchange ex) {
    JsonNode body = object(ex);
    Set<KeyRole> roles = roles(body.get("roles"));
    List<DeviceKey> made = fleet.generate(device(ex), roles);
    ArrayNode out = Json.array();
    made.forEach(k -> out.add(keyJson(k)));
    ex.sendJson(201, JSON, out);
  }

  private void acknowledge(Exchange ex) {
    JsonNode body = object(ex);
    KeyRole role = roles(Json.array().add(body.path("role"))).iterator().next();
    JsonNode version = body.get("version");
    if (version == null || !version.canConvertToInt() || !version.isIntegralNumber() || version.asInt() < 1) {
      throw NgsiLdException.badRequest("version must be a positive integer");
    }
    ArrayNode out = Json.array();
    fleet.acknowledge(device(ex), role, version.asInt()).forEach(k -> out.add(keyJson(k)));
    ex.sendJson(200, JSON, out);
  }

  /**
   * A transport key agreed with a vendor, entered once (hex, 16/24/32 bytes). It enters custody at
   * once as a non-extractable KEK; the answer names it and never repeats it.
   */
  private void transportKey(Exchange ex) {
    String label = ex.pathParam("label");
    if (!label.matches("[A-Za-z0-9._-]{1,64}")) {
      throw NgsiLdException.badRequest("a transport key label is 1 to 64 of A-Z a-z 0-9 . _ -");
    }
    JsonNode body;
    try {
      body = object(ex);
    } catch (NgsiLdException e) {
      // The parser's message quotes the offending token, which here may be the key itself.
      if (e.type() != ErrorType.BAD_REQUEST_DATA) {
        throw e;
      }
      throw NgsiLdException.badRequest("the body must be a JSON object {\"key\": \"<hex>\"} (the parser's details are withheld: they may quote the key)");
    }
    JsonNode key = body.get("key");
    if (key == null || !key.isTextual()) {
      throw NgsiLdException.badRequest("key must be the transport key in hex");
    }
    byte[] bytes;
    try {
      bytes = HEX.parseHex(key.asText());
    } catch (IllegalArgumentException e) {
      throw NgsiLdException.badRequest("key is not hex");
    }
    try (InsecureKeyMaterial material = InsecureKeyMaterial.of(bytes)) {
      OperatorKeys.Registered r = operatorKeys.importTransportKey(label, material);
      ObjectNode o = Json.object();
      o.put("label", r.label()).put("kind", r.kind()).put("backend", fleet.custody().backend().name()).put("created", r.created());
      ex.sendJson(201, JSON, o);
    } catch (IllegalArgumentException e) {
      throw NgsiLdException.badRequest("key is empty");
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  private void importFile(Exchange ex) {
    String transport = ex.param("transportKey").orElseThrow(() -> NgsiLdException.badRequest("transportKey (the label of the transport key) is missing"));
    if (!Set.of("text/csv", "text/plain").contains(ex.contentType())) {
      throw new NgsiLdException(ErrorType.UNSUPPORTED_MEDIA_TYPE, "a vendor key file is text/csv");
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(ex.body())).toString();
    } catch (CharacterCodingException e) {
      throw NgsiLdException.badRequest("a vendor key file is UTF-8 text");
    }
    List<DeviceKey> imported = fleet.importVendorFile(transport, text, new nl.sleutelbos.store.CustodyStorage.DeviceRecord("-",
        label(ex, "supplier"), label(ex, "batch"), label(ex, "region")));
    ObjectNode out = Json.object();
    out.put("imported", imported.size());
    ArrayNode keys = out.putArray("keys");
    imported.forEach(k -> keys.add(keyJson(k)));
    ex.sendJson(201, JSON, out);
  }

  private void startCampaign(Exchange ex) {
    JsonNode body = object(ex);
    Set<KeyRole> roles = roles(body.get("roles"));
    JsonNode s = body.path("selection");
    if (!s.isMissingNode() && !s.isObject()) {
      throw NgsiLdException.badRequest("selection must be an object with any of supplier, batch, region, provenance");
    }
    for (var it = s.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!Set.of("supplier", "batch", "region", "provenance").contains(field) || !s.get(field).isTextual()) {
        throw NgsiLdException.badRequest("selection." + field + " is not one of supplier, batch, region, provenance (strings)");
      }
    }
    Optional<Provenance> provenance;
    try {
      provenance = text(s, "provenance").map(Provenance::valueOf);
    } catch (IllegalArgumentException e) {
      throw NgsiLdException.badRequest("selection.provenance must be one of " + List.of(Provenance.values()));
    }
    Campaign.Selection selection = new Campaign.Selection(text(s, "supplier"), text(s, "batch"), text(s, "region"), provenance);
    String id = campaigns.start(selection, roles, operatorKeys.storageKek(), subject(ex).id());
    ex.header("Location", "/sleutelbos/v1/keys/campaigns/" + id);
    answer(ex, 201, id);
  }

  private static Optional<String> text(JsonNode o, String field) {
    return o.hasNonNull(field) ? Optional.of(o.get(field).asText()) : Optional.empty();
  }

  private static String label(Exchange ex, String name) {
    String value = ex.param(name).orElse("");
    if (!value.matches("[A-Za-z0-9 ._:-]{0,64}")) {
      throw NgsiLdException.badRequest(name + " is at most 64 of A-Z a-z 0-9 space . _ : -");
    }
    return value;
  }

  private void campaign(Exchange ex) {
    answer(ex, 200, campaignId(ex));
  }

  private String campaignId(Exchange ex) {
    String id = ex.pathParam("id");
    if (!campaigns.exists(id)) {
      throw NgsiLdException.notFound("no campaign " + id);
    }
    return id;
  }

  private void answer(Exchange ex, int status, String campaign) {
    ex.sendJson(status, JSON, campaigns.progress(campaign));
  }

  private void requestOperation(Exchange ex) {
    JsonNode body = object(ex);
    Quorum.Kind kind;
    try {
      kind = Quorum.Kind.valueOf(body.path("kind").asText());
    } catch (IllegalArgumentException e) {
      throw NgsiLdException.badRequest("kind must be one of " + List.of(Quorum.Kind.values()));
    }
    String purpose = body.path("purpose").asText("");
    if ((kind == Quorum.Kind.GENERATE_SIGNING_KEY || kind == Quorum.Kind.ROTATE_SIGNING_KEY) && !purpose.matches("[a-z0-9-]{1,40}")) {
      throw NgsiLdException.badRequest("purpose (1 to 40 of a-z 0-9 -, e.g. firmware-cosigning) is required for " + kind);
    }
    Quorum.Operation op = quorum.request(kind, purpose, subject(ex).id());
    ex.header("Location", "/sleutelbos/v1/keys/operations/" + op.id());
    ex.sendJson(201, JSON, json(op));
  }

  private void operations(Exchange ex) {
    ArrayNode out = Json.array();
    quorum.list().forEach(op -> out.add(json(op)));
    ex.sendJson(200, JSON, out);
  }

  private Quorum.Operation operation(Exchange ex) {
    return quorum.get(ex.pathParam("id")).orElseThrow(() -> NgsiLdException.notFound("no operation " + ex.pathParam("id")));
  }

  private void approve(Exchange ex) {
    Subject subject = subject(ex);
    operation(ex);
    ex.sendJson(200, JSON, json(quorum.approve(ex.pathParam("id"), subject.id(), subject.roles())));
  }

  private static ObjectNode json(Quorum.Operation op) {
    ObjectNode o = Json.object();
    o.put("id", op.id()).put("kind", op.kind().name()).put("purpose", op.purpose()).put("requester", op.requester())
        .put("requested", op.requested().toString()).put("expires", op.expires().toString())
        .put("required", op.required()).put("status", op.status().name());
    ArrayNode a = o.putArray("approvals");
    op.approvals().forEach(x -> a.addObject().put("officer", x.officer()).put("at", x.at().toString()));
    o.put("result", op.result());
    return o;
  }

  private void report(Exchange ex) {
    ex.sendJson(200, JSON, CustodyReport.of(fleet, operatorKeys, signingInCustody));
  }

  private static JsonNode object(Exchange ex) {
    JsonNode body = ex.jsonBody(List.of(JSON));
    if (!body.isObject()) {
      throw NgsiLdException.badRequest("the body must be a JSON object");
    }
    return body;
  }

  private static Set<KeyRole> roles(JsonNode roles) {
    if (roles == null || !roles.isArray() || roles.isEmpty()) {
      throw NgsiLdException.badRequest("roles must be a non-empty array of " + List.of(KeyRole.values()));
    }
    Set<KeyRole> out = EnumSet.noneOf(KeyRole.class);
    for (JsonNode r : roles) {
      try {
        out.add(KeyRole.valueOf(r.asText().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw NgsiLdException.badRequest("unknown role " + r + "; known: " + List.of(KeyRole.values()));
      }
    }
    return out;
  }

  private static String device(Exchange ex) {
    String device = ex.pathParam("device");
    if (!device.matches("[A-Za-z0-9._:-]{1,64}")) {
      throw NgsiLdException.badRequest("a device id is 1 to 64 of A-Z a-z 0-9 . _ : -");
    }
    return device;
  }

  private static Subject subject(Exchange ex) {
    return ex.subject().orElseThrow(() -> new NgsiLdException(ErrorType.FORBIDDEN, "no authenticated subject"));
  }
}

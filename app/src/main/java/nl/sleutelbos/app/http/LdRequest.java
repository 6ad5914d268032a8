package nl.sleutelbos.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.ngsild.NgsiLdException;
import nl.sleutelbos.ngsild.context.LdContext;
import nl.sleutelbos.ngsild.entity.EntityReader;
import nl.sleutelbos.ngsild.entity.EntityWriter;

/**
 * The JSON-LD side of one NGSI-LD request (clause 6.3.5): which @context the client speaks, taken
 * from an {@code application/ld+json} body or else the {@code Link} header or else the core
 * context, and how answers carry that context back.
 *
 * @param context the compiled context for expanding and compacting
 * @param contextValue the @context as the client gave it (a URL text node, an object or an array)
 * @param contexts where a Link URL for an inline context comes from, when an answer needs one
 * @param body the request body without its @context, or null for requests without a body
 */
public record LdRequest(LdContext context, JsonNode contextValue, ContextSource contexts, JsonNode body) {
  public static final String JSON = "application/json";
  public static final String LD_JSON = "application/ld+json";
  public static final String GEO_JSON = "application/geo+json";
  public static final String MERGE_PATCH = "application/merge-patch+json";
  private static final String CONTEXT_REL = "http://www.w3.org/ns/json-ld#context";
  private static final Pattern LINK = Pattern.compile("<([^>]*)>\\s*((?:;\\s*[^;,]+)*)");

  /** For requests without a body: the context comes from the Link header or is the core. */
  public static LdRequest of(Exchange exchange, ContextSource contexts) {
    Optional<String> link = linkedContext(exchange);
    if (link.isPresent()) {
      return new LdRequest(contexts.resolve(Json.NODES.textNode(link.get())),
          Json.NODES.textNode(link.get()), contexts, null);
    }
    return new LdRequest(contexts.core(), Json.NODES.textNode(contexts.coreUrl()), contexts, null);
  }

  /** For requests with a JSON body: checks the content type and finds the context. */
  public static LdRequest withBody(Exchange exchange, ContextSource contexts, List<String> contentTypes) {
    JsonNode body = exchange.jsonBody(contentTypes);
    boolean ld = exchange.contentType().equals(LD_JSON);
    JsonNode inline = contextMember(body);
    if (ld) {
      if (inline == null) {
        throw NgsiLdException.badRequest("an application/ld+json body must carry its @context");
      }
      return new LdRequest(contexts.resolve(inline), inline, contexts, stripContext(body));
    }
    if (inline != null) {
      throw NgsiLdException.badRequest("an application/json body must not carry @context; "
          + "send it as application/ld+json or give the context in a Link header");
    }
    LdRequest fromHeader = of(exchange, contexts);
    return new LdRequest(fromHeader.context(), fromHeader.contextValue(), contexts, body);
  }

  public EntityReader reader() {
    return new EntityReader(context);
  }

  public EntityWriter writer() {
    return new EntityWriter(context);
  }

  /** Sends a JSON answer in the negotiated type, with the context as a Link header or in the body. */
  public void send(Exchange exchange, int status, String mediaType, JsonNode body) {
    if (mediaType.equals(LD_JSON)) {
      exchange.sendJson(status, LD_JSON, withContext(body));
      return;
    }
    exchange.header("Link", "<" + contexts.linkFor(contextValue) + ">; rel=\"" + CONTEXT_REL
        + "\"; type=\"application/ld+json\"");
    exchange.sendJson(status, mediaType, body);
  }

  private JsonNode withContext(JsonNode body) {
    if (body instanceof ObjectNode object) {
      ObjectNode out = Json.object();
      out.set("@context", contextValue);
      out.setAll(object);
      return out;
    }
    if (body.isArray()) {
      var out = Json.array();
      for (JsonNode element : body) {
        out.add(withContext(element));
      }
      return out;
    }
    return body;
  }

  private static Optional<String> linkedContext(Exchange exchange) {
    Optional<String> header = exchange.header(Exchange.LINK);
    if (header.isEmpty()) {
      return Optional.empty();
    }
    Matcher m = LINK.matcher(header.get());
    while (m.find()) {
      String params = m.group(2);
      if (params.contains(CONTEXT_REL)) {
        String url = m.group(1).strip();
        EntityReader.requireUri(url, "Link header context URL");
        return Optional.of(url);
      }
    }
    throw NgsiLdException.badRequest("the Link header names no JSON-LD context (rel=\"" + CONTEXT_REL + "\")");
  }

  private static JsonNode contextMember(JsonNode body) {
    if (body.isObject()) {
      return body.get("@context");
    }
    if (body.isArray() && !body.isEmpty() && body.get(0).isObject()) {
      return body.get(0).get("@context");
    }
    return null;
  }

  private static JsonNode stripContext(JsonNode body) {
    if (body instanceof ObjectNode object) {
      ObjectNode copy = object.deepCopy();
      copy.remove("@context");
      return copy;
    }
    return body;
  }
}

package nl.sleutelbos.ngsild;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one JSON configuration of the NGSI-LD layer. Client input is parsed with tight limits
 * (nesting depth, string and number length) so that absurd bodies fail fast with
 * {@code BadRequestData} instead of exhausting the stack or the heap.
 */
public final class Json {
  /** The deepest nesting a client body may have; real NGSI-LD entities need about 10. */
  public static final int MAX_NESTING = 64;

  private static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(MAX_NESTING)
          .maxStringLength(16 << 20)
          .maxNumberLength(256)
          .build())
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  public static final ObjectMapper MAPPER = new ObjectMapper(FACTORY)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** For trusted documents we wrote ourselves: no duplicate check, doubles are fine. */
  private static final ObjectMapper INTERNAL = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  public static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  private Json() {}

  /** Parses a client body; any syntax or limit violation is {@code BadRequestData} naming the spot. */
  public static JsonNode parseClient(byte[] body) {
    if (body.length == 0) {
      throw NgsiLdException.badRequest("the request body is empty; a JSON document is required");
    }
    try {
      JsonNode node = MAPPER.readTree(body);
      if (node == null || node.isMissingNode()) {
        throw NgsiLdException.badRequest("the request body holds no JSON value");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw NgsiLdException.badRequest("the request body is not valid JSON: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr()
              + ", column " + e.getLocation().getColumnNr() + ")"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses a document we stored ourselves. */
  public static ObjectNode parseStored(String document) {
    try {
      return (ObjectNode) INTERNAL.readTree(document);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored document is not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  public static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise JSON", e);
    }
  }

  public static byte[] writeBytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise JSON", e);
    }
  }

  public static ObjectNode object() {
    return NODES.objectNode();
  }

  public static ArrayNode array() {
    return NODES.arrayNode();
  }
}

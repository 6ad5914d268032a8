package nl.sleutelbos.ngsild.context;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/** The package's one JSON mapper and a describer for error messages. */
final class Json {
  /** Rejects trailing garbage, so that {@code {"@context": {}} xyz} is not half-accepted. */
  static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  private Json() {}

  static JsonNode parse(byte[] bytes) throws IOException {
    return MAPPER.readTree(bytes);
  }

  static JsonNode parse(String text) throws IOException {
    return MAPPER.readTree(text);
  }

  /** "a number", "an array", ... for messages that say what was found instead. */
  static String describe(JsonNode node) {
    if (node == null || node.isMissingNode()) return "nothing";
    return switch (node.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT, POJO -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number (" + node + ")";
      case BOOLEAN -> "a boolean (" + node + ")";
      case NULL -> "null";
      default -> node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    };
  }
}

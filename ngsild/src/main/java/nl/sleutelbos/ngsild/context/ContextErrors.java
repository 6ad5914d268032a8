package nl.sleutelbos.ngsild.context;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import nl.sleutelbos.ngsild.ErrorType;
import nl.sleutelbos.ngsild.NgsiLdException;

/** The two ways a JSON-LD {@code @context} fails, with messages that name the culprit. */
final class ContextErrors {
  private ContextErrors() {}

  /**
   * The {@code @context} at {@code url} cannot be obtained, or what came back is not a JSON-LD
   * context document: {@code LdContextNotAvailable} (HTTP 503).
   */
  static NgsiLdException notAvailable(String url, String reason) {
    return new NgsiLdException(
        ErrorType.LD_CONTEXT_NOT_AVAILABLE, "@context " + url + " is not available: " + reason);
  }

  /** The {@code @context} was obtained but breaks the JSON-LD 1.1 rules: {@code BadRequestData}. */
  static NgsiLdException invalid(String detail) {
    return NgsiLdException.badRequest("invalid @context: " + detail);
  }

  /** "a number (42)", "an array", ... for messages that say what was found instead. */
  static String describe(JsonNode node) {
    if (node == null || node.isMissingNode()) return "nothing";
    return switch (node.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT, POJO -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number (" + node + ")";
      case BOOLEAN -> "a boolean (" + node + ")";
      case NULL -> "null";
      default -> node.getNodeType().toString().toLowerCase(Locale.ROOT);
    };
  }
}

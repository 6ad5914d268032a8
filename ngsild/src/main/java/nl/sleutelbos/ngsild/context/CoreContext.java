package nl.sleutelbos.ngsild.context;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;
import nl.sleutelbos.ngsild.Json;

/**
 * The NGSI-LD core {@code @context} of ETSI GS CIM 009 v1.8 (annex B), bundled with the broker so
 * that resolving it never touches the network.
 *
 * <p>The bundled file is the document published at {@link #URL} (Copyright ETSI, BSD-3-Clause). The
 * URLs of the earlier core contexts (the unversioned one and v1.3 to v1.7) are taken to mean this
 * one: the core context is always applied last and its terms win (clause 4.4), so a client naming
 * an older version gets v1.8, as from any v1.8 broker. Later versions (v1.9 and on) are not
 * aliased: they are downloaded like any other remote context.
 */
public final class CoreContext {
  /** The URL of the v1.8 core context, the one this broker implements. */
  public static final String URL =
      "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld";

  /**
   * Expansion of terms no context defines: {@code power} becomes {@code ...default-context/power}.
   */
  public static final String DEFAULT_VOCAB = "https://uri.etsi.org/ngsi-ld/default-context/";

  /** The namespace of the NGSI-LD core terms, for example {@code ...ngsi-ld/hasValue}. */
  public static final String NAMESPACE = "https://uri.etsi.org/ngsi-ld/";

  private static final Set<String> URLS =
      Set.of(
          URL,
          "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld",
          "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.3.jsonld",
          "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.4.jsonld",
          "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.5.jsonld",
          "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.6.jsonld",
          "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.7.jsonld");

  private static final String RESOURCE = "ngsi-ld-core-context-v1.8.jsonld";
  private static final JsonNode DOCUMENT = read();

  private CoreContext() {}

  /**
   * True if {@code url} names the core context (v1.8 or an earlier version); see the class comment.
   */
  public static boolean isCoreUrl(String url) {
    return URLS.contains(url);
  }

  /** A copy of the core context document, {@code {"@context": {...}}}. */
  public static JsonNode document() {
    return DOCUMENT.deepCopy();
  }

  /** The shared {@code @context} value of the document; callers in this package never modify it. */
  static JsonNode contextValue() {
    return DOCUMENT.get("@context");
  }

  private static JsonNode read() {
    try (InputStream in = CoreContext.class.getResourceAsStream(RESOURCE)) {
      if (in == null) throw new IllegalStateException("missing resource " + RESOURCE);
      return Json.MAPPER.readTree(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the bundled core context " + RESOURCE, e);
    }
  }
}

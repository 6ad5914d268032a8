package nl.sleutelbos.ngsild.context;

import java.util.Optional;

/**
 * A compiled JSON-LD {@code @context}: the client's context with the NGSI-LD core context applied
 * last, ready to expand attribute and type names to IRIs and to compact IRIs back. Obtain one from
 * {@link LdContexts#resolve}, or {@link #core()} when a request has no context. Implementations are
 * immutable and thread-safe.
 *
 * <p>The core context's terms and its {@code @vocab} win over the client's, as if the core context
 * were the last entry of the client's {@code @context} array (CIM 009 clause 4.4). So {@code
 * location} always means {@code https://uri.etsi.org/ngsi-ld/location}, and a term no context
 * defines expands under {@value CoreContext#DEFAULT_VOCAB}.
 */
public interface LdContext {

  /** The core context alone: what a request without any {@code @context} uses (clause 5.5.5). */
  static LdContext core() {
    return CompiledContext.CORE;
  }

  /**
   * Expands an attribute name, entity type name or other vocabulary term to its IRI, as JSON-LD
   * IRI expansion with {@code vocab} true does:
   *
   * <ul>
   *   <li>a term the context defines becomes its IRI ({@code type} becomes the keyword {@code
   *       @type});
   *   <li>a compact IRI {@code prefix:suffix} whose prefix is a prefix term becomes the prefix's
   *       IRI followed by the suffix;
   *   <li>any other absolute IRI ({@code urn:x:y}, {@code https://x}) and any keyword is returned
   *       unchanged;
   *   <li>anything else is appended to the {@code @vocab} IRI.
   * </ul>
   *
   * @return the IRI; null only if the context maps {@code term} to null, in which case JSON-LD
   *     drops the member
   */
  String expandTerm(String term);

  /**
   * The shortest name that {@link #expandTerm} turns back into {@code iri}, tried in this order: a
   * term mapped to exactly this IRI (the client's terms before the core's); the IRI without the
   * {@code @vocab} prefix; a compact IRI {@code prefix:suffix}; else {@code iri} itself. The
   * vocabulary comes before compact IRIs, as in JSON-LD IRI compaction, so that {@code
   * ...default-context/power} compacts to {@code power} and not to {@code
   * ngsi-ld:default-context/power}.
   */
  String compactIri(String iri);

  /**
   * The definition of {@code term} in the client's context or the core context, for its {@code
   * @type} ({@code @vocab} values, for instance) and {@code @container} ({@code @language}). The
   * contexts of {@link LdContexts} always answer; the default, empty, suits test doubles.
   */
  default Optional<TermDefinition> definition(String term) {
    return Optional.empty();
  }
}

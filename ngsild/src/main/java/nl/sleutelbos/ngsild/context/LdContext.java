package nl.sleutelbos.ngsild.context;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import nl.sleutelbos.ngsild.context.ContextProcessor.Active;

/**
 * A compiled JSON-LD {@code @context}: the client's context with the NGSI-LD core context applied
 * last, ready to expand attribute and type names to IRIs and to compact IRIs back. Immutable and
 * thread-safe; obtain one from {@link LdContexts#resolve}, or {@link #core()} when the request has
 * no context.
 *
 * <p>The core context's terms and its {@code @vocab} win over the client's, as if the core context
 * were the last entry of the client's {@code @context} array (CIM 009 clause 4.4). So {@code
 * location} always means {@code https://uri.etsi.org/ngsi-ld/location}, and a term no context
 * defines expands under {@value CoreContext#DEFAULT_VOCAB}.
 *
 * <p>Both directions are a hash lookup in the common case: the inverse map is built once.
 */
public final class LdContext {
  private static final LdContext CORE =
      build(TextNode.valueOf(CoreContext.URL), new Active());

  private final JsonNode source;
  private final Map<String, TermDefinition> terms;
  private final String vocab;
  private final Map<String, String> inverse;
  private final List<TermDefinition> prefixes;

  private LdContext(JsonNode source, Map<String, TermDefinition> terms, String vocab) {
    this.source = source;
    this.terms = Map.copyOf(terms);
    this.vocab = vocab;
    this.inverse = inverse(terms.values());
    this.prefixes =
        terms.values().stream()
            .filter(d -> d.prefix() && d.iri() != null)
            .sorted(Comparator.comparing(TermDefinition::term))
            .toList();
  }

  /** The core context alone: what a request without any {@code @context} uses (CIM 009 clause 5.5.5). */
  public static LdContext core() {
    return CORE;
  }

  /** Compiles the user terms {@code user} with the core context applied last. */
  static LdContext build(JsonNode source, Active user) {
    Map<String, TermDefinition> merged = new HashMap<>(user.terms);
    for (TermDefinition d : CoreTerms.TERMS.values()) merged.put(d.term(), d);
    return new LdContext(source, merged, CoreTerms.VOCAB);
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
  public String expandTerm(String term) {
    TermDefinition definition = terms.get(term);
    if (definition != null) return definition.iri();
    if (term.startsWith("@")) return term;
    int colon = term.indexOf(':', 1);
    if (colon > 0) {
      String prefix = term.substring(0, colon);
      String suffix = term.substring(colon + 1);
      if (prefix.equals("_") || suffix.startsWith("//")) return term;
      TermDefinition p = terms.get(prefix);
      if (p != null && p.prefix() && p.iri() != null) return p.iri() + suffix;
      if (Iris.isAbsoluteIri(term)) return term;
    }
    return vocab + term;
  }

  /**
   * The shortest name that {@link #expandTerm} turns back into {@code iri}, tried in this order:
   * a term mapped to exactly this IRI (the client's terms before the core's); the IRI without the
   * {@code @vocab} prefix; a compact IRI {@code prefix:suffix}; else {@code iri} itself. The
   * vocabulary comes before compact IRIs, as in JSON-LD IRI compaction, so that {@code
   * ...default-context/power} compacts to {@code power} and not to {@code
   * ngsi-ld:default-context/power}.
   */
  public String compactIri(String iri) {
    String term = inverse.get(iri);
    if (term != null) return term;
    if (iri.length() > vocab.length() && iri.startsWith(vocab)) {
      String suffix = iri.substring(vocab.length());
      if (iri.equals(expandTerm(suffix))) return suffix;
    }
    String best = null;
    for (TermDefinition p : prefixes) {
      String prefixIri = p.iri();
      if (iri.length() > prefixIri.length() && iri.startsWith(prefixIri)) {
        String candidate = p.term() + ':' + iri.substring(prefixIri.length());
        if ((best == null || isBetter(candidate, best)) && iri.equals(expandTerm(candidate))) {
          best = candidate;
        }
      }
    }
    return best != null ? best : iri;
  }

  /** The definition of {@code term}, if the client's context or the core context has one. */
  public Optional<TermDefinition> definition(String term) {
    return Optional.ofNullable(terms.get(term));
  }

  /** The {@code @vocab} in force: always the core context's, {@value CoreContext#DEFAULT_VOCAB}. */
  public String vocab() {
    return vocab;
  }

  /**
   * The {@code @context} value this was compiled from, as the client gave it (a URL string, an
   * object or an array): what a response in the client's terms carries as its {@code @context} or
   * Link header. For {@link #core()} it is the core context URL.
   */
  public JsonNode source() {
    return source.deepCopy();
  }

  @Override
  public String toString() {
    return "LdContext[" + source + "]";
  }

  private static boolean isBetter(String candidate, String best) {
    return candidate.length() < best.length()
        || candidate.length() == best.length() && candidate.compareTo(best) < 0;
  }

  /**
   * For each IRI the term that compacts to it: the client's terms before the core's, then the
   * shortest, then the first in code point order, so that the choice is stable.
   */
  private static Map<String, String> inverse(Iterable<TermDefinition> definitions) {
    Map<String, TermDefinition> chosen = new HashMap<>();
    for (TermDefinition d : definitions) {
      if (d.iri() == null) continue;
      chosen.merge(d.iri(), d, (a, b) -> preferred(a, b) ? a : b);
    }
    Map<String, String> inverse = new HashMap<>();
    chosen.forEach((iri, d) -> inverse.put(iri, d.term()));
    return Map.copyOf(inverse);
  }

  private static boolean preferred(TermDefinition a, TermDefinition b) {
    if (a.core() != b.core()) return !a.core();
    return a.term().equals(b.term()) || isBetter(a.term(), b.term());
  }

  /** The core context compiled once; overlaid on every client context. */
  private static final class CoreTerms {
    static final Map<String, TermDefinition> TERMS;
    static final String VOCAB;

    static {
      Active core =
          new ContextProcessor(
                  url -> {
                    throw new IllegalStateException("the core context refers to " + url);
                  })
              .process(CoreContext.contextValue())
              .active();
      Map<String, TermDefinition> terms = new HashMap<>();
      core.terms.values().forEach(d -> terms.put(d.term(), d.asCore()));
      TERMS = Map.copyOf(terms);
      VOCAB = requireNonNull(core.vocab, "the core context has no @vocab");
    }
  }

  static List<TermDefinition> coreTerms() {
    return new ArrayList<>(CoreTerms.TERMS.values());
  }
}

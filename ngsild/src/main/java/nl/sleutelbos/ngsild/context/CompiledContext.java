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

/**
 * The {@link LdContext} this package compiles: the client's term definitions merged with the core
 * context's, an inverse map for compaction and the list of prefix terms, all built once. Both
 * directions are a hash lookup in the common case.
 */
final class CompiledContext implements LdContext {
  static final CompiledContext CORE = build(TextNode.valueOf(CoreContext.URL), new ActiveContext());

  private final JsonNode source;
  private final Map<String, TermDefinition> terms;
  private final String vocab;
  private final Map<String, String> inverse;
  private final List<TermDefinition> prefixes;

  private CompiledContext(JsonNode source, Map<String, TermDefinition> terms, String vocab) {
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

  /** Compiles the user terms {@code user} with the core context applied last. */
  static CompiledContext build(JsonNode source, ActiveContext user) {
    Map<String, TermDefinition> merged = new HashMap<>(user.terms);
    for (TermDefinition d : CoreTerms.TERMS.values()) merged.put(d.term(), d);
    return new CompiledContext(source, merged, CoreTerms.VOCAB);
  }

  @Override
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

  @Override
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

  @Override
  public Optional<TermDefinition> definition(String term) {
    return Optional.ofNullable(terms.get(term));
  }

  /** The {@code @vocab} in force: always the core context's. */
  String vocab() {
    return vocab;
  }

  /** Shows the {@code @context} value this was compiled from. */
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

  /** The core context's definitions, for tests. */
  static List<TermDefinition> coreTerms() {
    return new ArrayList<>(CoreTerms.TERMS.values());
  }

  /** The core context compiled once; overlaid on every client context. */
  private static final class CoreTerms {
    static final Map<String, TermDefinition> TERMS;
    static final String VOCAB;

    static {
      ActiveContext core =
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
}

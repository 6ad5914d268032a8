package nl.sleutelbos.ngsild.context;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;
import nl.sleutelbos.ngsild.Json;

/** For any plain term, whether a context maps it or not: {@code compactIri(expandTerm(t)) == t}. */
class RoundTripProperties {

  @Property(tries = 300)
  void compactingAnExpandedTermGivesTheTermBack(
      @ForAll @Size(max = 25) Set<@From("terms") String> terms,
      @ForAll @Size(max = 25) Set<@From("terms") String> mapped) {
    LdContext ctx = compile(mapped);

    for (String t : terms) {
      assertThat(ctx.compactIri(ctx.expandTerm(t))).as(t).isEqualTo(t);
    }
    for (String t : mapped) {
      assertThat(ctx.compactIri(ctx.expandTerm(t))).as(t).isEqualTo(t);
    }
  }

  @Property(tries = 100)
  void expandingACompactedIriGivesTheIriBack(
      @ForAll @Size(max = 25) Set<@From("terms") String> mapped, @ForAll("iris") String iri) {
    LdContext ctx = compile(mapped);

    assertThat(ctx.expandTerm(ctx.compactIri(iri))).isEqualTo(iri);
  }

  /** NCName-like words, with the core context's own terms mixed in. */
  @Provide
  Arbitrary<String> terms() {
    Arbitrary<String> words =
        Arbitraries.strings()
            .withCharRange('a', 'z')
            .withCharRange('A', 'Z')
            .withCharRange('0', '9')
            .withChars('_', '-', '.')
            .ofMinLength(0)
            .ofMaxLength(11)
            .flatMap(rest -> Arbitraries.of('a', 'q', 'Z', '_').map(first -> first + rest));
    Arbitrary<String> coreTerms =
        Arbitraries.of(CompiledContext.coreTerms().stream().map(TermDefinition::term).toList());
    return Arbitraries.frequencyOf(Tuple.of(4, words), Tuple.of(1, coreTerms));
  }

  @Provide
  Arbitrary<String> iris() {
    Arbitrary<String> tails =
        Arbitraries.strings().withCharRange('a', 'z').withChars('/', '#', ':').ofMaxLength(10);
    return Arbitraries.of(
            "https://example.org/ns/",
            "https://example.org/other/",
            CoreContext.DEFAULT_VOCAB,
            CoreContext.NAMESPACE,
            "https://purl.org/geojson/vocab#",
            "urn:ngsi-ld:",
            "http://x.org/")
        .flatMap(base -> tails.map(tail -> base + tail));
  }

  /** Maps each of {@code mapped} to its own IRI, and declares one prefix. */
  static LdContext compile(Set<String> mapped) {
    ObjectNode context = Json.object();
    context.put("ex", "https://example.org/other/");
    for (String t : mapped) context.put(t, "https://example.org/ns/" + t);
    return LdContextTest.compile(context, Map.of());
  }
}

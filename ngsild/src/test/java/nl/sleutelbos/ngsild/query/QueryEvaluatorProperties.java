package nl.sleutelbos.ngsild.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Generated queries, aimed at the attributes of one entity, evaluate without surprises. */
class QueryEvaluatorProperties {
  private static final List<String> NAMES =
      List.of("power", "name", "tags", "refGrid", "address", "label", "missing");

  private static final ObjectNode ENTITY = entity();

  private static ObjectNode entity() {
    try {
      return (ObjectNode)
          new ObjectMapper()
              .readTree(
                  """
                  {"id": "urn:x", "type": ["T"],
                   "power": [{"type": "Property", "value": 3.2, "observedAt": "2026-01-01T10:00:00Z",
                              "name": {"type": "Property", "value": "sub"}},
                             {"type": "Property", "value": [1, "a", true, null, {"b": 2}], "datasetId": "urn:d"}],
                   "name": [{"type": "Property", "value": "2024-03-15"}],
                   "tags": [{"type": "Property", "value": ["12:00:00Z", "2026-01-01T00:00:00Z", 5]}],
                   "refGrid": [{"type": "Relationship", "object": ["urn:a", "urn:b"]}],
                   "address": [{"type": "Property", "value": {"a": {"b": "x"}, "ж": [1, 2]}}],
                   "label": [{"type": "LanguageProperty", "languageMap": {"a": "x", "b": ["y", 3]}}]}
                  """);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Provide
  Arbitrary<Query> queries() {
    // Point every name at one of the entity's attributes, so that most terms find something.
    return QueryArbitraries.queries()
        .map(q -> q.mapAttributes(t -> NAMES.get(Math.floorMod(t.hashCode(), NAMES.size()))));
  }

  @Property(tries = 500)
  void logicFollowsTheTerms(@ForAll("queries") Query query) {
    boolean result = query.predicate().test(ENTITY);
    switch (query) {
      case And and -> assertThat(result).isEqualTo(and.terms().stream().allMatch(this::holds));
      case Or or -> assertThat(result).isEqualTo(or.terms().stream().anyMatch(this::holds));
      case NotExists n -> assertThat(result).isNotEqualTo(holds(new Exists(n.path())));
      case Comparison c when c.operator() == Operator.UNEQUAL ->
          // != never holds where == cannot find a target at all.
          assertThat(!result || holds(new Exists(c.path()))).isTrue();
      default -> {}
    }
  }

  private boolean holds(Query query) {
    return query.predicate().test(ENTITY);
  }
}

package nl.sleutelbos.ngsild.query;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The printer and the parser are each other's inverse on every valid tree. */
class QueryRoundTripProperties {

  @Provide
  Arbitrary<Query> queries() {
    return QueryArbitraries.queries();
  }

  @Property(tries = 1000)
  void printedQueriesParseBackToTheSameTree(@ForAll("queries") Query query) {
    String printed = query.toString();
    Query parsed = QueryParser.parse(printed);
    assertThat(parsed).as(printed).isEqualTo(query);
    assertThat(parsed.toString()).isEqualTo(printed);
  }

  @Property(tries = 300)
  void expansionKeepsTheRoundTrip(@ForAll("queries") Query query) {
    Query expanded = query.mapAttributes(t -> t.contains(":") ? t : "https://example.org/ns/" + t);
    assertThat(QueryParser.parse(expanded.toString())).isEqualTo(expanded);
  }

  @Property(tries = 300)
  void everyQueryCompilesToAPredicate(@ForAll("queries") Query query) {
    assertThat(query.predicate()).isNotNull();
  }
}

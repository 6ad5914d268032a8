package nl.sleutelbos.ngsild.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import nl.sleutelbos.ngsild.ErrorType;
import nl.sleutelbos.ngsild.NgsiLdException;

/**
 * Whatever the text, {@link QueryParser#parse} returns a query or throws an {@link NgsiLdException}
 * of a client error type; and what it accepts it prints back faithfully.
 */
class QueryParserRobustnessProperties {

  @Provide
  Arbitrary<String> randomText() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withChars(QueryArbitraries.ALPHABET).ofMaxLength(40),
        Arbitraries.strings().all().ofMaxLength(20));
  }

  /** One edit: delete, duplicate or insert a character at a relative position. */
  record Edit(int kind, double where, char inserted) {
    String apply(String text) {
      int at = (int) (where * text.length());
      return switch (kind) {
        case 0 ->
            text.isEmpty()
                ? text
                : text.substring(0, at) + text.substring(Math.min(at + 1, text.length()));
        case 1 -> at < text.length() ? text.substring(0, at + 1) + text.substring(at) : text;
        default -> text.substring(0, at) + inserted + text.substring(at);
      };
    }
  }

  @Provide
  Arbitrary<String> mutatedQueries() {
    Arbitrary<Edit> edits =
        Combinators.combine(
                Arbitraries.integers().between(0, 2),
                Arbitraries.doubles().between(0, 1).filter(d -> d < 1),
                Arbitraries.of(QueryArbitraries.ALPHABET.chars().mapToObj(c -> (char) c).toList()))
            .as(Edit::new);
    return Combinators.combine(QueryArbitraries.queries(), edits.list().ofMinSize(1).ofMaxSize(4))
        .as(
            (query, list) -> {
              String text = query.toString();
              for (Edit edit : list) {
                text = edit.apply(text);
              }
              return text;
            });
  }

  @Property(tries = 1000)
  void randomTextParsesOrFailsAsBadRequest(@ForAll("randomText") String text) {
    parsesOrFailsCleanly(text);
  }

  @Property(tries = 1000)
  void mutatedQueriesParseOrFailAsBadRequest(@ForAll("mutatedQueries") String text) {
    parsesOrFailsCleanly(text);
  }

  @Property(tries = 50)
  void deepOrLongTextFailsAsTooComplex(@ForAll("deepText") String text) {
    parsesOrFailsCleanly(text);
  }

  @Provide
  Arbitrary<String> deepText() {
    return Arbitraries.of("(", "[", "a~=(", "a~=[", "\"", "a.", "a==1;", "\\")
        .flatMap(s -> Arbitraries.integers().between(1, 2100).map(s::repeat));
  }

  private static void parsesOrFailsCleanly(String text) {
    Query query;
    try {
      query = QueryParser.parse(text);
    } catch (NgsiLdException e) {
      assertThat(e.type()).isIn(ErrorType.BAD_REQUEST_DATA, ErrorType.TOO_COMPLEX_QUERY);
      assertThat(e.getMessage()).startsWith("q: ");
      return;
    }
    // Accepted text has a canonical form that reads back to the same tree.
    assertThat(QueryParser.parse(query.toString())).as(text).isEqualTo(query);
    assertThat(List.of(query)).isNotEmpty();
  }
}

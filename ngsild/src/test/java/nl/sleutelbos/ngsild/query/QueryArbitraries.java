package nl.sleutelbos.ngsild.query;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import nl.sleutelbos.ngsild.query.Value.BooleanValue;
import nl.sleutelbos.ngsild.query.Value.DateTimeValue;
import nl.sleutelbos.ngsild.query.Value.DateValue;
import nl.sleutelbos.ngsild.query.Value.NumberValue;
import nl.sleutelbos.ngsild.query.Value.Range;
import nl.sleutelbos.ngsild.query.Value.StringValue;
import nl.sleutelbos.ngsild.query.Value.TimeValue;
import nl.sleutelbos.ngsild.query.Value.UriValue;
import nl.sleutelbos.ngsild.query.Value.ValueList;

/**
 * Random valid query trees, with every construct of the grammar and the awkward cases: IRI names
 * with dots, compound keys holding delimiters, strings with quotes and control characters, regexes
 * that need quoting.
 */
final class QueryArbitraries {
  /** The characters queries are made of, for random and mutated text. */
  static final String ALPHABET = "abcxyzé019_.:/[]()!=<>~;|,\"\\-+eETZ* ";

  private QueryArbitraries() {}

  static Arbitrary<Query> queries() {
    return Arbitraries.recursive(QueryArbitraries::term, QueryArbitraries::combined, 0, 3);
  }

  private static Arbitrary<Query> combined(Arbitrary<Query> below) {
    Arbitrary<List<Query>> terms = below.list().ofMinSize(2).ofMaxSize(3);
    return Arbitraries.oneOf(below, terms.map(And::new), terms.map(Or::new));
  }

  static Arbitrary<Query> term() {
    Arbitrary<AttributePath> paths = paths();
    return Arbitraries.oneOf(
        paths.map(Exists::new),
        paths.map(NotExists::new),
        Combinators.combine(
                paths, Arbitraries.of(Operator.EQUAL, Operator.UNEQUAL), equalityValues())
            .as(Comparison::new),
        Combinators.combine(
                paths,
                Arbitraries.of(
                    Operator.GREATER, Operator.GREATER_EQ, Operator.LESS, Operator.LESS_EQ),
                comparableValues())
            .as(Comparison::new),
        Combinators.combine(paths, Arbitraries.of(true, false), regexes()).as(PatternMatch::new));
  }

  static Arbitrary<AttributePath> paths() {
    Arbitrary<String> segment =
        Arbitraries.oneOf(
            terms(), Arbitraries.of(List.copyOf(AttributePath.MEMBERS)), compactIris());
    return Combinators.combine(names(), segment.list().ofMaxSize(2), keys().list().ofMaxSize(2))
        .as(AttributePath::new);
  }

  static Arbitrary<String> names() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, terms()),
        net.jqwik.api.Tuple.of(1, compactIris()),
        net.jqwik.api.Tuple.of(1, absoluteIris()));
  }

  static Arbitrary<String> terms() {
    Arbitrary<Character> first = Arbitraries.of('a', 'b', 'p', 'T', 'é', 'ж', '中');
    Arbitrary<String> rest = Arbitraries.strings().withChars("abxyzAZ09_é٣").ofMaxLength(6);
    return Combinators.combine(first, rest).as((f, r) -> f + r);
  }

  private static Arbitrary<String> compactIris() {
    Arbitrary<String> rest =
        Arbitraries.strings().withChars("abc09_-/#:").ofMinLength(1).ofMaxLength(6);
    return Combinators.combine(terms(), rest).as((p, r) -> p + ":" + r);
  }

  private static Arbitrary<String> absoluteIris() {
    Arbitrary<String> base =
        Arbitraries.of(
            "https://example.org/",
            "https://smartdatamodels.org/dataModel.Energy/",
            "http://www.w3.org/ns/sosa#",
            "urn:ngsi-ld:",
            "https://uri.etsi.org/ngsi-ld/default-context/");
    return Combinators.combine(base, terms()).as(String::concat);
  }

  private static Arbitrary<String> keys() {
    return Arbitraries.strings()
        .withChars("abcXé09_$-@:*#+/%~!=<>;|(),")
        .ofMinLength(1)
        .ofMaxLength(5);
  }

  static Arbitrary<Value> equalityValues() {
    Arbitrary<Value> single = singles();
    return Arbitraries.oneOf(
        single, single.list().ofMinSize(2).ofMaxSize(4).map(ValueList::new), ranges());
  }

  static Arbitrary<Value> singles() {
    return Arbitraries.oneOf(
        comparableValues(),
        Arbitraries.of(true, false).map(BooleanValue::new),
        uris().map(UriValue::new));
  }

  static Arbitrary<Value> comparableValues() {
    return Arbitraries.oneOf(numbers(), strings(), dateTimes(), dates(), times());
  }

  private static Arbitrary<Value> ranges() {
    return Arbitraries.oneOf(numbers(), strings(), dateTimes(), dates(), times())
        .flatMap(
            kind ->
                Arbitraries.oneOf(numbers(), strings(), dateTimes(), dates(), times())
                    .filter(other -> other.getClass() == kind.getClass())
                    .map(other -> new Range(kind, other)));
  }

  private static Arbitrary<Value> numbers() {
    return Combinators.combine(Arbitraries.longs(), Arbitraries.integers().between(-20, 20))
        .as(
            (unscaled, scale) ->
                new NumberValue(new BigDecimal(BigInteger.valueOf(unscaled), scale)));
  }

  private static Arbitrary<Value> strings() {
    return Arbitraries.oneOf(
            Arbitraries.strings().all().ofMaxLength(8),
            Arbitraries.strings().withChars(ALPHABET).ofMaxLength(8))
        .map(StringValue::new);
  }

  private static Arbitrary<String> dateText() {
    return Combinators.combine(
            Arbitraries.integers().between(1000, 9999),
            Arbitraries.integers().between(1, 12),
            Arbitraries.integers().between(1, 28))
        .as((y, m, d) -> "%04d-%02d-%02d".formatted(y, m, d));
  }

  private static Arbitrary<String> timeText() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 23),
            Arbitraries.integers().between(0, 59),
            Arbitraries.of("", ":07", ":59.5", ":00.123456789"))
        .as((h, m, s) -> "%02d:%02d%s".formatted(h, m, s));
  }

  private static Arbitrary<Value> dateTimes() {
    return Combinators.combine(dateText(), timeText(), Arbitraries.of("", "Z", "+01:00", "-05:30"))
        .as((d, t, z) -> new DateTimeValue(d + "T" + t + z));
  }

  private static Arbitrary<Value> dates() {
    return dateText().map(DateValue::new);
  }

  private static Arbitrary<Value> times() {
    return Combinators.combine(timeText(), Arbitraries.of("", "Z"))
        .as((t, z) -> new TimeValue(t + z));
  }

  private static Arbitrary<String> uris() {
    Arbitrary<String> rest =
        Arbitraries.strings().withChars("abz09-._~:/?#@!$&'*+=%é").ofMaxLength(12);
    Arbitrary<String> withScheme =
        Combinators.combine(Arbitraries.of("urn:ngsi-ld:", "https://", "ex:", "mailto:"), rest)
            .as(String::concat);
    return Arbitraries.oneOf(withScheme, terms());
  }

  static Arbitrary<String> regexes() {
    Arbitrary<String> samples =
        Arbitraries.of(
            "^Mer.*",
            "(?i)mercedes",
            "a|b",
            "(a|b);c",
            "[;|)]+x",
            "\\d+\"x",
            "\\Q;)\\E",
            "a b",
            "\"quoted\"",
            "x\\\\",
            "\\)",
            "[)(]",
            "=x",
            "[\\]]",
            "((a)|(b))*?$");
    Arbitrary<String> quotedLiterals =
        Arbitraries.strings().all().ofMaxLength(6).map(Pattern::quote);
    Arbitrary<String> literals =
        Arbitraries.strings()
            .withChars("abc.*+?^$ ;")
            .ofMinLength(1)
            .ofMaxLength(6)
            .filter(QueryArbitraries::compiles);
    return Arbitraries.oneOf(samples, quotedLiterals, literals);
  }

  private static boolean compiles(String regex) {
    try {
      Pattern.compile(regex);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }
}

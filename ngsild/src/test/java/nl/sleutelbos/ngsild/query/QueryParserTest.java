package nl.sleutelbos.ngsild.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.math.BigDecimal;
import java.util.List;
import java.util.stream.Stream;
import nl.sleutelbos.ngsild.ErrorType;
import nl.sleutelbos.ngsild.NgsiLdException;
import nl.sleutelbos.ngsild.query.Value.BooleanValue;
import nl.sleutelbos.ngsild.query.Value.DateTimeValue;
import nl.sleutelbos.ngsild.query.Value.DateValue;
import nl.sleutelbos.ngsild.query.Value.NumberValue;
import nl.sleutelbos.ngsild.query.Value.Range;
import nl.sleutelbos.ngsild.query.Value.StringValue;
import nl.sleutelbos.ngsild.query.Value.TimeValue;
import nl.sleutelbos.ngsild.query.Value.UriValue;
import nl.sleutelbos.ngsild.query.Value.ValueList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class QueryParserTest {

  private static AttributePath path(String name) {
    return AttributePath.of(name);
  }

  private static Comparison cmp(String name, Operator op, Value value) {
    return new Comparison(path(name), op, value);
  }

  private static NumberValue num(String n) {
    return new NumberValue(new BigDecimal(n));
  }

  @Test
  void anAttributeOnItsOwnTestsExistence() {
    assertThat(QueryParser.parse("temperature")).isEqualTo(new Exists(path("temperature")));
  }

  @Test
  void anExclamationMarkTestsAbsence() {
    assertThat(QueryParser.parse("!temperature")).isEqualTo(new NotExists(path("temperature")));
  }

  @Test
  void everyComparisonOperatorIsRead() {
    assertThat(QueryParser.parse("a==1")).isEqualTo(cmp("a", Operator.EQUAL, num("1")));
    assertThat(QueryParser.parse("a!=1")).isEqualTo(cmp("a", Operator.UNEQUAL, num("1")));
    assertThat(QueryParser.parse("a>1")).isEqualTo(cmp("a", Operator.GREATER, num("1")));
    assertThat(QueryParser.parse("a>=1")).isEqualTo(cmp("a", Operator.GREATER_EQ, num("1")));
    assertThat(QueryParser.parse("a<1")).isEqualTo(cmp("a", Operator.LESS, num("1")));
    assertThat(QueryParser.parse("a<=1")).isEqualTo(cmp("a", Operator.LESS_EQ, num("1")));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0",
        "-3",
        "20",
        "3.25",
        "-0.5",
        "1e3",
        "1E-7",
        "-2.5e+10",
        "12345678901234567890.5"
      })
  void numbersAreJsonNumbersKeptExactly(String number) {
    assertThat(QueryParser.parse("power==" + number))
        .isEqualTo(cmp("power", Operator.EQUAL, num(number)));
  }

  @Test
  void quotedStringsResolveJsonEscapes() {
    assertThat(QueryParser.parse("brandName!=\"Mercedes\""))
        .isEqualTo(cmp("brandName", Operator.UNEQUAL, new StringValue("Mercedes")));
    assertThat(QueryParser.parse("s==\"a\\\"b\\\\c\\/d\\n\\u00e9;|)\""))
        .isEqualTo(cmp("s", Operator.EQUAL, new StringValue("a\"b\\c/d\né;|)")));
  }

  @Test
  void booleansAreRead() {
    assertThat(QueryParser.parse("on==true"))
        .isEqualTo(cmp("on", Operator.EQUAL, new BooleanValue(true)));
    assertThat(QueryParser.parse("on!=false"))
        .isEqualTo(cmp("on", Operator.UNEQUAL, new BooleanValue(false)));
  }

  @Test
  void dateTimesDatesAndTimesKeepTheirText() {
    assertThat(QueryParser.parse("temperature.observedAt>=2017-12-24T12:00:00Z"))
        .isEqualTo(
            new Comparison(
                new AttributePath("temperature", List.of("observedAt"), List.of()),
                Operator.GREATER_EQ,
                new DateTimeValue("2017-12-24T12:00:00Z")));
    assertThat(QueryParser.parse("t<2017-12-24T12:00:00.123+01:00"))
        .isEqualTo(cmp("t", Operator.LESS, new DateTimeValue("2017-12-24T12:00:00.123+01:00")));
    assertThat(QueryParser.parse("d==2024-02-29"))
        .isEqualTo(cmp("d", Operator.EQUAL, new DateValue("2024-02-29")));
    assertThat(QueryParser.parse("t>12:00:00Z"))
        .isEqualTo(cmp("t", Operator.GREATER, new TimeValue("12:00:00Z")));
  }

  @Test
  void unquotedUrisAndBareWordsAreUris() {
    assertThat(QueryParser.parse("refMeter==urn:ngsi-ld:Meter:1"))
        .isEqualTo(cmp("refMeter", Operator.EQUAL, new UriValue("urn:ngsi-ld:Meter:1")));
    assertThat(QueryParser.parse("x==https://example.org/a/../b?c=d#e"))
        .isEqualTo(cmp("x", Operator.EQUAL, new UriValue("https://example.org/a/../b?c=d#e")));
    assertThat(QueryParser.parse("gender==Male"))
        .isEqualTo(cmp("gender", Operator.EQUAL, new UriValue("Male")));
  }

  @Test
  void rangesOfEachComparableKind() {
    assertThat(QueryParser.parse("temperature==10..20"))
        .isEqualTo(cmp("temperature", Operator.EQUAL, new Range(num("10"), num("20"))));
    assertThat(QueryParser.parse("t!=-5.5..-1"))
        .isEqualTo(cmp("t", Operator.UNEQUAL, new Range(num("-5.5"), num("-1"))));
    assertThat(QueryParser.parse("n==\"a\"..\"m\""))
        .isEqualTo(cmp("n", Operator.EQUAL, new Range(new StringValue("a"), new StringValue("m"))));
    assertThat(QueryParser.parse("d==2020-01-01..2020-12-31"))
        .isEqualTo(
            cmp(
                "d",
                Operator.EQUAL,
                new Range(new DateValue("2020-01-01"), new DateValue("2020-12-31"))));
    assertThat(QueryParser.parse("t==10:00:00.5..11:00"))
        .isEqualTo(
            cmp(
                "t",
                Operator.EQUAL,
                new Range(new TimeValue("10:00:00.5"), new TimeValue("11:00"))));
  }

  @Test
  void valueListsMixKindsAndUris() {
    assertThat(QueryParser.parse("color==\"black\",\"red\""))
        .isEqualTo(
            cmp(
                "color",
                Operator.EQUAL,
                new ValueList(List.of(new StringValue("black"), new StringValue("red")))));
    assertThat(QueryParser.parse("x!=1,true,urn:a:b,2020-01-01"))
        .isEqualTo(
            cmp(
                "x",
                Operator.UNEQUAL,
                new ValueList(
                    List.of(
                        num("1"),
                        new BooleanValue(true),
                        new UriValue("urn:a:b"),
                        new DateValue("2020-01-01")))));
  }

  @Test
  void patternsAreReadInEverySpelling() {
    assertThat(QueryParser.parse("name~=^Mer.*"))
        .isEqualTo(new PatternMatch(path("name"), false, "^Mer.*"));
    assertThat(QueryParser.parse("name=~^Mer.*"))
        .isEqualTo(new PatternMatch(path("name"), false, "^Mer.*"));
    assertThat(QueryParser.parse("name!~=^Mer"))
        .isEqualTo(new PatternMatch(path("name"), true, "^Mer"));
    assertThat(QueryParser.parse("name!~^Mer"))
        .isEqualTo(new PatternMatch(path("name"), true, "^Mer"));
  }

  @Test
  void anUnquotedRegexEndsAtATopLevelDelimiter() {
    assertThat(QueryParser.parse("n~=(?i)^(ab|c\\;d)[;|)]+;x"))
        .isEqualTo(
            new And(
                List.of(
                    new PatternMatch(path("n"), false, "(?i)^(ab|c\\;d)[;|)]+"),
                    new Exists(path("x")))));
    assertThat(QueryParser.parse("(n~=a|b)"))
        .isEqualTo(new Or(List.of(new PatternMatch(path("n"), false, "a"), new Exists(path("b")))));
  }

  @Test
  void aQuotedRegexKeepsBackslashesButQuotes() {
    assertThat(QueryParser.parse("n~=\"\\d+\\\"x\\\\.y|z\""))
        .isEqualTo(new PatternMatch(path("n"), false, "\\d+\"x\\.y|z"));
  }

  @Test
  void andBindsTighterThanOr() {
    Query a = cmp("a", Operator.EQUAL, num("1"));
    Query b = cmp("b", Operator.EQUAL, num("2"));
    Query c = cmp("c", Operator.EQUAL, num("3"));
    assertThat(QueryParser.parse("a==1;b==2|c==3"))
        .isEqualTo(new Or(List.of(new And(List.of(a, b)), c)));
    assertThat(QueryParser.parse("a==1|b==2;c==3"))
        .isEqualTo(new Or(List.of(a, new And(List.of(b, c)))));
    assertThat(QueryParser.parse("a==1;(b==2|c==3)"))
        .isEqualTo(new And(List.of(a, new Or(List.of(b, c)))));
  }

  @Test
  void parenthesesNestAndKeepTheirGrouping() {
    Query speed = cmp("speed", Operator.GREATER, num("50"));
    Query rpm = cmp("rpm", Operator.GREATER, num("3000"));
    Query brand = cmp("brandName", Operator.EQUAL, new StringValue("Mercedes"));
    assertThat(QueryParser.parse("((speed>50|rpm>3000);brandName==\"Mercedes\")"))
        .isEqualTo(new And(List.of(new Or(List.of(speed, rpm)), brand)));
    assertThat(QueryParser.parse("(((a)))")).isEqualTo(new Exists(path("a")));
    assertThat(QueryParser.parse("(a;b);c"))
        .isEqualTo(
            new And(
                List.of(
                    new And(List.of(new Exists(path("a")), new Exists(path("b")))),
                    new Exists(path("c")))));
  }

  @Test
  void pathsHaveDotsAndBrackets() {
    assertThat(QueryParser.parse("address[city]==\"Berlin\""))
        .isEqualTo(
            new Comparison(
                new AttributePath("address", List.of(), List.of("city")),
                Operator.EQUAL,
                new StringValue("Berlin")));
    assertThat(QueryParser.parse("sensor.rawdata[airquality.particulate]==40"))
        .isEqualTo(
            new Comparison(
                new AttributePath(
                    "sensor", List.of("rawdata"), List.of("airquality", "particulate")),
                Operator.EQUAL,
                num("40")));
    assertThat(QueryParser.parse("a.b[c][d]"))
        .isEqualTo(new Exists(new AttributePath("a", List.of("b"), List.of("c", "d"))));
    assertThat(QueryParser.parse("température_2.été"))
        .isEqualTo(new Exists(new AttributePath("température_2", List.of("été"), List.of())));
  }

  @Test
  void attributeNamesMayBeIris() {
    assertThat(QueryParser.parse("https://example.org/temp>3"))
        .isEqualTo(cmp("https://example.org/temp", Operator.GREATER, num("3")));
    assertThat(QueryParser.parse("ex:temp>3"))
        .isEqualTo(cmp("ex:temp", Operator.GREATER, num("3")));
    assertThat(
            QueryParser.parse(
                "https://smartdatamodels.org/dataModel.Energy/power.observedAt<2020-01-01T00:00:00Z"))
        .isEqualTo(
            new Comparison(
                new AttributePath(
                    "https://smartdatamodels.org/dataModel.Energy/power",
                    List.of("observedAt"),
                    List.of()),
                Operator.LESS,
                new DateTimeValue("2020-01-01T00:00:00Z")));
    assertThat(QueryParser.parse("ex:a.ex:b.c[d]"))
        .isEqualTo(new Exists(new AttributePath("ex:a", List.of("ex:b", "c"), List.of("d"))));
    assertThat(QueryParser.parse("urn:ngsi-ld:x==urn:ngsi-ld:y"))
        .isEqualTo(cmp("urn:ngsi-ld:x", Operator.EQUAL, new UriValue("urn:ngsi-ld:y")));
  }

  @Test
  void canonicalTextUsesTheClauseSpellingAndMinimalParentheses() {
    assertThat(QueryParser.parse("(a=~x);((b|c));d[e][f]!~\"y z\"").toString())
        .isEqualTo("a~=x;(b|c);d[e.f]!~=y z");
    assertThat(QueryParser.parse("(a;b)|(c;d)").toString()).isEqualTo("a;b|c;d");
    assertThat(QueryParser.parse("n~=\"a|b\"").toString()).isEqualTo("n~=\"a|b\"");
    assertThat(QueryParser.parse("s==\"tab\\there\"").toString()).isEqualTo("s==\"tab\\there\"");
  }

  static Stream<Arguments> syntaxErrors() {
    return Stream.of(
        arguments("power>=;x", "expected a value after '>=' at position 8"),
        arguments("", "expected an attribute name at position 1"),
        arguments("a;", "expected an attribute name at position 3"),
        arguments("1==1", "expected an attribute name at position 1"),
        arguments("a==1 ;b", "expected ';', '|' or ')' after the value at position 5"),
        arguments(
            "a b", "expected an operator, ';', '|' or ')' after the attribute path at position 2"),
        arguments("!a==1", "expected ';', '|' or ')' after the attribute path at position 3"),
        arguments("a=1", "expected one of == != > >= < <= ~= !~= at position 2"),
        arguments("(a==1", "expected ')' to close the '(' from position 1 at position 6"),
        arguments("a==1)", "unexpected ')' without a matching '(' at position 5"),
        arguments("a==", "expected a value after '==' at position 4"),
        arguments("a==\"x", "expected a closing '\"' for the string opened at position 4"),
        arguments(
            "a==\"\\q\"",
            "expected a JSON escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX) at position 5"),
        arguments("a==\"\\u12\"", "expected four hex digits after \\u at position 5"),
        arguments(
            "a>true", "expected a number, string, dateTime, date or time after '>' at position 3"),
        arguments(
            "a>1,2",
            "expected a single value after '>' (lists and ranges need == or !=) at position 4"),
        arguments(
            "a==1,2..3",
            "expected ',' or the end of the value list (a list holds no ranges) at position 7"),
        arguments(
            "a==1..\"x\"",
            "expected range bounds that are both numbers, strings, dateTimes, dates or times at"
                + " position 4"),
        arguments("a==2020-02-30", "expected a valid date but found '2020-02-30' at position 4"),
        arguments("a==25:00", "expected a valid time but found '25:00' at position 4"),
        arguments("a==007", "expected a value after '==' but found '007' at position 4"),
        arguments(
            "a==1e999999999999",
            "expected a number within range but found '1e999999999999' at position 4"),
        arguments("a~=(x", "expected a valid regular expression (Unclosed group) at position 4"),
        arguments("a~=", "expected a regular expression after '~=' at position 4"),
        arguments(
            "a~=\"x", "expected a closing '\"' for the regular expression opened at position 4"),
        arguments("a.", "expected a sub-attribute name after '.' at position 3"),
        arguments("a[b", "expected '.' or ']' in the compound-value path at position 4"),
        arguments("a[]", "expected a member name in the compound-value path at position 3"),
        arguments("ex:>1", "expected the rest of the IRI after ':' at position 4"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("syntaxErrors")
  void syntaxErrorsSayWhatWasExpectedWhereAndQuoteTheQuery(String query, String expected) {
    assertThatThrownBy(() -> QueryParser.parse(query))
        .isInstanceOf(QuerySyntaxException.class)
        .hasMessage("q: " + expected + " in \"" + query + "\"")
        .extracting(e -> ((NgsiLdException) e).type())
        .isEqualTo(ErrorType.BAD_REQUEST_DATA);
  }

  @Test
  void positionsCountCodePoints() {
    assertThatThrownBy(() -> QueryParser.parse("\uD835\uDC9Cb c"))
        .isInstanceOfSatisfying(
            QuerySyntaxException.class, e -> assertThat(e.position()).isEqualTo(3));
  }

  @Test
  void longQueriesAreQuotedAsAnExcerpt() {
    String q = "a==1;".repeat(40) + "b>";
    assertThatThrownBy(() -> QueryParser.parse(q))
        .hasMessageStartingWith("q: expected a value after '>' at position 203 in \"…")
        .hasMessageEndingWith("a==1;b>\"");
  }

  @Test
  void tooLongOrTooDeepIsTooComplex() {
    assertThatThrownBy(() -> QueryParser.parse("a".repeat(QueryParser.MAX_LENGTH + 1)))
        .isInstanceOf(NgsiLdException.class)
        .extracting(e -> ((NgsiLdException) e).type())
        .isEqualTo(ErrorType.TOO_COMPLEX_QUERY);
    String deep = "(".repeat(33) + "a" + ")".repeat(33);
    assertThatThrownBy(() -> QueryParser.parse(deep))
        .extracting(e -> ((NgsiLdException) e).type())
        .isEqualTo(ErrorType.TOO_COMPLEX_QUERY);
    assertThat(QueryParser.parse("(".repeat(32) + "a" + ")".repeat(32)))
        .isEqualTo(new Exists(path("a")));
    assertThatThrownBy(() -> QueryParser.parse("a~=" + "(".repeat(40) + ")".repeat(40)))
        .extracting(e -> ((NgsiLdException) e).type())
        .isEqualTo(ErrorType.TOO_COMPLEX_QUERY);
  }
}

package nl.sleutelbos.ngsild.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import nl.sleutelbos.ngsild.ErrorType;
import nl.sleutelbos.ngsild.NgsiLdException;
import org.junit.jupiter.api.Test;

/** Queries against small entities in the internal form; names are short for reading. */
class QueryEvaluatorTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final ObjectNode METER =
      entity(
          """
          {
            "id": "urn:ngsi-ld:Meter:001",
            "type": ["Meter"],
            "power": [
              {"type": "Property", "value": 3.2, "unitCode": "KWT",
               "observedAt": "2026-01-01T10:00:00Z",
               "accuracy": [{"type": "Property", "value": 0.1}]},
              {"type": "Property", "value": 7, "datasetId": "urn:ngsi-ld:Dataset:peak",
               "observedAt": "2026-01-02T10:00:00Z"}
            ],
            "name": [{"type": "Property", "value": "Meter in de Kerkstraat"}],
            "active": [{"type": "Property", "value": true}],
            "installed": [{"type": "Property", "value": "2024-03-15"}],
            "readAt": [{"type": "Property", "value": "06:30:00Z"}],
            "refGrid": [{"type": "Relationship", "object": "urn:ngsi-ld:Grid:7"}],
            "address": [{"type": "Property",
                         "value": {"city": "Utrecht", "street": {"name": "Kerkstraat", "number": 12}}}],
            "tags": [{"type": "Property", "value": ["red", "blue", 5]}],
            "label": [{"type": "LanguageProperty", "languageMap": {"nl": "meter", "en": ["meter", "gauge"]}}],
            "location": [{"type": "GeoProperty", "value": {"type": "Point", "coordinates": [5.1, 52.1]}}]
          }
          """);

  private static ObjectNode entity(String json) {
    try {
      return (ObjectNode) JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static boolean matches(String q) {
    return QueryParser.parse(q).predicate().test(METER);
  }

  @Test
  void numbersCompareNumericallyOverAnyInstance() {
    assertThat(matches("power==3.2")).isTrue();
    assertThat(matches("power==3.20")).isTrue();
    assertThat(matches("power==7.0")).isTrue();
    assertThat(matches("power>5")).isTrue();
    assertThat(matches("power>7")).isFalse();
    assertThat(matches("power>=7")).isTrue();
    assertThat(matches("power<3.2")).isFalse();
    assertThat(matches("power<=3.2")).isTrue();
    assertThat(matches("power==\"3.2\"")).isFalse();
  }

  @Test
  void unequalHoldsWhenSomeInstanceDiffersAndNeverForAMissingAttribute() {
    assertThat(matches("power!=3.2")).isTrue(); // the peak instance is 7
    assertThat(matches("name!=\"other\"")).isTrue();
    assertThat(matches("name!=\"Meter in de Kerkstraat\"")).isFalse();
    assertThat(matches("name!=5")).isTrue(); // another type is unequal (clause 4.9)
    assertThat(matches("missing!=5")).isFalse();
  }

  @Test
  void stringsCompareLexicographicallyAndByPattern() {
    assertThat(matches("name==\"Meter in de Kerkstraat\"")).isTrue();
    assertThat(matches("name>\"Meter\"")).isTrue();
    assertThat(matches("name<\"Meter\"")).isFalse();
    assertThat(matches("name~=Kerk")).isTrue();
    assertThat(matches("name~=(?i)^meter")).isTrue();
    assertThat(matches("name~=^Kerk")).isFalse();
    assertThat(matches("name!~=^Kerk")).isTrue();
    assertThat(matches("name!~=Kerk")).isFalse();
    assertThat(matches("power~=3")).isFalse(); // numbers are not strings
    assertThat(matches("power!~=3")).isFalse();
  }

  @Test
  void rangesIncludeBothBounds() {
    assertThat(matches("power==3.2..4")).isTrue();
    assertThat(matches("power==1..3.2")).isTrue();
    assertThat(matches("power==7.5..9")).isFalse();
    assertThat(matches("name==\"M\"..\"N\"")).isTrue();
    assertThat(matches("installed==2024-01-01..2024-12-31")).isTrue();
    assertThat(matches("installed!=2024-01-01..2024-12-31")).isFalse();
    assertThat(matches("readAt==06:00..07:00")).isTrue();
  }

  @Test
  void listsMatchAnyMember() {
    assertThat(matches("power==1,2,7")).isTrue();
    assertThat(matches("power==1,2")).isFalse();
    assertThat(matches("power!=3.2,7")).isFalse();
    assertThat(matches("name==\"x\",\"Meter in de Kerkstraat\"")).isTrue();
  }

  @Test
  void booleansAreEqualOrNot() {
    assertThat(matches("active==true")).isTrue();
    assertThat(matches("active==false")).isFalse();
    assertThat(matches("active!=false")).isTrue();
    assertThat(matches("active==\"true\"")).isFalse();
  }

  @Test
  void datesAndTimesCompareInTimeOrderWhenTheTargetReadsAsOne() {
    assertThat(matches("power.observedAt>=2026-01-02T00:00:00Z")).isTrue();
    assertThat(matches("power.observedAt>2026-01-03T00:00:00Z")).isFalse();
    assertThat(matches("power.observedAt==2026-01-01T11:00:00+01:00")).isTrue();
    assertThat(matches("installed>2024-03-14")).isTrue();
    assertThat(matches("installed<2024-03-15")).isFalse();
    assertThat(matches("readAt<07:00:00Z")).isTrue();
    assertThat(matches("name<2024-03-15")).isFalse(); // not a date
    assertThat(matches("power.observedAt>2024-03-15")).isFalse(); // a dateTime is not a date
  }

  @Test
  void relationshipsCompareTheirObjectByEqualityOnly() {
    assertThat(matches("refGrid==urn:ngsi-ld:Grid:7")).isTrue();
    assertThat(matches("refGrid==\"urn:ngsi-ld:Grid:7\"")).isTrue();
    assertThat(matches("refGrid!=urn:ngsi-ld:Grid:8")).isTrue();
    assertThat(matches("refGrid==urn:ngsi-ld:Grid:1,urn:ngsi-ld:Grid:7")).isTrue();
    assertThat(matches("refGrid>\"urn\"")).isFalse();
    assertThat(matches("refGrid~=Grid")).isFalse();
  }

  @Test
  void dotSegmentsReachMembersAndSubAttributes() {
    assertThat(matches("power.unitCode==\"KWT\"")).isTrue();
    assertThat(matches("power.datasetId==urn:ngsi-ld:Dataset:peak")).isTrue();
    assertThat(matches("power.datasetId==urn:ngsi-ld:Dataset:other")).isFalse();
    assertThat(matches("power.accuracy<0.5")).isTrue();
    assertThat(matches("power.accuracy>0.5")).isFalse();
    assertThat(matches("power.accuracy")).isTrue();
    assertThat(matches("power.precision")).isFalse();
    assertThat(matches("power.observedAt")).isTrue();
    assertThat(matches("power.value==7")).isTrue();
    assertThat(matches("power.type==\"Property\"")).isTrue();
  }

  @Test
  void bracketsNavigateIntoCompoundValues() {
    assertThat(matches("address[city]==\"Utrecht\"")).isTrue();
    assertThat(matches("address[street.number]>=12")).isTrue();
    assertThat(matches("address[street][name]~=straat$")).isTrue();
    assertThat(matches("address[street.floor]")).isFalse();
    assertThat(matches("address[city]")).isTrue();
    assertThat(matches("!address[zip]")).isTrue();
    assertThat(matches("location[type]==\"Point\"")).isTrue();
  }

  @Test
  void existenceAndNonExistence() {
    assertThat(matches("power")).isTrue();
    assertThat(matches("!power")).isFalse();
    assertThat(matches("missing")).isFalse();
    assertThat(matches("!missing")).isTrue();
  }

  @Test
  void arrayTargetsMatchAnyElementAndUnequalNone() {
    assertThat(matches("tags==\"red\"")).isTrue();
    assertThat(matches("tags==5")).isTrue();
    assertThat(matches("tags==\"green\",\"blue\"")).isTrue();
    assertThat(matches("tags!=\"red\"")).isFalse();
    assertThat(matches("tags!=\"green\"")).isTrue();
    assertThat(matches("tags>4")).isTrue();
    assertThat(matches("tags~=^bl")).isTrue();
    assertThat(matches("tags!~=^r")).isFalse();
    assertThat(matches("tags!~=^g")).isTrue();
  }

  @Test
  void languagePropertiesCompareAnyValueOrTheChosenLanguage() {
    assertThat(matches("label==\"gauge\"")).isTrue();
    assertThat(matches("label!=\"gauge\"")).isFalse();
    assertThat(matches("label[nl]==\"meter\"")).isTrue();
    assertThat(matches("label[nl]==\"gauge\"")).isFalse();
    assertThat(matches("label[*]==\"gauge\"")).isTrue();
    assertThat(matches("label[en]~=^g")).isTrue();
    assertThat(matches("label[fr]")).isFalse();
  }

  @Test
  void logicCombinesTerms() {
    assertThat(matches("power>5;active==true")).isTrue();
    assertThat(matches("power>5;active==false")).isFalse();
    assertThat(matches("power>50|active==true")).isTrue();
    assertThat(matches("(power>50|missing);active==true")).isFalse();
    assertThat(matches("power>50;active==false|name~=Kerk")).isTrue();
  }

  @Test
  void expandedQueriesMatchExpandedEntities() {
    ObjectNode expanded =
        entity(
            """
            {"id": "urn:x", "type": ["https://ex.org/T"],
             "https://ex.org/power": [{"type": "Property", "value": 4, "observedAt": "2026-01-01T00:00:00Z",
               "https://ex.org/accuracy": {"type": "Property", "value": 0.2}}]}
            """);
    Query q =
        QueryParser.parse("power.accuracy<1;power.observedAt<2027-01-01T00:00:00Z;power==4")
            .mapAttributes(term -> "https://ex.org/" + term);
    assertThat(q.predicate().test(expanded)).isTrue();
  }

  @Test
  void catastrophicRegexesAreRefusedNotRunForever() {
    ObjectNode entity =
        entity("{\"s\": [{\"type\": \"Property\", \"value\": \"" + "a".repeat(30) + "!\"}]}");
    EntityPredicate p = QueryParser.parse("s~=(.*a){20}$").predicate();
    assertThatThrownBy(() -> p.test(entity))
        .isInstanceOf(NgsiLdException.class)
        .extracting(e -> ((NgsiLdException) e).type())
        .isEqualTo(ErrorType.TOO_COMPLEX_QUERY);
  }

  @Test
  void predicatesCombine() {
    EntityPredicate yes = QueryParser.parse("power").predicate();
    EntityPredicate no = QueryParser.parse("missing").predicate();
    assertThat(EntityPredicate.all().test(METER)).isTrue();
    assertThat(EntityPredicate.and().test(METER)).isTrue();
    assertThat(EntityPredicate.and(yes, EntityPredicate.all()).test(METER)).isTrue();
    assertThat(EntityPredicate.and(yes, no).test(METER)).isFalse();
  }
}

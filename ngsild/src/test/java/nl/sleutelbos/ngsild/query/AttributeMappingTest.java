package nl.sleutelbos.ngsild.query;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AttributeMappingTest {
  private static String expand(String term) {
    return term.contains(":") ? term : "https://uri.etsi.org/ngsi-ld/default-context/" + term;
  }

  @Test
  void namesAndSubAttributesAreExpandedMembersAndCompoundKeysAreNot() {
    Query q =
        QueryParser.parse(
            "power.accuracy.observedAt>2020-01-01T00:00:00Z;address[city.name]==\"x\"|"
                + "!refMeter.datasetId;ex:a.unitCode~=K;b.value.c");
    assertThat(q.mapAttributes(AttributeMappingTest::expand).toString())
        .isEqualTo(
            "https://uri.etsi.org/ngsi-ld/default-context/power"
                + ".https://uri.etsi.org/ngsi-ld/default-context/accuracy.observedAt>2020-01-01T00:00:00Z"
                + ";https://uri.etsi.org/ngsi-ld/default-context/address[city.name]==\"x\""
                + "|!https://uri.etsi.org/ngsi-ld/default-context/refMeter.datasetId"
                + ";ex:a.unitCode~=K;https://uri.etsi.org/ngsi-ld/default-context/b.value"
                + ".https://uri.etsi.org/ngsi-ld/default-context/c");
  }

  @Test
  void expandedQueriesParseBackToTheSameTree() {
    Query q = QueryParser.parse("power.accuracy.observedAt>2020-01-01T00:00:00Z;a.b[c]");
    Query expanded = q.mapAttributes(t -> "https://smartdatamodels.org/dataModel.Energy/" + t);
    assertThat(QueryParser.parse(expanded.toString())).isEqualTo(expanded);
  }
}

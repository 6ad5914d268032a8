package nl.sleutelbos.ngsild.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import nl.sleutelbos.ngsild.Json;
import org.junit.jupiter.api.Test;

class QueryHintsTest {
  private static final String P = "https://e.org/";

  /** Keys and texts together, keys quoted as they appear in the stored text. */
  private static Set<String> hints(String q) {
    QueryHints hints = QueryHints.of(Query.parse(q).mapAttributes(a -> P + a));
    Set<String> all = new java.util.HashSet<>(hints.texts());
    hints.keys().forEach(k -> all.add('"' + k + '"'));
    return all;
  }

  @Test
  void conjunctsNeedTheirAttributeAndEqualStrings() {
    assertThat(hints("town==\"Utrecht\";power>3"))
        .containsExactlyInAnyOrder("\"https://e.org/town\"", "\"Utrecht\"", "\"https://e.org/power\"");
    assertThat(hints("vendor==urn:ngsi-ld:Vendor:a")).contains("\"urn:ngsi-ld:Vendor:a\"");
    assertThat(hints("tamper")).containsExactly("\"https://e.org/tamper\"");
  }

  @Test
  void disjunctionsNegationsAndEscapableTextGiveNoHints() {
    assertThat(hints("a==1|b==2")).isEmpty();
    assertThat(hints("!a")).isEmpty();
    assertThat(hints("name==\"Zoë\"")).containsExactly("\"https://e.org/name\"");
    assertThat(hints("name!=\"x\"")).containsExactly("\"https://e.org/name\"");
    assertThat(hints("power==1.50")).containsExactly("\"https://e.org/power\"");
  }

  /** Soundness: whatever matches contains every hint in its stored text. */
  @Test
  void everyMatchingDocumentContainsTheHints() {
    List<String> entities = List.of(
        "{\"id\":\"urn:a\",\"type\":[\"T\"],\"https://e.org/town\":[{\"type\":\"Property\",\"value\":\"Utrecht\"}],"
            + "\"https://e.org/power\":[{\"type\":\"Property\",\"value\":5,\"observedAt\":\"2026-01-01T00:00:00Z\"}]}",
        "{\"id\":\"urn:b\",\"type\":[\"T\"],\"https://e.org/town\":[{\"type\":\"Property\",\"value\":[\"Delft\",\"Utrecht\"]}],"
            + "\"https://e.org/vendor\":[{\"type\":\"Relationship\",\"object\":\"urn:ngsi-ld:Vendor:a\"}]}",
        "{\"id\":\"urn:c\",\"type\":[\"T\"],\"https://e.org/address\":[{\"type\":\"Property\",\"value\":{\"city\":\"Arnhem\"}}],"
            + "\"https://e.org/label\":[{\"type\":\"LanguageProperty\",\"languageMap\":{\"nl\":\"meter\"}}]}");
    List<String> queries = List.of("town==\"Utrecht\"", "town==\"Utrecht\";power>1", "vendor==urn:ngsi-ld:Vendor:a",
        "address[city]==\"Arnhem\"", "label[nl]==\"meter\"", "power.observedAt>=2025-01-01T00:00:00Z",
        "town~=\"Utr\"", "town!=\"Delft\"", "(town==\"Delft\"|power==5);town");
    int matches = 0;
    for (String json : entities) {
      ObjectNode entity = (ObjectNode) Json.parseClient(json.getBytes(StandardCharsets.UTF_8));
      String stored = Json.write(entity);
      for (String q : queries) {
        Query query = Query.parse(q).mapAttributes(a -> P + a);
        if (query.predicate().test(entity)) {
          matches++;
          QueryHints hints = QueryHints.of(query);
          assertThat(hints.texts()).allSatisfy(f -> assertThat(stored).as(q).contains(f));
          assertThat(hints.keys()).allSatisfy(k -> assertThat(entity.has(k)).as(q).isTrue());
        }
      }
    }
    assertThat(matches).isGreaterThan(6);
  }
}

package nl.sleutelbos.ngsild.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nl.sleutelbos.ngsild.ErrorType;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.ngsild.NgsiLdException;
import org.junit.jupiter.api.Test;

class LdContextTest {
  private static final String NGSI_LD = "https://uri.etsi.org/ngsi-ld/";
  private static final String DEFAULT = "https://uri.etsi.org/ngsi-ld/default-context/";
  private static final String SDM = "https://smartdatamodels.org/dataModel.Device/";

  /** A Smart Data Models style context: types, attributes, a prefix, terms out of order. */
  private static final String DEVICE_CONTEXT =
      """
      {
        "name": "sdm:name",
        "sdm": "https://smartdatamodels.org/",
        "Device": "https://smartdatamodels.org/dataModel.Device/Device",
        "category": {"@id": "https://smartdatamodels.org/dataModel.Device/category", "@type": "@vocab"},
        "controlledProperty": {"@id": "sdm:dataModel.Device/controlledProperty", "@container": "@set"},
        "location": "https://example.org/notTheCoreLocation",
        "@vocab": "https://example.org/vocab/"
      }
      """;

  @Test
  void theCoreContextAloneExpandsItsTermsAndPutsUnknownOnesUnderTheDefaultVocabulary() {
    LdContext core = LdContext.core();

    assertThat(core.expandTerm("location")).isEqualTo(NGSI_LD + "location");
    assertThat(core.expandTerm("Property")).isEqualTo(NGSI_LD + "Property");
    assertThat(core.expandTerm("GeoProperty")).isEqualTo(NGSI_LD + "GeoProperty");
    assertThat(core.expandTerm("Point")).isEqualTo("https://purl.org/geojson/vocab#Point");
    assertThat(core.expandTerm("languageMap")).isEqualTo(NGSI_LD + "hasLanguageMap");
    assertThat(core.expandTerm("value")).isEqualTo(NGSI_LD + "hasValue");
    assertThat(core.expandTerm("description")).isEqualTo("http://purl.org/dc/terms/description");
    assertThat(core.expandTerm("type")).isEqualTo("@type");
    assertThat(core.expandTerm("id")).isEqualTo("@id");
    assertThat(core.expandTerm("power")).isEqualTo(DEFAULT + "power");
    assertThat(core.expandTerm("attributeCount")).isEqualTo(DEFAULT + "attributeCount");
  }

  @Test
  void absoluteIrisAndKeywordsAreLeftAloneAndCompactIrisUseTheirPrefix() {
    LdContext core = LdContext.core();

    assertThat(core.expandTerm("https://example.org/power")).isEqualTo("https://example.org/power");
    assertThat(core.expandTerm("urn:ngsi-ld:Meter:001")).isEqualTo("urn:ngsi-ld:Meter:001");
    assertThat(core.expandTerm("@type")).isEqualTo("@type");
    assertThat(core.expandTerm("ngsi-ld:somethingNew")).isEqualTo(NGSI_LD + "somethingNew");
    assertThat(core.expandTerm("geojson:Point")).isEqualTo("https://purl.org/geojson/vocab#Point");
    assertThat(core.expandTerm("_:b0")).isEqualTo("_:b0");
  }

  @Test
  void theCoreContextCompactsWhatItExpands() {
    LdContext core = LdContext.core();

    assertThat(core.compactIri(DEFAULT + "power")).isEqualTo("power");
    assertThat(core.compactIri(NGSI_LD + "hasValue")).isEqualTo("value");
    assertThat(core.compactIri(NGSI_LD + "somethingNew")).isEqualTo("ngsi-ld:somethingNew");
    assertThat(core.compactIri("https://example.org/power")).isEqualTo("https://example.org/power");
    assertThat(core.compactIri("@type")).isEqualTo("type");
    assertThat(core.compactIri("urn:ngsi-ld:Meter:001")).isEqualTo("urn:ngsi-ld:Meter:001");
    for (TermDefinition d : CompiledContext.coreTerms()) {
      assertThat(core.compactIri(core.expandTerm(d.term()))).as(d.term()).isEqualTo(d.term());
    }
  }

  @Test
  void theCoreContextHasTheTermsOfV18WithTheirTypesAndContainers() {
    LdContext core = LdContext.core();

    assertThat(CompiledContext.coreTerms()).hasSize(181);
    assertThat(core.definition("observedAt").orElseThrow().typeMapping())
        .isEqualTo(NGSI_LD + "DateTime");
    assertThat(core.definition("languageMap").orElseThrow().containers())
        .containsExactly("@language");
    assertThat(core.definition("vocab").orElseThrow().typeMapping()).isEqualTo("@vocab");
    assertThat(core.definition("ngsi-ld").orElseThrow().prefix()).isTrue();
    assertThat(core.definition("location").orElseThrow().isProtected()).isTrue();
    assertThat(core.definition("location").orElseThrow().core()).isTrue();
    assertThat(CompiledContext.CORE.vocab()).isEqualTo(DEFAULT);
    assertThat(core.toString()).contains(CoreContext.URL);
  }

  @Test
  void aUserContextAddsItsTermsButCannotOverrideTheCoreOnes() {
    LdContext ctx = compile(json(DEVICE_CONTEXT));

    assertThat(ctx.expandTerm("Device")).isEqualTo(SDM + "Device");
    assertThat(ctx.expandTerm("category")).isEqualTo(SDM + "category");
    assertThat(ctx.expandTerm("controlledProperty")).isEqualTo(SDM + "controlledProperty");
    assertThat(ctx.expandTerm("name")).isEqualTo("https://smartdatamodels.org/name");
    assertThat(ctx.expandTerm("sdm:other")).isEqualTo("https://smartdatamodels.org/other");
    assertThat(ctx.expandTerm("location"))
        .as("core terms are protected")
        .isEqualTo(NGSI_LD + "location");
    assertThat(ctx.expandTerm("power"))
        .as("the core @vocab applies last")
        .isEqualTo(DEFAULT + "power");
    assertThat(ctx.definition("category").orElseThrow().typeMapping()).isEqualTo("@vocab");
    assertThat(ctx.definition("controlledProperty").orElseThrow().containers())
        .containsExactly("@set");
    assertThat(ctx.definition("Device").orElseThrow().core()).isFalse();
  }

  @Test
  void aUserContextCompactsToItsOwnTermsThenPrefixes() {
    LdContext ctx = compile(json(DEVICE_CONTEXT));

    assertThat(ctx.compactIri(SDM + "Device")).isEqualTo("Device");
    assertThat(ctx.compactIri(SDM + "category")).isEqualTo("category");
    assertThat(ctx.compactIri("https://smartdatamodels.org/other")).isEqualTo("sdm:other");
    assertThat(ctx.compactIri("https://example.org/notTheCoreLocation"))
        .as("the user's location term lost to the core's, so it must not compact to 'location'")
        .isEqualTo("https://example.org/notTheCoreLocation");
    assertThat(ctx.compactIri(NGSI_LD + "location")).isEqualTo("location");
    assertThat(ctx.compactIri(DEFAULT + "power")).isEqualTo("power");
  }

  @Test
  void whenUserAndCoreTermsMapToTheSameIriTheUsersTermWins() {
    LdContext ctx = compile(json("{\"v\": \"https://uri.etsi.org/ngsi-ld/hasValue\"}"));

    assertThat(ctx.expandTerm("value")).isEqualTo(NGSI_LD + "hasValue");
    assertThat(ctx.compactIri(NGSI_LD + "hasValue")).isEqualTo("v");
  }

  @Test
  void amongUserTermsForOneIriTheShortestThenTheFirstInOrderWins() {
    LdContext ctx =
        compile(
            json(
                "{\"temperature\": \"https://x.org/t\", \"temp\": \"https://x.org/t\", \"tmp2\":"
                    + " \"https://x.org/t\"}"));

    assertThat(ctx.compactIri("https://x.org/t")).isEqualTo("temp");
  }

  @Test
  void aTermMappedToNullIsDropped() {
    LdContext ctx = compile(json("{\"secret\": null}"));

    assertThat(ctx.expandTerm("secret")).isNull();
    assertThat(ctx.definition("secret").orElseThrow().isNull()).isTrue();
    assertThat(ctx.compactIri(DEFAULT + "secret"))
        .as("'secret' no longer names this IRI, so a compact IRI must")
        .isEqualTo("ngsi-ld:default-context/secret");
  }

  @Test
  void aCompactIriThroughAnUndefinedPrefixIsAnAbsoluteIri() {
    LdContext ctx = compile(json("{\"ex\": \"https://example.org/ns#\"}"));

    assertThat(ctx.expandTerm("ex:power")).isEqualTo("https://example.org/ns#power");
    assertThat(ctx.expandTerm("other:power")).isEqualTo("other:power");
    assertThat(ctx.compactIri("https://example.org/ns#power")).isEqualTo("ex:power");
  }

  @Test
  void aTermWithoutGenDelimIsNoPrefixUnlessDeclaredOne() {
    LdContext plain = compile(json("{\"ex\": \"https://example.org/ns\"}"));
    LdContext declared =
        compile(json("{\"ex\": {\"@id\": \"https://example.org/ns\", \"@prefix\": true}}"));

    assertThat(plain.expandTerm("ex:power")).isEqualTo("ex:power");
    assertThat(declared.expandTerm("ex:power")).isEqualTo("https://example.org/nspower");
  }

  @Test
  void remoteContextsInAnArrayAreLoadedInOrderAndLaterTermsWin() {
    Map<String, String> remote =
        Map.of(
            "https://a.example/ctx.jsonld",
            "{\"power\": \"https://a.example/power\", \"energy\":"
                + " \"https://a.example/energy\"}",
            "https://b.example/ctx.jsonld",
            "[\"https://a.example/ctx.jsonld\", {\"energy\": \"https://b.example/energy\"}]");
    LdContext ctx =
        compile(
            json(
                "[\"https://b.example/ctx.jsonld\", {\"x\": \"https://c.example/x\"}, \""
                    + CoreContext.URL
                    + "\"]"),
            remote);

    assertThat(ctx.expandTerm("power")).isEqualTo("https://a.example/power");
    assertThat(ctx.expandTerm("energy")).isEqualTo("https://b.example/energy");
    assertThat(ctx.expandTerm("x")).isEqualTo("https://c.example/x");
  }

  @Test
  void coreContextUrlsOfEveryVersionAreSkippedWithoutLoading() {
    LdContext ctx =
        compile(
            json(
                """
                ["https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld",
                 "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.3.jsonld",
                 "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.7.jsonld",
                 {"x": "https://c.example/x"}]
                """));

    assertThat(ctx.expandTerm("x")).isEqualTo("https://c.example/x");
  }

  @Test
  void importMergesTheImportedObjectUnderTheImportingOne() {
    Map<String, String> remote =
        Map.of(
            "https://a.example/base.jsonld",
            "{\"power\": \"https://a.example/power\", \"energy\": \"https://a.example/energy\"}");
    LdContext ctx =
        compile(
            json(
                "{\"@import\": \"https://a.example/base.jsonld\", \"energy\":"
                    + " \"https://b.example/energy\"}"),
            remote);

    assertThat(ctx.expandTerm("power")).isEqualTo("https://a.example/power");
    assertThat(ctx.expandTerm("energy")).isEqualTo("https://b.example/energy");
  }

  @Test
  void aProtectedUserTermMayBeRepeatedButNotRedefined() {
    assertThat(
            compile(
                    json(
                        """
                        [{"@protected": true, "x": "https://a.example/x"}, {"x": "https://a.example/x"}]
                        """))
                .expandTerm("x"))
        .isEqualTo("https://a.example/x");

    assertBadRequest(
        json(
            """
            [{"@protected": true, "x": "https://a.example/x"}, {"x": "https://b.example/x"}]
            """),
        "protected term redefinition");
    assertBadRequest(
        json("[{\"x\": {\"@id\": \"https://a.example/x\", \"@protected\": true}}, null]"),
        "invalid context nullification");
  }

  @Test
  void nullInAnArrayForgetsTheTermsBeforeIt() {
    LdContext ctx =
        compile(json("[{\"x\": \"https://a.example/x\"}, null, {\"y\": \"https://a.example/y\"}]"));

    assertThat(ctx.expandTerm("x")).isEqualTo(DEFAULT + "x");
    assertThat(ctx.expandTerm("y")).isEqualTo("https://a.example/y");
  }

  @Test
  void versionProtectedAndScopedContextsAreAccepted() {
    LdContext ctx =
        compile(
            json(
                """
                {"@version": 1.1, "@protected": true,
                 "address": {"@id": "https://schema.org/address", "@context": {"street": "https://schema.org/street"}},
                 "@language": "nl", "@base": null}
                """));

    assertThat(ctx.expandTerm("address")).isEqualTo("https://schema.org/address");
    assertThat(ctx.definition("address").orElseThrow().isProtected()).isTrue();
  }

  @Test
  void syntacticallyInvalidContextsAreBadRequestData() {
    assertBadRequest(json("{\"power\": 42}"), "invalid term definition for 'power'");
    assertBadRequest(json("{\"power\": [\"https://x\"]}"), "invalid term definition for 'power'");
    assertBadRequest(json("{\"power\": {\"@id\": 42}}"), "invalid IRI mapping for 'power'");
    assertBadRequest(
        json("{\"power\": {\"@id\": \"https://x/p\", \"@container\": \"@bag\"}}"),
        "invalid container mapping");
    assertBadRequest(
        json("{\"power\": {\"@id\": \"https://x/p\", \"@type\": 3}}"), "invalid type mapping");
    assertBadRequest(
        json("{\"power\": {\"@id\": \"https://x/p\", \"color\": \"red\"}}"),
        "unexpected member 'color'");
    assertBadRequest(json("{\"@version\": 1.0}"), "invalid @version value");
    assertBadRequest(json("{\"@vocab\": 7}"), "invalid vocab mapping");
    assertBadRequest(json("{\"@protected\": \"yes\"}"), "invalid @protected value");
    assertBadRequest(json("{\"@id\": \"https://x/id\"}"), "keyword redefinition");
    assertBadRequest(json("{\"a\": \"b:x\", \"b\": \"a:y\"}"), "cyclic IRI mapping");
    assertBadRequest(json("{\"\": \"https://x/empty\"}"), "empty string");
    assertBadRequest(json("[{\"a\": \"https://x/a\"}, 42]"), "invalid local context");
    assertBadRequest(json("true"), "invalid local context");
    assertBadRequest(json("\"relative/ctx.jsonld\""), "not absolute");
    assertBadRequest(json("{\"@import\": 3}"), "invalid @import value");
  }

  @Test
  void aTermThatLooksLikeAnIriMustMeanThatIri() {
    assertThat(
            compile(
                    json(
                        "{\"ex\": \"https://e.org/\", \"ex:a\": {\"@id\": \"https://e.org/a\","
                            + " \"@type\": \"@id\"}}"))
                .expandTerm("ex:a"))
        .isEqualTo("https://e.org/a");
    assertBadRequest(
        json("{\"ex\": \"https://e.org/\", \"ex:a\": \"https://other.org/a\"}"),
        "looks like an IRI");
  }

  @Test
  void remoteContextErrorsNameTheUrlAndRecursionIsCaught() {
    Map<String, String> remote =
        Map.of(
            "https://bad.example/ctx.jsonld", "{\"power\": 42}",
            "https://loop.example/a.jsonld", "[\"https://loop.example/b.jsonld\"]",
            "https://loop.example/b.jsonld", "{\"@context\": \"https://loop.example/a.jsonld\"}");

    assertThatThrownBy(() -> compile(json("\"https://bad.example/ctx.jsonld\""), remote))
        .isInstanceOfSatisfying(
            NgsiLdException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.BAD_REQUEST_DATA))
        .hasMessageContaining("https://bad.example/ctx.jsonld")
        .hasMessageContaining("'power'");
    assertThatThrownBy(() -> compile(json("\"https://loop.example/a.jsonld\""), remote))
        .isInstanceOfSatisfying(
            NgsiLdException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.BAD_REQUEST_DATA))
        .hasMessageContaining("recursive context inclusion");
  }

  @Test
  void deeplyNestedRemoteContextsOverflow() {
    java.util.HashMap<String, String> chain = new java.util.HashMap<>();
    for (int i = 0; i < 20; i++) {
      chain.put("https://deep.example/" + i, "\"https://deep.example/" + (i + 1) + "\"");
    }
    chain.put("https://deep.example/20", "{}");
    assertThatThrownBy(() -> compile(json("\"https://deep.example/0\""), chain))
        .isInstanceOfSatisfying(
            NgsiLdException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.BAD_REQUEST_DATA))
        .hasMessageContaining("context overflow");
  }

  /**
   * A fixed-sample twin of {@link RoundTripProperties}, so the guarantee does not rest on one tool.
   */
  @Test
  void compactingAnExpandedTermGivesTheTermBackForAFixedSample() {
    Set<String> words =
        Set.of(
            "power",
            "Device",
            "category",
            "a",
            "Z",
            "_x",
            "a.b",
            "x-y",
            "ex",
            "https",
            "urn",
            "type",
            "id",
            "location",
            "value",
            "ngsi-ld",
            "geojson",
            "attributeCount",
            "Meter",
            "q1");
    for (Set<String> mapped :
        List.of(Set.<String>of(), words, Set.of("power", "type", "ex", "https", "a"))) {
      LdContext ctx = RoundTripProperties.compile(mapped);
      for (String t : words) {
        assertThat(ctx.compactIri(ctx.expandTerm(t))).as(t + " with " + mapped).isEqualTo(t);
      }
      for (TermDefinition d : CompiledContext.coreTerms()) {
        assertThat(ctx.compactIri(ctx.expandTerm(d.term()))).as(d.term()).isEqualTo(d.term());
      }
    }
  }

  @Test
  void noTwoCoreTermsShareAnIri() {
    Set<String> iris = new HashSet<>();
    for (TermDefinition d : CompiledContext.coreTerms()) {
      assertThat(iris.add(d.iri())).as(d.term() + " -> " + d.iri()).isTrue();
    }
  }

  private static LdContext compile(JsonNode context) {
    return compile(context, Map.of());
  }

  /**
   * Compiles with remote contexts served from {@code remote}: URL to the {@code @context} value.
   */
  static LdContext compile(JsonNode context, Map<String, String> remote) {
    ContextLoader loader =
        url -> {
          String text = remote.get(url);
          if (text == null) throw new AssertionError("unexpected load of " + url);
          JsonNode value = json(text);
          return new ContextLoader.Loaded(
              value.has("@context") ? value.get("@context") : value, null);
        };
    return CompiledContext.build(context, new ContextProcessor(loader).process(context).active());
  }

  private static void assertBadRequest(JsonNode context, String messagePart) {
    assertThatThrownBy(() -> compile(context))
        .isInstanceOfSatisfying(
            NgsiLdException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.BAD_REQUEST_DATA))
        .hasMessageContaining(messagePart);
  }

  static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

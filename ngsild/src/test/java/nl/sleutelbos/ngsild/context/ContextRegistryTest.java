package nl.sleutelbos.ngsild.context;

import static nl.sleutelbos.ngsild.context.LdContextTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import nl.sleutelbos.ngsild.ErrorType;
import nl.sleutelbos.ngsild.NgsiLdException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ContextRegistryTest {
  private static final String BASE = "http://localhost:1026/ngsi-ld/v1/jsonldContexts";
  private static final String REMOTE = "https://models.example/meter.jsonld";
  private static final String METER =
      "{\"@context\": {\"Meter\": \"https://models.example/Meter\", \"power\":"
          + " \"https://models.example/power\"}}";
  private static final String HOSTED_BODY =
      """
      {"@context": {"Device": "https://smartdatamodels.org/dataModel.Device/Device",
                    "category": {"@id": "https://smartdatamodels.org/dataModel.Device/category", "@type": "@vocab"}},
       "ignored": "members other than @context are discarded"}
      """;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
  private final ScriptedFetcher fetcher = new ScriptedFetcher().serve(REMOTE, METER);
  private final InMemoryDocumentStore store = new InMemoryDocumentStore();
  private ContextRegistry registry;
  private LdContexts contexts;

  @BeforeEach
  void setUp() {
    registry = newRegistry();
    contexts = new LdContexts(registry, clock);
  }

  private ContextRegistry newRegistry() {
    return new ContextRegistry(store, fetcher, BASE, clock, ContextRegistry.Settings.DEFAULT);
  }

  @Test
  void anAddedContextGetsALocalIdAndAUrlUnderTheBase() {
    ContextInfo added = registry.add(json(HOSTED_BODY));

    assertThat(added.kind()).isEqualTo(ContextKind.HOSTED);
    assertThat(added.url()).isEqualTo(BASE + "/" + added.localId());
    assertThat(added.createdAt()).isEqualTo(clock.instant());
    assertThat(store.list(ContextRegistry.COLLECTION)).hasSize(1);
  }

  @Test
  void anAddedContextIsServedWithoutTheOtherMembers() {
    ContextInfo added = registry.add(json(HOSTED_BODY));

    JsonNode served = registry.serve(added.localId(), false);
    assertThat(served.size()).isEqualTo(1);
    assertThat(served.get("@context").get("Device").textValue())
        .isEqualTo("https://smartdatamodels.org/dataModel.Device/Device");

    JsonNode details = registry.serve(added.localId(), true);
    assertThat(details.get("URL").textValue()).isEqualTo(added.url());
    assertThat(details.get("localId").textValue()).isEqualTo(added.localId());
    assertThat(details.get("kind").textValue()).isEqualTo("Hosted");
    assertThat(details.get("createdAt").textValue()).isEqualTo("2026-03-01T12:00:00Z");
    assertThat(details.get("numberOfHits").asLong()).isZero();
  }

  @Test
  void aHostedContextUrlResolvesFromStorageWithoutAnyDownload() {
    ContextInfo added = registry.add(json(HOSTED_BODY));

    LdContext ctx = contexts.resolveLink(added.url());
    contexts.resolveLink(added.url());

    assertThat(ctx.expandTerm("Device"))
        .isEqualTo("https://smartdatamodels.org/dataModel.Device/Device");
    assertThat(fetcher.totalFetches()).isZero();
    assertThat(registry.serve(added.localId(), true).get("numberOfHits").asLong()).isEqualTo(2);
  }

  @Test
  void theBodyOfAddMustBeAnObjectWithAnAtContext() {
    assertBadRequest(() -> registry.add(json("[{\"a\": \"https://x/a\"}]")), "JSON object");
    assertBadRequest(() -> registry.add(json("{\"a\": \"https://x/a\"}")), "@context member");
    assertBadRequest(() -> registry.add(json("{\"@context\": 12}")), "@context member");
    assertBadRequest(() -> registry.add(null), "JSON object");
  }

  @Test
  void anInvalidContextIsNotAdded() {
    assertBadRequest(() -> registry.add(json("{\"@context\": {\"power\": 42}}")), "'power'");
    assertThat(store.list(ContextRegistry.COLLECTION)).isEmpty();
  }

  @Test
  void hostedContextsSurviveARestart() {
    ContextInfo added = registry.add(json(HOSTED_BODY));

    ContextRegistry restarted = newRegistry();
    LdContext ctx = new LdContexts(restarted, clock).resolveLink(added.url());

    assertThat(restarted.list(Optional.of(ContextKind.HOSTED)))
        .extracting(ContextInfo::localId, ContextInfo::createdAt)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(added.localId(), added.createdAt()));
    assertThat(ctx.expandTerm("category"))
        .isEqualTo("https://smartdatamodels.org/dataModel.Device/category");
  }

  @Test
  void aContextAddedByAnotherInstanceOnTheSameStoreIsFound() {
    ContextRegistry other = newRegistry();
    ContextInfo added = other.add(json(HOSTED_BODY));

    assertThat(registry.serve(added.localId(), false).get("@context").has("Device")).isTrue();
  }

  @Test
  void listGivesUrlsOrDetailsFilteredByKind() {
    ContextInfo hosted = registry.add(json(HOSTED_BODY));
    contexts.resolveLink(REMOTE);

    assertThat(registry.list(false, Optional.empty()))
        .extracting(JsonNode::textValue)
        .containsExactly(CoreContext.URL, hosted.url(), REMOTE);
    assertThat(registry.list(false, Optional.of("Hosted")))
        .extracting(JsonNode::textValue)
        .containsExactly(hosted.url());
    JsonNode cached = registry.list(true, Optional.of("Cached"));
    assertThat(cached).hasSize(2);
    assertThat(cached.get(0).get("localId").textValue()).isEqualTo(ContextRegistry.CORE_LOCAL_ID);
    assertThat(cached.get(1).get("URL").textValue()).isEqualTo(REMOTE);
    assertThat(cached.get(1).get("expiresAt").textValue()).isEqualTo("2026-03-02T12:00:00Z");
    assertBadRequest(() -> registry.list(false, Optional.of("Borrowed")), "unknown @context kind");
  }

  @Test
  void cachedContextsCountTheirHits() {
    contexts.resolveLink(REMOTE);
    clock.advance(Duration.ofSeconds(5));
    contexts.resolveLink(REMOTE);
    contexts.resolve(json("[\"" + REMOTE + "\", {\"x\": \"https://x.example/x\"}]"));

    ContextInfo info = registry.list(Optional.of(ContextKind.CACHED)).get(1);
    assertThat(info.numberOfHits()).isEqualTo(3);
    assertThat(info.lastUsage()).isEqualTo(clock.instant());
    assertThat(info.createdAt()).isEqualTo(clock.instant().minusSeconds(5));
    assertThat(fetcher.fetches(REMOTE)).isEqualTo(1);
  }

  @Test
  void onlyTheDetailsOfACachedContextAreServed() {
    contexts.resolveLink(REMOTE);
    String localId = registry.list(Optional.of(ContextKind.CACHED)).get(1).localId();

    assertThat(registry.serve(REMOTE, true).get("localId").textValue()).isEqualTo(localId);
    assertThat(registry.serve(localId, true).get("URL").textValue()).isEqualTo(REMOTE);
    assertThatThrownBy(() -> registry.serve(localId, false))
        .isInstanceOfSatisfying(
            NgsiLdException.class,
            e -> assertThat(e.type()).isEqualTo(ErrorType.OPERATION_NOT_SUPPORTED));
  }

  @Test
  void theCoreContextIsListedServedAndUndeletable() {
    assertThat(
            registry
                .serve(ContextRegistry.CORE_LOCAL_ID, false)
                .get("@context")
                .get("@vocab")
                .textValue())
        .isEqualTo(CoreContext.DEFAULT_VOCAB);
    assertThat(registry.serve(CoreContext.URL, true).get("kind").textValue()).isEqualTo("Cached");
    assertBadRequest(() -> registry.delete(ContextRegistry.CORE_LOCAL_ID, false), "core @context");
    assertBadRequest(() -> registry.delete(CoreContext.URL, true), "core @context");
  }

  @Test
  void unknownIdentifiersAreNotFound() {
    assertNotFound(() -> registry.serve("nope", false));
    assertNotFound(() -> registry.serve("https://unknown.example/ctx", true));
    assertNotFound(() -> registry.delete("nope", false));
    assertBadRequest(() -> registry.delete(" ", false), "no @context identifier");
  }

  @Test
  void deletingAHostedContextRemovesItAndItsUrlStopsResolving() {
    ContextInfo added = registry.add(json(HOSTED_BODY));
    contexts.resolveLink(added.url());

    registry.delete(added.localId(), false);

    assertThat(store.list(ContextRegistry.COLLECTION)).isEmpty();
    assertNotFound(() -> registry.serve(added.localId(), false));
    assertThatThrownBy(() -> contexts.resolveLink(added.url()))
        .isInstanceOfSatisfying(
            NgsiLdException.class,
            e -> assertThat(e.type()).isEqualTo(ErrorType.LD_CONTEXT_NOT_AVAILABLE))
        .hasMessageContaining(added.url());
    assertThat(newRegistry().list(Optional.of(ContextKind.HOSTED))).isEmpty();
  }

  @Test
  void onlyCachedContextsCanBeReloaded() {
    ContextInfo added = registry.add(json(HOSTED_BODY));

    assertBadRequest(() -> registry.delete(added.localId(), true), "only Cached");
  }

  @Test
  void reloadDownloadsACachedContextAgainAndRequestsUseTheNewCopy() {
    assertThat(contexts.resolveLink(REMOTE).expandTerm("power"))
        .isEqualTo("https://models.example/power");
    fetcher.serve(REMOTE, "{\"@context\": {\"power\": \"https://models.example/v2/power\"}}");

    registry.delete(REMOTE, true);

    assertThat(fetcher.fetches(REMOTE)).isEqualTo(2);
    assertThat(contexts.resolveLink(REMOTE).expandTerm("power"))
        .isEqualTo("https://models.example/v2/power");
    assertThat(fetcher.fetches(REMOTE)).isEqualTo(2);
  }

  @Test
  void aFailedReloadKeepsTheOldCopy() {
    contexts.resolveLink(REMOTE);
    String localId = registry.list(Optional.of(ContextKind.CACHED)).get(1).localId();

    fetcher.unplug(REMOTE);
    assertNotAvailable(() -> registry.delete(localId, true));
    fetcher.serve(REMOTE, "{\"@context\": {\"power\": 42}}");
    assertNotAvailable(() -> registry.delete(localId, true));

    assertThat(contexts.resolveLink(REMOTE).expandTerm("power"))
        .isEqualTo("https://models.example/power");
    assertThat(registry.serve(localId, true).get("URL").textValue()).isEqualTo(REMOTE);
  }

  @Test
  void deletingACachedContextMakesTheNextRequestDownloadItAgain() {
    contexts.resolveLink(REMOTE);

    registry.delete(REMOTE, false);

    assertThat(registry.list(Optional.of(ContextKind.CACHED)))
        .extracting(ContextInfo::url)
        .containsExactly(CoreContext.URL);
    contexts.resolveLink(REMOTE);
    assertThat(fetcher.fetches(REMOTE)).isEqualTo(2);
  }

  @Test
  void anImplicitContextIsStoredOnceAndServed() {
    JsonNode subscriptionContext = json("[\"" + REMOTE + "\", {\"x\": \"https://x.example/x\"}]");

    ContextInfo first = registry.addImplicit(subscriptionContext);
    ContextInfo second = registry.addImplicit(subscriptionContext.deepCopy());

    assertThat(first.kind()).isEqualTo(ContextKind.IMPLICITLY_CREATED);
    assertThat(second.localId()).isEqualTo(first.localId());
    assertThat(registry.serve(first.localId(), false).get("@context"))
        .isEqualTo(subscriptionContext);
    LdContext ctx = contexts.resolveLink(first.url());
    assertThat(ctx.expandTerm("Meter")).isEqualTo("https://models.example/Meter");
    assertThat(ctx.expandTerm("x")).isEqualTo("https://x.example/x");
  }

  private static void assertBadRequest(ThrowingCallable call, String messagePart) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            NgsiLdException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.BAD_REQUEST_DATA))
        .hasMessageContaining(messagePart);
  }

  private static void assertNotFound(ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            NgsiLdException.class,
            e -> assertThat(e.type()).isEqualTo(ErrorType.RESOURCE_NOT_FOUND));
  }

  private static void assertNotAvailable(ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            NgsiLdException.class,
            e -> assertThat(e.type()).isEqualTo(ErrorType.LD_CONTEXT_NOT_AVAILABLE));
  }
}

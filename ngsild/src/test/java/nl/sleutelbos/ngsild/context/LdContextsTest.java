package nl.sleutelbos.ngsild.context;

import static nl.sleutelbos.ngsild.context.LdContextTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import nl.sleutelbos.ngsild.ErrorType;
import nl.sleutelbos.ngsild.NgsiLdException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LdContextsTest {
  private static final String BASE = "http://localhost:1026/ngsi-ld/v1/jsonldContexts/";
  private static final String DEVICE_URL =
      "https://smartdatamodels.org/dataModel.Device/context.jsonld";
  private static final String DEVICE =
      """
      {"@context": {
        "Device": "https://smartdatamodels.org/dataModel.Device/Device",
        "category": "https://smartdatamodels.org/dataModel.Device/category"
      }}
      """;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final ScriptedFetcher fetcher = new ScriptedFetcher().serve(DEVICE_URL, DEVICE);
  private ContextRegistry registry;
  private LdContexts contexts;

  @BeforeEach
  void setUp() {
    registry =
        new ContextRegistry(
            new InMemoryDocumentStore(),
            fetcher,
            BASE,
            clock,
            new ContextRegistry.Settings(Duration.ofHours(1), 3));
    contexts = new LdContexts(registry, clock);
  }

  @Test
  void noContextMeansTheCoreContext() {
    assertThat(contexts.resolve(null)).isSameAs(LdContext.core());
    assertThat(contexts.resolve(MissingNode.getInstance())).isSameAs(LdContext.core());
    assertThat(contexts.resolve(NullNode.getInstance())).isSameAs(LdContext.core());
    assertThat(contexts.resolveLink(null)).isSameAs(LdContext.core());
  }

  @Test
  void coreContextUrlsNeverTouchTheNetwork() {
    LdContext ctx = contexts.resolveLink(CoreContext.URL);
    contexts.resolveLink("https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld");
    contexts.resolve(
        json("[\"https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.6.jsonld\"]"));

    assertThat(ctx.expandTerm("location")).isEqualTo("https://uri.etsi.org/ngsi-ld/location");
    assertThat(fetcher.totalFetches()).isZero();
  }

  @Test
  void aLinkUrlIsFetchedOnceAndItsCompiledContextReused() {
    LdContext first = contexts.resolveLink(DEVICE_URL);
    LdContext second = contexts.resolveLink(DEVICE_URL);

    assertThat(first.expandTerm("Device"))
        .isEqualTo("https://smartdatamodels.org/dataModel.Device/Device");
    assertThat(first.toString()).contains(DEVICE_URL);
    assertThat(second).isSameAs(first);
    assertThat(fetcher.fetches(DEVICE_URL)).isEqualTo(1);
  }

  @Test
  void differentContextsReferringToOneUrlShareItsDownload() {
    contexts.resolveLink(DEVICE_URL);
    LdContext inline =
        contexts.resolve(
            json("[\"" + DEVICE_URL + "\", {\"power\": \"https://example.org/power\"}]"));

    assertThat(inline.expandTerm("category"))
        .isEqualTo("https://smartdatamodels.org/dataModel.Device/category");
    assertThat(inline.expandTerm("power")).isEqualTo("https://example.org/power");
    assertThat(fetcher.fetches(DEVICE_URL)).isEqualTo(1);
  }

  @Test
  void nestedRemoteContextsAreEachFetchedOnce() {
    fetcher.serve(
        "https://a.example/compound.jsonld",
        "{\"@context\": [\""
            + DEVICE_URL
            + "\", \"https://a.example/energy.jsonld\", \""
            + CoreContext.URL
            + "\"]}");
    fetcher.serve(
        "https://a.example/energy.jsonld",
        "{\"@context\": {\"power\": \"https://a.example/power\"}}");

    LdContext ctx = contexts.resolveLink("https://a.example/compound.jsonld");
    contexts.resolveLink("https://a.example/energy.jsonld");

    assertThat(ctx.expandTerm("Device"))
        .isEqualTo("https://smartdatamodels.org/dataModel.Device/Device");
    assertThat(ctx.expandTerm("power")).isEqualTo("https://a.example/power");
    assertThat(ctx.compactIri("https://a.example/power")).isEqualTo("power");
    assertThat(fetcher.fetches("https://a.example/compound.jsonld")).isEqualTo(1);
    assertThat(fetcher.fetches("https://a.example/energy.jsonld")).isEqualTo(1);
    assertThat(fetcher.fetches(DEVICE_URL)).isEqualTo(1);
  }

  @Test
  void aDownloadedContextIsFetchedAgainOnceItIsOlderThanTheMaximumAge() {
    contexts.resolveLink(DEVICE_URL);
    fetcher.serve(DEVICE_URL, "{\"@context\": {\"Device\": \"https://example.org/v2/Device\"}}");

    clock.advance(Duration.ofMinutes(59));
    assertThat(contexts.resolveLink(DEVICE_URL).expandTerm("Device"))
        .isEqualTo("https://smartdatamodels.org/dataModel.Device/Device");
    assertThat(fetcher.fetches(DEVICE_URL)).isEqualTo(1);

    clock.advance(Duration.ofMinutes(2));
    assertThat(contexts.resolveLink(DEVICE_URL).expandTerm("Device"))
        .isEqualTo("https://example.org/v2/Device");
    assertThat(fetcher.fetches(DEVICE_URL)).isEqualTo(2);
  }

  @Test
  void anUnreachableContextIsNotAvailableAndIsTriedAgainNextTime() {
    String url = "https://down.example/ctx.jsonld";

    assertThatThrownBy(() -> contexts.resolveLink(url))
        .isInstanceOfSatisfying(
            NgsiLdException.class,
            e -> assertThat(e.type()).isEqualTo(ErrorType.LD_CONTEXT_NOT_AVAILABLE))
        .hasMessageContaining(url)
        .hasMessageContaining("connection refused");

    fetcher.serve(url, "{\"@context\": {\"x\": \"https://down.example/x\"}}");
    assertThat(contexts.resolveLink(url).expandTerm("x")).isEqualTo("https://down.example/x");
    assertThat(fetcher.fetches(url)).isEqualTo(2);
  }

  @Test
  void aDocumentThatIsNotAContextIsNotAvailable() {
    fetcher.serve("https://x.example/array", "[1, 2]");
    fetcher.serve("https://x.example/plain", "{\"name\": \"not a context\"}");
    fetcher.serve("https://x.example/number", "{\"@context\": 5}");

    assertNotAvailable("https://x.example/array", "not a JSON object");
    assertNotAvailable("https://x.example/plain", "no @context member");
    assertNotAvailable("https://x.example/number", "a number");
  }

  @Test
  void anInvalidRemoteContextIsBadRequestDataNamingTheUrl() {
    fetcher.serve("https://x.example/bad", "{\"@context\": {\"power\": 42}}");

    assertThatThrownBy(() -> contexts.resolve(json("[\"https://x.example/bad\"]")))
        .isInstanceOfSatisfying(
            NgsiLdException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.BAD_REQUEST_DATA))
        .hasMessageContaining("https://x.example/bad")
        .hasMessageContaining("power");
  }

  @Test
  void concurrentRequestsForOneUrlFetchItOnce() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    fetcher.beforeAnswer =
        () -> {
          try {
            release.await(5, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
    int threads = 8;
    CountDownLatch started = new CountDownLatch(threads);
    List<Future<LdContext>> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      for (int i = 0; i < threads; i++) {
        results.add(
            pool.submit(
                () -> {
                  started.countDown();
                  return contexts.resolveLink(DEVICE_URL);
                }));
      }
      started.await(5, TimeUnit.SECONDS);
      Thread.sleep(100); // let them queue up behind the first download; late ones find it done
      release.countDown();
      for (Future<LdContext> f : results) {
        assertThat(f.get(5, TimeUnit.SECONDS).expandTerm("category"))
            .isEqualTo("https://smartdatamodels.org/dataModel.Device/category");
      }
    }
    assertThat(fetcher.fetches(DEVICE_URL)).isEqualTo(1);
  }

  @Test
  void theCacheOfDownloadsKeepsTheMostRecentlyUsed() {
    for (String name : List.of("a", "b", "c", "d")) {
      fetcher.serve(
          "https://x.example/" + name,
          "{\"@context\": {\"" + name + "\": \"https://x.example/" + name + "\"}}");
    }
    contexts.resolveLink("https://x.example/a");
    clock.advance(Duration.ofSeconds(1));
    contexts.resolveLink("https://x.example/b");
    clock.advance(Duration.ofSeconds(1));
    contexts.resolveLink("https://x.example/c");
    clock.advance(Duration.ofSeconds(1));
    contexts.resolveLink("https://x.example/a"); // a is now more recent than b
    clock.advance(Duration.ofSeconds(1));
    contexts.resolveLink("https://x.example/d");

    assertThat(registry.list(Optional.of(ContextKind.CACHED)))
        .extracting(ContextInfo::url)
        .containsExactlyInAnyOrder(
            CoreContext.URL, "https://x.example/a", "https://x.example/c", "https://x.example/d");
  }

  @Test
  void theCompiledCacheIsBounded() {
    LdContexts small = new LdContexts(registry, clock, 4);
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < 10; i++) {
        LdContext ctx = small.resolve(json("{\"t" + i + "\": \"https://x.example/t" + i + "\"}"));
        assertThat(ctx.expandTerm("t" + i)).isEqualTo("https://x.example/t" + i);
        assertThat(small.size()).isLessThanOrEqualTo(4);
      }
    }
  }

  private void assertNotAvailable(String url, String messagePart) {
    assertThatThrownBy(() -> contexts.resolveLink(url))
        .isInstanceOfSatisfying(
            NgsiLdException.class,
            e -> assertThat(e.type()).isEqualTo(ErrorType.LD_CONTEXT_NOT_AVAILABLE))
        .hasMessageContaining(url)
        .hasMessageContaining(messagePart);
  }
}

package nl.sleutelbos.ngsild.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.ngsild.entity.Format;

/**
 * The stored form of subscriptions and delivery states reads back to what was written, for every
 * valid subscription: a restart must give each subscription and cursor back unchanged.
 */
class SubscriptionRoundTripProperties {

  @Property(tries = 300)
  void aStoredSubscriptionReadsBackEqual(@ForAll("subscriptions") Subscription s) {
    assertThat(SubscriptionCodec.read(SubscriptionCodec.write(s))).isEqualTo(s);
  }

  @Property(tries = 200)
  void aStoredDeliveryStateReadsBackEqual(@ForAll("states") DeliveryState d) {
    assertThat(SubscriptionCodec.readState(SubscriptionCodec.write(d))).isEqualTo(d);
  }

  @Property
  void retryWaitsGrowAndStayWithinTheLimit(@ForAll("failures") int failures) {
    DeliverySettings settings = DeliverySettings.DEFAULT;
    Duration wait = settings.retryAfter(failures);
    assertThat(wait).isBetween(settings.firstRetry(), settings.maxRetry());
    assertThat(settings.retryAfter(failures + 1)).isGreaterThanOrEqualTo(wait);
  }

  @Provide
  Arbitrary<Integer> failures() {
    return Arbitraries.integers().between(1, 10_000);
  }

  private static Arbitrary<String> word() {
    return Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8);
  }

  private static Arbitrary<Instant> instants() {
    return Arbitraries.longs().between(0, 4_000_000_000L).flatMap(seconds ->
        Arbitraries.integers().between(0, 999_999).map(micros -> Instant.ofEpochSecond(seconds, micros * 1000L)));
  }

  private static Arbitrary<Optional<Duration>> durations() {
    return Arbitraries.longs().between(1, 1_000_000_000L).map(Duration::ofMillis).optional();
  }

  private static Arbitrary<EntityPattern> patterns() {
    Arbitrary<String> type = word().map(w -> "https://example.org/types/" + w);
    return Arbitraries.integers().between(0, 2).flatMap(kind -> switch (kind) {
      case 0 -> type.map(t -> new EntityPattern(Optional.empty(), Optional.empty(), t));
      case 1 -> Combinators.combine(word(), type)
          .as((w, t) -> new EntityPattern(Optional.of("urn:ngsi-ld:Meter:" + w), Optional.empty(), t));
      default -> Combinators.combine(word(), type)
          .as((w, t) -> new EntityPattern(Optional.empty(), Optional.of("urn:.*" + w + "$"), t));
    });
  }

  private static Arbitrary<Endpoint> endpoints() {
    Arbitrary<Map<String, String>> info = Arbitraries.maps(word(), word()).ofMaxSize(3);
    return Combinators.combine(Arbitraries.of("http://127.0.0.1:9/n", "https://receiver.example/x",
            "mqtt://broker:1883/topic/a"), Arbitraries.of(Endpoint.JSON, Endpoint.LD_JSON), info)
        .as((uri, accept, receiver) -> new Endpoint(URI.create(uri), accept,
            uri.startsWith("mqtt") ? Map.of("MQTT-QoS", "1") : Map.of(), receiver));
  }

  @Provide
  Arbitrary<Subscription> subscriptions() {
    Arbitrary<Set<String>> names = word().map(w -> "https://example.org/attrs/" + w).set().ofMaxSize(3);
    Arbitrary<NotificationParams> notification = Combinators.combine(names, Arbitraries.of(Format.class), endpoints())
        .as(NotificationParams::new);
    Arbitrary<List<EntityPattern>> entities = patterns().list().ofMinSize(1).ofMaxSize(3);
    Arbitrary<Optional<String>> q = Arbitraries.of("power>1", "name==\"x\"", "a.b<=3;c").optional();
    return Combinators.combine(word(), word().optional(), word().optional(), entities, names, q, notification,
        Arbitraries.of(true, false)).flatAs((id, name, description, selectors, watched, query, params, periodic) ->
        Combinators.combine(durations(), durations(), instants().optional(), Arbitraries.of(true, false), instants(),
            instants(), Arbitraries.of("https://example.org/context.jsonld", "https://other.example/c"))
            .as((throttling, interval, expires, active, created, modified, context) -> new Subscription(
                "tenant" + id.length(), "urn:ngsi-ld:Subscription:" + id, name, description, selectors,
                periodic ? Set.of() : watched, query, Optional.empty(), params, periodic ? Optional.empty() : throttling,
                periodic ? interval : Optional.empty(), expires, active, Json.NODES.textNode(context), created,
                modified)));
  }

  @Provide
  Arbitrary<DeliveryState> states() {
    return Combinators.combine(Arbitraries.longs().greaterOrEqual(0), Arbitraries.longs().between(0, 1_000_000),
        Arbitraries.longs().between(0, 1_000_000), instants().optional(), instants().optional(), instants().optional(),
        Arbitraries.of(true, false)).as(DeliveryState::new);
  }
}

package nl.sleutelbos.ngsild.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.store.AttributeInstance;

/** The stored form of an instance gives back exactly the instance that was stored, however compact. */
class InstancesProperties {
  private static final Instant NOW = Instant.parse("2026-03-01T00:00:00Z");

  @Provide
  Arbitrary<String> numbers() {
    return Arbitraries.oneOf(
        Arbitraries.longs().map(n -> Long.toString(n)),
        Arbitraries.integers().between(-1000, 1000).map(n -> Integer.toString(n)),
        Arbitraries.bigDecimals().between(new BigDecimal("-1e9"), new BigDecimal("1e9")).ofScale(4)
            .map(BigDecimal::toPlainString),
        Arbitraries.doubles().map(d -> Double.toString(d)).filter(s -> !s.contains("Infinity") && !s.contains("NaN")),
        Arbitraries.of("1.0", "1.50", "1e3", "-0", "0.0", "123456789012345678901234567890"));
  }

  @Property(tries = 2000)
  void aNumericValueSurvivesTheRoundTripExactly(@ForAll("numbers") String number) {
    ObjectNode instance = Json.parseStored("{\"type\":\"Property\",\"value\":" + number
        + ",\"observedAt\":\"2026-03-01T00:15:00Z\",\"unitCode\":\"KWH\"}");

    AttributeInstance stored = Instances.stored("urn:e", "https://example.org/p", instance, "urn:i:1", NOW);
    ObjectNode back = Instances.internal(stored);

    assertThat(Json.write(back.get("value"))).isEqualTo(Json.write(instance.get("value")));
    assertThat(back.get("unitCode").asText()).isEqualTo("KWH");
    assertThat(back.get("observedAt").asText()).isEqualTo("2026-03-01T00:15:00Z");
    assertThat(back.get("instanceId").asText()).isEqualTo("urn:i:1");
    assertThat(stored.number()).isPresent();
  }

  @Property(tries = 200)
  void instanceIdsAreUris(@ForAll("numbers") String ignored) {
    assertThat(Instances.newInstanceId()).matches("urn:ngsi-ld:i:[0-9a-v]{16}");
  }
}

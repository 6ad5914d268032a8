package nl.sleutelbos.ngsild.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EndpointTest {
  private static Endpoint endpoint(String uri) {
    return new Endpoint(URI.create(uri), Endpoint.JSON, Map.of(), Map.of());
  }

  @Test
  void theRedactedFormHidesCredentialsAndKeepsWhereItGoes() {
    String redacted = endpoint("mqtt://meter:s3cret@broker.example:1883/grid/notify").redacted();
    assertThat(redacted).isEqualTo("mqtt://***@broker.example:1883/grid/notify").doesNotContain("s3cret");
  }

  @Test
  void aUriWithoutCredentialsIsShownAsItIs() {
    assertThat(endpoint("https://receiver.example/n?x=1").redacted()).isEqualTo("https://receiver.example/n?x=1");
  }

  @Test
  void theSchemeNamesTheBinding() {
    assertThat(endpoint("https://r/x").binding()).isEqualTo(Endpoint.Binding.HTTP);
    assertThat(endpoint("mqtts://b:8883/t").binding()).isEqualTo(Endpoint.Binding.MQTT);
  }
}

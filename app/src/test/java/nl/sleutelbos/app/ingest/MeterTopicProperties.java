package nl.sleutelbos.app.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import nl.sleutelbos.identity.Organisation;

/** The MQTT topic's meter id is read by the rule of {@link Organisation#NAME}, without its regex. */
class MeterTopicProperties {
  @Property(tries = 2_000)
  void aMeterIdIsANameByTheOrganisationRule(@ForAll("ids") String id) {
    assertThat(Organisation.isName(id)).isEqualTo(Organisation.NAME.matcher(id).matches());
    assertThat(MqttIngest.meterOf("site/sleutelbos/meters/", "site/sleutelbos/meters/" + id + "/p1"))
        .isEqualTo(Organisation.NAME.matcher(id).matches() ? Optional.of(id) : Optional.empty());
  }

  @Provide
  Arbitrary<String> ids() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withChars("aZ09._-").ofMinLength(0).ofMaxLength(70),
        Arbitraries.strings().withChars("aZ09._-/+# \u00e9\u0660:").ofMinLength(0).ofMaxLength(8),
        Arbitraries.strings().all().ofMaxLength(5));
  }
}

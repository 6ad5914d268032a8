package nl.sleutelbos.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The organisation text form: parse and print are inverses, and anything else is refused precisely. */
class OrganisationProperties {

  @Property
  void printingThenParsingGivesTheSameOrganisation(@ForAll("organisations") Organisation organisation) {
    assertThat(Organisation.parse(organisation.toString())).isEqualTo(organisation);
  }

  @Property
  void anyTextEitherParsesToItselfOrIsRefusedWithIllegalArgument(@ForAll String text) {
    try {
      assertThat(Organisation.parse(text).toString()).isEqualTo(text);
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  @Property
  void unknownKindsAreRefusedNamingTheKind(@ForAll("names") String name) {
    assertThatThrownBy(() -> Organisation.parse("government:" + name))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("government");
  }

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.strings().withChars("abcXYZ019._-").ofMinLength(1).ofMaxLength(64);
  }

  @Provide
  Arbitrary<Organisation> organisations() {
    Arbitrary<String> names = names();
    return Arbitraries.oneOf(
        Arbitraries.just(Organisation.OPERATOR),
        names.map(Organisation.Vendor::new),
        names.map(Organisation.Supplier::new),
        names.map(Organisation.Household::new),
        names.map(Organisation.Auditor::new),
        names.map(Organisation.Meter::new));
  }
}

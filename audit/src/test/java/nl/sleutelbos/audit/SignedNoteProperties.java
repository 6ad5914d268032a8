package nl.sleutelbos.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** The note and checkpoint text forms: they round-trip, and malformed notes are refused. */
class SignedNoteProperties {

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.strings().withCharRange('a', 'z').withChars("./-_é".toCharArray()).ofMinLength(1).ofMaxLength(30);
  }

  @Property
  void aCheckpointNoteRoundTrips(@ForAll("names") String origin, @ForAll @LongRange(min = 0) long size,
      @ForAll @Size(32) byte[] root, @ForAll @Size(min = 1, max = 80) byte[] signature, @ForAll int keyId) {
    Checkpoint checkpoint = new Checkpoint(origin, size, root);
    SignedNote note = new SignedNote(checkpoint.text(), List.of(new SignedNote.Signature(origin, keyId, signature)));

    SignedNote parsed = SignedNote.parse(note.format());
    assertThat(parsed.text()).isEqualTo(checkpoint.text());
    assertThat(parsed.signatures().getFirst().keyId()).isEqualTo(keyId);
    assertThat(parsed.signatures().getFirst().signature()).isEqualTo(signature);
    assertThat(Checkpoint.parse(parsed.text())).isEqualTo(checkpoint);
  }

  @Property
  void aNoteWithoutItsBlankLineOrWithAControlCharacterIsRefused(
      @ForAll("names") String origin, @ForAll @Size(32) byte[] root, @ForAll @Size(min = 1, max = 8) byte[] signature) {
    String formatted = new SignedNote(new Checkpoint(origin, 7, root).text(),
        List.of(new SignedNote.Signature(origin, 1, signature))).format();
    assertThatThrownBy(() -> SignedNote.parse(formatted.replace("\n\n", "\n")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SignedNote.parse(formatted.replaceFirst("\n", "\r\n")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

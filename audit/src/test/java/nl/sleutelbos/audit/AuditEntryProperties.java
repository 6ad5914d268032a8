package nl.sleutelbos.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The canonical encoding: it round-trips, it is injective, and it refuses malformed bytes. */
class AuditEntryProperties {

  @Provide
  Arbitrary<AuditEntry> entries() {
    Arbitrary<String> text = Arbitraries.strings()
        .withCharRange('a', 'z').withCharRange('0', '9').withChars(":/-_ é€".toCharArray())
        .ofMaxLength(40);
    return Builders.withBuilder(() -> new Object[9])
        .use(Arbitraries.longs().between(0, Long.MAX_VALUE)).in((a, v) -> set(a, 0, v))
        .use(Arbitraries.longs().between(0, 4_000_000_000L)).in((a, v) -> set(a, 1, v))
        .use(text).in((a, v) -> set(a, 2, v))
        .use(text).in((a, v) -> set(a, 3, v))
        .use(text).in((a, v) -> set(a, 4, v))
        .use(text).in((a, v) -> set(a, 5, v))
        .use(Arbitraries.of(AuditEntry.Outcome.class)).in((a, v) -> set(a, 6, v))
        .use(text).in((a, v) -> set(a, 7, v))
        .use(Arbitraries.bytes().array(byte[].class).ofSize(16)).in((a, v) -> set(a, 8, v))
        .build(a -> new AuditEntry((Long) a[0], Instant.ofEpochSecond((Long) a[1], 123_456_789),
            new AuditEntry.Actor((String) a[2], (String) a[3]), (String) a[4], (String) a[5],
            (AuditEntry.Outcome) a[6], (String) a[7], "req-" + a[0], AuditEntry.digestOf((byte[]) a[8])));
  }

  private static Object[] set(Object[] array, int i, Object value) {
    array[i] = value;
    return array;
  }

  @Property
  void decodingTheEncodingGivesTheEntryBack(@ForAll("entries") AuditEntry entry) {
    assertThat(AuditEntry.decode(entry.encode())).isEqualTo(entry);
  }

  @Property
  void differentEntriesNeverShareALeaf(@ForAll("entries") AuditEntry a, @ForAll("entries") AuditEntry b) {
    assertThat(Arrays.equals(a.encode(), b.encode())).isEqualTo(a.equals(b));
  }

  @Property
  void aTruncatedOrExtendedEncodingIsRefused(@ForAll("entries") AuditEntry entry, @ForAll @IntRange(min = 1, max = 40) int cut) {
    byte[] bytes = entry.encode();
    byte[] truncated = Arrays.copyOf(bytes, Math.max(0, bytes.length - cut));
    byte[] extended = Arrays.copyOf(bytes, bytes.length + cut);
    assertThatThrownBy(() -> AuditEntry.decode(truncated)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AuditEntry.decode(extended)).isInstanceOf(IllegalArgumentException.class);
  }
}

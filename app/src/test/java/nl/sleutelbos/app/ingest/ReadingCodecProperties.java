package nl.sleutelbos.app.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import nl.sleutelbos.ngsild.Json;

/** A reading row read back: whole, and its M-Bus values alone (what the projector reads of every row). */
class ReadingCodecProperties {
  @Property(tries = 500)
  void theMbusValuesAloneAreThoseOfTheWholeRow(@ForAll("readings") Reading r) {
    byte[] row = ReadingCodec.encode(r);
    ReadingCodec.Values whole = ReadingCodec.decode(row);
    assertThat(whole.measures()).isEqualTo(r.measures());
    assertThat(whole.subMeters()).isEqualTo(r.subMeters());
    assertThat(ReadingCodec.subMeters(row)).isEqualTo(r.subMeters());
  }

  @Provide
  Arbitrary<Reading> readings() {
    Arbitrary<List<Reading.Measure>> measures = Arbitraries.integers().between(0, ReadingCodec.DEFS.size() - 1)
        .set().ofMaxSize(ReadingCodec.DEFS.size())
        .flatMap(picked -> {
          List<Arbitrary<Reading.Measure>> each = new ArrayList<>();
          picked.stream().sorted().forEach(i -> {
            ReadingCodec.Def d = ReadingCodec.DEFS.get(i);
            each.add(value(d).map(v -> new Reading.Measure(d.attribute(), d.datasetId(), d.code(), v, d.unitCode(),
                d.history())));
          });
          return each.isEmpty() ? Arbitraries.just(List.<Reading.Measure>of()) : Combinators.combine(each).as(l -> l);
        });
    Arbitrary<Reading.SubMeter> sub = Combinators.combine(
        Arbitraries.of("gas", "water", "heat", "7"),
        Arbitraries.strings().withChars("G0123456789\u00e9").ofMinLength(1).ofMaxLength(40),
        Arbitraries.longs().between(0, 4_102_444_800_000_000L).map(ReadingCodec::instant),
        Arbitraries.doubles().between(0, 1e7),
        Arbitraries.of(Optional.<String>empty(), Optional.of("MTQ"), Optional.of("GJ")))
        .as(Reading.SubMeter::new);
    return Combinators.combine(measures, sub.list().ofMaxSize(4))
        .as((m, s) -> new Reading(0, "E1", Instant.EPOCH, Instant.EPOCH, m, s, null));
  }

  private static Arbitrary<JsonNode> value(ReadingCodec.Def def) {
    return switch (def.kind()) {
      case NUMBER -> Arbitraries.doubles().map(d -> Json.NODES.numberNode(d));
      case COUNT -> Arbitraries.longs().map(l -> Json.NODES.numberNode(l));
      case TEXT -> Arbitraries.strings().ofMaxLength(300).map(t -> Json.NODES.textNode(t));
    };
  }
}

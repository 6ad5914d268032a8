package nl.sleutelbos.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import nl.sleutelbos.app.ingest.TelegramResult;
import nl.sleutelbos.ngsild.Json;

/** The ingest's answer, written straight out, is byte for byte the answer its JSON tree serialises to. */
class IngestAnswerProperties {

  @Property(tries = 500)
  void theWrittenAnswerIsTheTreesAnswer(@ForAll("results") List<TelegramResult> results) {
    assertThat(new String(IngestRoutes.answerBytes(results), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo(new String(Json.writeBytes(IngestRoutes.answer(results)), java.nio.charset.StandardCharsets.UTF_8));
  }

  @Provide
  Arbitrary<List<TelegramResult>> results() {
    Arbitrary<String> meters = Arbitraries.strings().withChars("AZaz09._-").ofMinLength(1).ofMaxLength(20);
    // Few distinct times, as in a batch, and some with fractions of a second.
    Arbitrary<Instant> times = Arbitraries.of(Instant.parse("2026-11-27T06:00:00Z"),
        Instant.parse("2026-11-27T06:00:10Z"), Instant.parse("2026-11-27T06:00:10.123Z"),
        Instant.parse("2026-11-27T06:00:10.123456Z"), Instant.parse("+12026-01-01T00:00:00.000000001Z"));
    Arbitrary<List<String>> flags = Arbitraries.of("GAP", "OUT_OF_ORDER", "POWER_ABOVE_CAPACITY").list().ofMaxSize(3);
    Arbitrary<TelegramResult> accepted = Combinators.combine(meters, times, flags, Arbitraries.of(true, false))
        .as(TelegramResult.Accepted::new);
    Arbitrary<TelegramResult> repeated = Combinators.combine(meters, times).as(TelegramResult.Repeated::new);
    Arbitrary<TelegramResult> rejected = Combinators.combine(meters.optional(),
            Arbitraries.of(TelegramResult.Reason.class), Arbitraries.strings().ofMaxLength(60))
        .as((m, reason, detail) -> (TelegramResult) new TelegramResult.Rejected(m, reason, detail));
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(8, accepted), net.jqwik.api.Tuple.of(1, repeated), net.jqwik.api.Tuple.of(1, rejected))
        .list().ofMaxSize(30);
  }

  @Example
  void anEmptyBatchIsAnsweredAlike() {
    assertThat(IngestRoutes.answerBytes(List.of())).isEqualTo(Json.writeBytes(IngestRoutes.answer(List.of())));
  }
}

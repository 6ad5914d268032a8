package nl.sleutelbos.app.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import net.jqwik.api.Example;
import nl.sleutelbos.metering.validation.QualityFlag;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.ngsild.entity.Entity;
import nl.sleutelbos.store.Outcome;
import nl.sleutelbos.store.StoredEntity;

/**
 * The projector's streaming rewrite of a meter's document ({@link MeterDocument}) gives the
 * document of the tree path ({@link MeterModel#applyMeter}), which defines it: over
 * meters' histories of random readings (any subset of the measures, values with awkward text,
 * flags, times out of order) and documents an operator also edited (attributes added, instances
 * removed).
 */
class MeterDocumentProperties {
  private static final String METER = "E0047001234567890";
  private static final Instant T0 = Instant.parse("2026-11-27T06:00:00Z");

  /** One reading: its measures, time offset (seconds, may go back) and flags. */
  record Step(List<Reading.Measure> measures, int seconds, List<String> flags) {}

  @Property(tries = 300)
  void theRewriteIsTheTreePathsDocument(@ForAll("histories") List<Step> history, @ForAll("edits") int edit) {
    Instant now = T0;
    StoredEntity stored = null;
    for (int i = 0; i < history.size(); i++) {
      Step step = history.get(i);
      now = now.plusMillis(1_500);
      Instant time = T0.plusSeconds(step.seconds());
      Outcome tree = tree(stored, step, time, now);
      if (stored != null) {
        MeterDocument.Rewrite streamed = MeterDocument.rewrite(stored.document(), time, step.measures(), step.flags(),
            now);
        switch (streamed) {
          case MeterDocument.Rewrite.Written w -> {
            assertThat(tree).isInstanceOf(Outcome.Put.class);
            assertThat(normal(w.document())).isEqualTo(normal(((Outcome.Put) tree).entity().document()));
          }
          case MeterDocument.Rewrite.NotNewer n -> assertThat(tree).isEqualTo(Outcome.unchanged());
          case MeterDocument.Rewrite.Unexpected u -> throw new AssertionError("a document the model wrote: " + stored);
        }
        Outcome projected = LatestValues.project(Optional.of(stored), METER, reading(step, time), values(step), now);
        assertThat(projected.getClass()).isEqualTo(tree.getClass());
        if (projected instanceof Outcome.Put put) {
          StoredEntity a = put.entity();
          StoredEntity b = ((Outcome.Put) tree).entity();
          assertThat(List.of(a.id(), a.types(), a.createdAt(), a.modifiedAt(), normal(a.document())))
              .isEqualTo(List.of(b.id(), b.types(), b.createdAt(), b.modifiedAt(), normal(b.document())));
          assertThat(put.derived()).isEqualTo(((Outcome.Put) tree).derived());
        }
      }
      if (tree instanceof Outcome.Put put) {
        stored = i == 0 ? edited(put.entity(), edit) : put.entity();
      }
    }
  }

  @Example
  void aShapeTheModelDoesNotWriteGoesTheTreePath() {
    Step step = new Step(List.of(measure(ReadingCodec.DEFS.get(4), Json.NODES.numberNode(1.5))), 10, List.of());
    StoredEntity stored = ((Outcome.Put) tree(null, step, T0, T0)).entity();
    ObjectNode doc = Entity.of(stored).document();
    doc.set(MeterModel.V + "activePower", Json.object().put("type", "Property").put("value", 2));
    String odd = Json.write(doc);
    assertThat(MeterDocument.rewrite(odd, T0.plusSeconds(20), step.measures(), List.of(), T0.plusSeconds(30)))
        .isInstanceOf(MeterDocument.Rewrite.Unexpected.class);
    StoredEntity oddEntity = new StoredEntity(stored.id(), stored.types(), stored.createdAt(), stored.modifiedAt(), odd);
    // The tree path decides, and it refuses such an entity as it always did.
    assertThatThrownBy(() -> LatestValues.project(Optional.of(oddEntity), METER, reading(step, T0.plusSeconds(20)),
        values(step), T0.plusSeconds(30))).isInstanceOf(RuntimeException.class);
  }

  /**
   * A document as the store reads it back: members in their order, numbers as read. The rewrite
   * copies a kept value's text ({@code 0.0}) where the tree path writes the number it parsed
   * ({@code 0}); the same number, and the same once read.
   */
  private static String normal(String document) {
    return Json.write(Json.parseStored(document));
  }

  private static Outcome tree(StoredEntity stored, Step step, Instant time, Instant now) {
    Reading r = new Reading(0, METER, time, time, step.measures(), List.of(), null);
    return MeterModel.applyMeter(Optional.ofNullable(stored), METER, List.of(MeterModel.prepare(METER, r, now)),
        (x, before) -> step.flags(), now, new TelegramResult[1]);
  }

  private static nl.sleutelbos.store.ReadingStore.Reading reading(Step step, Instant time) {
    Reading r = new Reading(0, METER, time, time, step.measures(), List.of(), null);
    return new nl.sleutelbos.store.ReadingStore.Reading(METER, time, time, time, QualityBits.of(step.flags()),
        ReadingCodec.encode(r));
  }

  private static ReadingCodec.Values values(Step step) {
    return new ReadingCodec.Values(step.measures(), List.of());
  }

  /** What an operator may have done to the entity after its first reading. */
  private static StoredEntity edited(StoredEntity stored, int edit) {
    ObjectNode doc = Entity.of(stored).document();
    switch (edit) {
      case 1 -> doc.putArray(MeterModel.CAPACITY).addObject().put("type", "Property").put("value", "3x25A")
          .put("createdAt", "2026-01-01T00:00:00Z").put("modifiedAt", "2026-01-01T00:00:00Z");
      case 2 -> {
        // An instance removed, and one of a dataset the meter does not send.
        if (doc.get(MeterModel.V + "voltage") instanceof com.fasterxml.jackson.databind.node.ArrayNode v
            && !v.isEmpty()) {
          v.remove(0);
          v.addObject().put("type", "Property").put("value", 1.0E-7).put("datasetId", "urn:ngsi-ld:dataset:N")
              .put("createdAt", "2026-01-01T00:00:00Z").put("modifiedAt", "2026-01-01T00:00:00Z");
        }
      }
      case 3 -> {
        doc.remove(MeterModel.LAST);
        doc.putArray(MeterModel.V + "location").addObject().put("type", "GeoProperty")
            .set("value", Json.object().put("type", "Point").set("coordinates", Json.array().add(5.1).add(52.1)));
      }
      default -> {
        return stored;
      }
    }
    return new Entity(doc, stored.createdAt(), stored.modifiedAt()).toStored();
  }

  @Provide
  Arbitrary<Integer> edits() {
    return Arbitraries.integers().between(0, 3);
  }

  @Provide
  Arbitrary<List<Step>> histories() {
    Arbitrary<List<Reading.Measure>> measures = Arbitraries.integers().between(0, ReadingCodec.DEFS.size() - 1)
        .set().ofMinSize(1).ofMaxSize(ReadingCodec.DEFS.size())
        .flatMap(picked -> {
          List<Arbitrary<Reading.Measure>> each = new ArrayList<>();
          picked.stream().sorted().forEach(i -> each.add(value(ReadingCodec.DEFS.get(i)).map(v ->
              measure(ReadingCodec.DEFS.get(i), v))));
          return Combinators.combine(each).as(list -> list);
        });
    Arbitrary<List<String>> flags = Arbitraries.of(QualityFlag.values()).set().ofMaxSize(2)
        .map(s -> QualityBits.names(QualityBits.of(s.stream().map(QualityFlag::name).toList())));
    Arbitrary<Step> step = Combinators.combine(measures, Arbitraries.integers().between(-30, 600),
        Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, Arbitraries.just(List.<String>of())),
            net.jqwik.api.Tuple.of(1, flags))).as(Step::new);
    return step.list().ofMinSize(2).ofMaxSize(5);
  }

  private static Arbitrary<JsonNode> value(ReadingCodec.Def def) {
    return switch (def.kind()) {
      case NUMBER -> Arbitraries.doubles().between(-1e9, 1e9).ofScale(3).map(d -> Json.NODES.numberNode(d.doubleValue()));
      case COUNT -> Arbitraries.longs().between(0, Long.MAX_VALUE).map(l -> Json.NODES.numberNode(l));
      case TEXT -> Arbitraries.strings().withChars("ab\"\\/\u00e9\u20ac\n\t<").ofMaxLength(12)
          .map(t -> Json.NODES.textNode(t));
    };
  }

  private static Reading.Measure measure(ReadingCodec.Def d, JsonNode value) {
    return new Reading.Measure(d.attribute(), d.datasetId(), d.code(), value, d.unitCode(), d.history());
  }
}

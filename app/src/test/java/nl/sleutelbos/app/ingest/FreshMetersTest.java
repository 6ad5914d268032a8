package nl.sleutelbos.app.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import nl.sleutelbos.metering.dsmr.Telegram;
import nl.sleutelbos.metering.dsmr.TelegramWriter;
import nl.sleutelbos.ngsild.entity.Entity;
import nl.sleutelbos.ngsild.entity.EntityService;
import nl.sleutelbos.store.EntityStore;
import nl.sleutelbos.store.StoreConfig;
import nl.sleutelbos.store.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A meter read by id shows its newest reading before the latest-values projector has written it. */
class FreshMetersTest {
  private static final Instant T0 = Instant.parse("2026-11-27T03:00:00Z");
  private static final String ID = "urn:ngsi-ld:Device:M-7";
  private static final String POWER = MeterModel.V + "activePower";

  @TempDir
  Path dir;
  private EntityStore store;
  private EntityService entities;
  private LatestValues projector;
  private Ingest ingest;
  private FreshMeters fresh;

  @BeforeEach
  void open() {
    Clock clock = Clock.fixed(T0.plusSeconds(30), ZoneOffset.UTC);
    store = Stores.open(new StoreConfig.Sqlite(dir.resolve("s.db")));
    entities = new EntityService(store, clock);
    // Not started: its passes run only when the test calls them.
    projector = new LatestValues(entities, store.documents(), clock, Duration.ofMillis(250), Duration.ofSeconds(1));
    ingest = Ingest.dsmr(entities, projector, new DeviceWrites(), clock);
    fresh = new FreshMeters(store.readings());
  }

  @AfterEach
  void close() {
    store.close();
  }

  private void send(int seconds, String kw) {
    String text = TelegramWriter.write(Telegram.builder("/ISk5\\2MT382-1000").version("50")
        .timestamp(T0.plusSeconds(seconds)).equipmentId("M-7").powerDelivered(new BigDecimal(kw)).build());
    List<TelegramResult> results = ingest.commit(ingest.prepare(
        List.of(Submission.of(Optional.empty(), T0.plusSeconds(seconds + 1), text)), MeterScope.ANY));
    assertThat(results).allMatch(r -> r instanceof TelegramResult.Accepted);
  }

  private static String last(Entity e) {
    return e.document().path(MeterModel.LAST).path(0).path("value").asText();
  }

  private static double power(Entity e) {
    return e.document().path(POWER).path(0).path("value").asDouble();
  }

  @Test
  void aMeterReadByIdShowsItsNewestReadingBeforeTheProjectorWroteIt() {
    send(0, "1.250");
    projector.catchUp();
    send(10, "2.500");

    Entity stored = entities.retrieve("", ID);
    assertThat(last(stored)).isEqualTo(T0.toString());
    assertThat(power(stored)).isEqualTo(1.25);

    Entity read = fresh.freshen("", stored);
    assertThat(last(read)).isEqualTo(T0.plusSeconds(10).toString());
    assertThat(power(read)).isEqualTo(2.5);
    // The same answer on every read, and what the projector then writes.
    assertThat(fresh.freshen("", stored).document()).isEqualTo(read.document());
    projector.catchUp();
    Entity projected = entities.retrieve("", ID);
    assertThat(last(projected)).isEqualTo(last(read));
    assertThat(power(projected)).isEqualTo(power(read));
    assertThat(fresh.freshen("", projected)).isSameAs(projected);
  }

  @Test
  void otherEntitiesAndTenantsAreAnsweredAsStored() {
    send(0, "1.250");
    projector.catchUp();
    send(10, "2.500");
    Entity stored = entities.retrieve("", ID);

    assertThat(fresh.freshen("elsewhere", stored)).isSameAs(stored);
    ObjectNode other = stored.document().deepCopy();
    other.put("id", "urn:ngsi-ld:Building:M-7");
    Entity building = new Entity(other, stored.createdAt(), stored.modifiedAt());
    assertThat(fresh.freshen("", building)).isSameAs(building);
  }
}

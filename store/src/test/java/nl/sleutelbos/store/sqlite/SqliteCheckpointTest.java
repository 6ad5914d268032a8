package nl.sleutelbos.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import nl.sleutelbos.store.Derived;
import nl.sleutelbos.store.EntityChange;
import nl.sleutelbos.store.EntityStore;
import nl.sleutelbos.store.Outcome;
import nl.sleutelbos.store.StoreConfig;
import nl.sleutelbos.store.StoredEntity;
import nl.sleutelbos.store.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Committed pages reach the database file while the store is open: the checkpointer copies them
 * beside the writer, where SQLite alone would wait for the WAL to pass 1,000 pages.
 */
class SqliteCheckpointTest {
  @TempDir Path dir;

  @Test
  void committedPagesAreCopiedIntoTheDatabaseFileBesideTheWriter() throws Exception {
    Path file = dir.resolve("sleutelbos.db");
    try (EntityStore store = Stores.open(new StoreConfig.Sqlite(file))) {
      long before = Files.size(file);
      // About 600 pages in the WAL (a 4 KB document takes a page and an overflow page): below
      // SQLite's own threshold of 1,000 and the writer's of 16,384, so only the checkpointer
      // copies them into the database file before the store closes.
      String doc = "{\"note\":\"" + "x".repeat(4_000) + "\"}";
      Instant t = Instant.parse("2026-11-27T10:00:00Z");
      List<EntityChange> changes = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        StoredEntity e = new StoredEntity("urn:ngsi-ld:Meter:%04d".formatted(i), List.of("Meter"), t, t, doc);
        changes.add(new EntityChange(e.id(), current -> new Outcome.Put(e, Derived.NONE)));
      }
      assertThat(store.apply("", changes)).allMatch(Outcome.Put.class::isInstance);

      long deadline = System.nanoTime() + 30_000_000_000L;
      while (Files.size(file) < before + 1_000_000 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(Files.size(file)).as("database file while the store is open").isGreaterThanOrEqualTo(before + 1_000_000);
      assertThat(store.get("", "urn:ngsi-ld:Meter:0299")).map(StoredEntity::document).isEqualTo(Optional.of(doc));
    }
  }
}

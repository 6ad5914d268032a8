package nl.sleutelbos.store;

import nl.sleutelbos.store.postgres.PostgresEntityStore;
import nl.sleutelbos.store.sqlite.SqliteEntityStore;

/** The one door to a backend: the rest of Sleutelbos names a {@link StoreConfig}, never a backend class. */
public final class Stores {
  private Stores() {}

  /** Opens the store, creating or migrating its schema to the current version first. */
  public static EntityStore open(StoreConfig config) {
    return switch (config) {
      case StoreConfig.Sqlite sqlite -> SqliteEntityStore.open(sqlite);
      case StoreConfig.Postgres postgres -> PostgresEntityStore.open(postgres);
    };
  }
}

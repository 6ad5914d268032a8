package nl.sleutelbos.store.postgres;

import nl.sleutelbos.store.EntityStore;
import nl.sleutelbos.store.StoreConfig;

/** The PostgreSQL backend (pgjdbc + HikariCP). Use {@link nl.sleutelbos.store.Stores#open}. */
public final class PostgresEntityStore {
  private PostgresEntityStore() {}

  public static EntityStore open(StoreConfig.Postgres config) {
    throw new UnsupportedOperationException("PostgreSQL backend not built yet: " + config.jdbcUrl());
  }
}

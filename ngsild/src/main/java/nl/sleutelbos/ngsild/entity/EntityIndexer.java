package nl.sleutelbos.ngsild.entity;

import nl.sleutelbos.store.Derived;

/**
 * Derives what the store keeps beside an entity when it changes: the temporal history, the geo
 * index, the change feed. {@link EntityService} runs every indexer on every write, inside the
 * store's transaction, so an indexer must be quick and pure and must not call the store.
 */
@FunctionalInterface
public interface EntityIndexer {

  /**
   * Returns {@code derived} with this indexer's part added. A write that already carries this
   * indexer's part (the temporal API writes history it was given) is left as it is.
   */
  Derived derive(String tenant, EntityWrite write, Derived derived);
}

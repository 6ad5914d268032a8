package nl.sleutelbos.store;

/** Receives the entities of a scan in id order; returns {@code false} to stop early. */
@FunctionalInterface
public interface EntityVisitor {
  boolean visit(StoredEntity entity);
}

package nl.sleutelbos.store;

import java.util.Optional;

/**
 * A read-modify-write step on one entity, run by the store inside its write transaction with the
 * entity's current committed state (or the state left by an earlier change in the same call).
 *
 * <p>A mutation must be a pure, quick function of its input: it may run on the store's single
 * writer thread, and may be re-run if the store retries a transaction. An exception it throws
 * rejects this change alone, as if it had returned {@link Outcome.Rejected}.
 */
@FunctionalInterface
public interface Mutation {
  Outcome apply(Optional<StoredEntity> current);
}

package nl.sleutelbos.ngsild.entity;

import java.util.List;
import nl.sleutelbos.ngsild.NgsiLdException;

/**
 * The answer to a batch operation (clause 5.2.16): the ids that succeeded, split by whether they
 * were created, and one error per entity that failed. A failed entity wrote nothing.
 */
public record BatchResult(List<String> created, List<String> updated, List<Failure> errors) {
  /** One entity's failure; {@code entityId} is what the client sent, possibly not a valid id. */
  public record Failure(String entityId, NgsiLdException error) {}

  public BatchResult {
    created = List.copyOf(created);
    updated = List.copyOf(updated);
    errors = List.copyOf(errors);
  }

  public List<String> succeeded() {
    return java.util.stream.Stream.concat(created.stream(), updated.stream()).toList();
  }
}

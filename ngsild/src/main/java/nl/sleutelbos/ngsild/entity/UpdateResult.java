package nl.sleutelbos.ngsild.entity;

import java.util.List;

/**
 * The answer to an attribute append or update (clause 5.2.18): which attributes were written and
 * which were not, with the reason. Names are expanded IRIs; the HTTP layer compacts them.
 */
public record UpdateResult(List<String> updated, List<NotUpdated> notUpdated) {
  public record NotUpdated(String attributeName, String reason) {}

  public UpdateResult {
    updated = List.copyOf(updated);
    notUpdated = List.copyOf(notUpdated);
  }

  public boolean complete() {
    return notUpdated.isEmpty();
  }
}

package nl.sleutelbos.ngsild.temporal;

import static java.util.Objects.requireNonNull;

/**
 * One aggregate across a group of entities (a grid-operation answer): each attribute's periods
 * summed over every entity in the group, and how many entities and grid connections it covers.
 *
 * @param aggregate the group's periods, per attribute, as one temporal entity
 * @param entities how many entities contributed
 * @param connections how many distinct grid connections those entities belong to; an entity that
 *     names no connection adds none, so the count never overstates how many households are mixed
 */
public record GroupAggregate(TemporalEntity aggregate, long entities, int connections) {
  public GroupAggregate {
    requireNonNull(aggregate, "aggregate is null");
  }
}

package nl.sleutelbos.store;

import static java.util.Objects.requireNonNull;

/**
 * The bounding box of one geo-property of an entity, in WGS 84 degrees, for the store's spatial
 * index. A box is a hint: the NGSI-LD layer checks the exact geometry of every entity it is given.
 * A geometry that crosses the antimeridian is given as its full longitude range (-180 to 180).
 *
 * @param attribute the geo-property's expanded IRI
 */
public record GeoExtent(String attribute, double west, double south, double east, double north) {
  public GeoExtent {
    requireNonNull(attribute, "attribute is null");
    if (!(west <= east) || !(south <= north)) {
      throw new IllegalArgumentException("empty or NaN extent for " + attribute
          + ": west " + west + ", south " + south + ", east " + east + ", north " + north);
    }
  }
}

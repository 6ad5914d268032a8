package nl.sleutelbos.ngsild.geo;

import nl.sleutelbos.store.GeoExtent;

/**
 * A longitude/latitude rectangle in degrees that never wraps: a region that crosses the
 * antimeridian is widened to the full longitude range, so that a plain interval test on each axis
 * never misses it. That is what the store's spatial index takes.
 */
public record LonLatBox(double west, double south, double east, double north) {
  public static final LonLatBox WORLD = new LonLatBox(-180, -90, 180, 90);

  public LonLatBox {
    if (!(west <= east) || !(south <= north)) {
      throw new IllegalArgumentException("empty or NaN box: " + west + "," + south + "," + east + "," + north);
    }
  }

  public boolean contains(double lon, double lat) {
    return lon >= west && lon <= east && lat >= south && lat <= north;
  }

  public LonLatBox union(LonLatBox other) {
    return new LonLatBox(Math.min(west, other.west), Math.min(south, other.south),
        Math.max(east, other.east), Math.max(north, other.north));
  }

  public GeoExtent toExtent(String attribute) {
    return new GeoExtent(attribute, west, south, east, north);
  }
}

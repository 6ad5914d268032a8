-- The spatial index: one row per extent of a geo-property (see GeoExtent), its box in a GiST
-- index (PostGIS is not assumed). A box is (east, north), (west, south) in degrees.
CREATE TABLE geo_extent (
  tenant text COLLATE "C" NOT NULL,
  entity text COLLATE "C" NOT NULL,
  attribute text COLLATE "C" NOT NULL,
  seq integer NOT NULL,
  area box NOT NULL,
  PRIMARY KEY (tenant, entity, attribute, seq)
);

CREATE INDEX geo_extent_area ON geo_extent USING gist (area);

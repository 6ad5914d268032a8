-- The spatial index: one R*Tree box per extent of a geo-property (see GeoExtent), shared by all
-- tenants, and a mapping from each box to its tenant, entity and attribute. The R*Tree keeps
-- 32-bit floats and rounds every box outwards, so a stored box never shrinks below its extent.
CREATE VIRTUAL TABLE geo_rtree USING rtree(id, west, east, south, north);

-- box is the R*Tree id of the extent.
CREATE TABLE geo_extent (
  box INTEGER PRIMARY KEY,
  tenant TEXT NOT NULL,
  entity TEXT NOT NULL,
  attribute TEXT NOT NULL
);

-- Replacing or dropping an entity's extents finds them by entity.
CREATE INDEX geo_extent_entity ON geo_extent (tenant, entity);

package nl.sleutelbos.store.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import nl.sleutelbos.store.EntityVisitor;
import nl.sleutelbos.store.GeoExtent;
import nl.sleutelbos.store.Selector;
import nl.sleutelbos.store.StoredEntity;
import nl.sleutelbos.store.internal.AreaScan;

/**
 * The embedded backend's spatial index (tables of {@code V2__geo.sql}): an R*Tree of the extents
 * of every entity's geo-properties, written in the entity's own transaction.
 */
final class SqliteGeoIndex {
  private static final String BOXES = "SELECT box FROM geo_extent WHERE tenant = ? AND entity = ?";
  // One box at a time by id: the R*Tree answers "id = ?" by key but "id IN (subquery)" by
  // reading every box, which made each write linear in the size of the index.
  private static final String DROP_BOX = "DELETE FROM geo_rtree WHERE id = ?";
  private static final String DROP_EXTENTS = "DELETE FROM geo_extent WHERE tenant = ? AND entity = ?";
  private static final String ADD_BOX = "INSERT INTO geo_rtree (id, west, east, south, north) VALUES (NULL, ?, ?, ?, ?)";
  // The writer connection is used by one thread only, so last_insert_rowid() is the box just added.
  private static final String ADD_EXTENT =
      "INSERT INTO geo_extent (box, tenant, entity, attribute) VALUES (last_insert_rowid(), ?, ?, ?)";
  /*
   * CROSS JOIN fixes the join order: start from the R*Tree (the box), then look each hit up by
   * its primary key. Left to itself the planner may start from geo_extent's (tenant, entity)
   * index and probe the R*Tree per row, which reads every extent of the tenant.
   */
  private static final String CANDIDATES = "SELECT DISTINCT g.entity FROM geo_rtree r CROSS JOIN geo_extent g"
      + " WHERE r.west <= ? AND r.east >= ? AND r.south <= ? AND r.north >= ?"
      + " AND g.box = r.id AND g.tenant = ? AND g.attribute = ? ORDER BY g.entity";

  private SqliteGeoIndex() {}

  /** Replaces the entity's extents with these (none: drops them). Runs on the writer. */
  static void replace(SqliteSession c, String tenant, String entity, List<GeoExtent> extents) throws SQLException {
    PreparedStatement boxes = c.prepare(BOXES);
    boxes.setString(1, tenant);
    boxes.setString(2, entity);
    List<Long> old = new ArrayList<>();
    try (ResultSet rs = boxes.executeQuery()) {
      while (rs.next()) {
        old.add(rs.getLong(1));
      }
    }
    if (!old.isEmpty()) {
      PreparedStatement dropBox = c.prepare(DROP_BOX);
      for (long box : old) {
        dropBox.setLong(1, box);
        dropBox.executeUpdate();
      }
      PreparedStatement dropExtents = c.prepare(DROP_EXTENTS);
      dropExtents.setString(1, tenant);
      dropExtents.setString(2, entity);
      dropExtents.executeUpdate();
    }
    for (GeoExtent e : extents) {
      PreparedStatement box = c.prepare(ADD_BOX);
      box.setDouble(1, e.west());
      box.setDouble(2, e.east());
      box.setDouble(3, e.south());
      box.setDouble(4, e.north());
      box.executeUpdate();
      PreparedStatement extent = c.prepare(ADD_EXTENT);
      extent.setString(1, tenant);
      extent.setString(2, entity);
      extent.setString(3, e.attribute());
      extent.executeUpdate();
    }
  }

  /** The ids of the entities with an extent of the area's attribute that meets its box, in id order. */
  static List<String> candidates(SqliteSession c, String tenant, GeoExtent area) throws SQLException {
    PreparedStatement ps = c.prepare(CANDIDATES);
    ps.setDouble(1, area.east());
    ps.setDouble(2, area.west());
    ps.setDouble(3, area.north());
    ps.setDouble(4, area.south());
    ps.setString(5, tenant);
    ps.setString(6, area.attribute());
    List<String> ids = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
    }
    return ids;
  }

  /**
   * {@link nl.sleutelbos.store.EntityStore#scan} for a selector with an area: the R*Tree's
   * candidates, fetched by primary key. Keys and fragments are hints and are not checked.
   */
  static void scan(SqliteEntityStore store, String tenant, Selector selector, EntityVisitor visitor) {
    GeoExtent area = selector.area().orElseThrow();
    List<String> candidates = store.withReader(c -> candidates(c, tenant, area));
    AreaScan.scan(candidates, selector, ids -> store.withReader(c -> {
      PreparedStatement ps = c.prepare("SELECT id, types, created_at, modified_at, doc FROM entity"
          + " WHERE tenant = ? AND id IN (" + "?,".repeat(ids.size() - 1) + "?) ORDER BY id");
      ps.setString(1, tenant);
      for (int i = 0; i < ids.size(); i++) {
        ps.setString(i + 2, ids.get(i));
      }
      List<StoredEntity> rows = new ArrayList<>(ids.size());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(SqliteEntityStore.row(rs));
        }
      }
      return rows;
    }), visitor);
  }
}

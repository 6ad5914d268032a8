package nl.sleutelbos.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nl.sleutelbos.store.EntityVisitor;
import nl.sleutelbos.store.GeoExtent;
import nl.sleutelbos.store.Selector;
import nl.sleutelbos.store.StoredEntity;
import nl.sleutelbos.store.internal.AreaScan;

/**
 * The server backend's spatial index (table {@code geo_extent} of {@code V2__geo.sql}, a GiST
 * index on a {@code box} column). One instance collects the extents of one {@link ApplyTransaction}
 * and writes them in that transaction; the static part answers scans with an area.
 */
final class PostgresGeoIndex {
  /*
   * The GiST index finds the boxes; the candidates' ids come back sorted (COLLATE "C", the
   * store's id order) and are fetched by primary key a slice at a time. A plain "EXISTS (...)"
   * in the keyset-paged scan would make the planner walk the primary key and probe the index
   * for every entity of the tenant.
   */
  private static final String CANDIDATES = "SELECT DISTINCT entity FROM geo_extent"
      + " WHERE area && box(point(?, ?), point(?, ?)) AND tenant = ? AND attribute = ? ORDER BY entity";

  private final Connection c;
  private final String tenant;
  /** The extents each touched entity ends with; insertion order is change order. */
  private final Map<String, List<GeoExtent>> latest = new LinkedHashMap<>();

  PostgresGeoIndex(Connection c, String tenant) {
    this.c = c;
    this.tenant = tenant;
  }

  /** The entity now has these extents (a put); an empty list drops them (a remove). */
  void set(String entity, List<GeoExtent> extents) {
    latest.put(entity, extents);
  }

  /** Replaces the stored extents of every entity that was set. */
  void write() throws SQLException {
    if (latest.isEmpty()) {
      return;
    }
    try (PreparedStatement drop = c.prepareStatement("DELETE FROM geo_extent WHERE tenant = ? AND entity = ANY (?)");
        PreparedStatement add = c.prepareStatement("INSERT INTO geo_extent (tenant, entity, attribute, seq, area)"
            + " VALUES (?, ?, ?, ?, box(point(?, ?), point(?, ?)))")) {
      drop.setString(1, tenant);
      drop.setArray(2, c.createArrayOf("text", latest.keySet().toArray()));
      drop.executeUpdate();
      int rows = 0;
      for (Map.Entry<String, List<GeoExtent>> entity : latest.entrySet()) {
        int seq = 0;
        for (GeoExtent e : entity.getValue()) {
          add.setString(1, tenant);
          add.setString(2, entity.getKey());
          add.setString(3, e.attribute());
          add.setInt(4, seq++);
          add.setDouble(5, e.east());
          add.setDouble(6, e.north());
          add.setDouble(7, e.west());
          add.setDouble(8, e.south());
          add.addBatch();
          rows++;
        }
      }
      if (rows > 0) {
        add.executeBatch();
      }
    }
  }

  /**
   * {@link nl.sleutelbos.store.EntityStore#scan} for a selector with an area: the GiST index's
   * candidates, fetched by primary key. Keys and fragments are hints and are not checked.
   */
  static void scan(Pool pool, String tenant, Selector selector, EntityVisitor visitor) {
    GeoExtent area = selector.area().orElseThrow();
    List<String> candidates = pool.read("geo candidates", c -> {
      try (PreparedStatement ps = c.prepareStatement(CANDIDATES)) {
        ps.setDouble(1, area.east());
        ps.setDouble(2, area.north());
        ps.setDouble(3, area.west());
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
    });
    AreaScan.scan(candidates, selector, ids -> pool.read("geo scan", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + PostgresEntityStore.COLUMNS
          + " FROM entity WHERE tenant = ? AND id = ANY (?) ORDER BY id")) {
        ps.setString(1, tenant);
        ps.setArray(2, c.createArrayOf("text", ids.toArray()));
        List<StoredEntity> rows = new ArrayList<>(ids.size());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rows.add(PostgresEntityStore.row(rs));
          }
        }
        return rows;
      }
    }), visitor);
  }
}

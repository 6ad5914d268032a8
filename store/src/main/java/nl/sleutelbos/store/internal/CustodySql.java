package nl.sleutelbos.store.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import nl.sleutelbos.store.CustodyStorage.CampaignRecord;
import nl.sleutelbos.store.CustodyStorage.DeviceFilter;
import nl.sleutelbos.store.CustodyStorage.DeviceRecord;
import nl.sleutelbos.store.CustodyStorage.KeyRecord;

/** The SQL of {@link nl.sleutelbos.store.CustodyStorage} that both backends share. */
public final class CustodySql {
  public static final String KEY_COLUMNS =
      "device_id, role, version, state, provenance, backend, kek, wrap_method, wrapped, created_at, changed_at";
  public static final String KEY_ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  public static final String CAMPAIGN_COLUMNS =
      "campaign_id, spec, status, cursor, devices_done, devices_total, devices_skipped, keys_delivered, reason, created_at, changed_at";
  public static final String UPSERT_CAMPAIGN = "INSERT INTO custody_campaign (" + CAMPAIGN_COLUMNS + ") "
      + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (campaign_id) DO UPDATE SET spec = excluded.spec, "
      + "status = excluded.status, cursor = excluded.cursor, devices_done = excluded.devices_done, "
      + "devices_total = excluded.devices_total, devices_skipped = excluded.devices_skipped, keys_delivered = excluded.keys_delivered, "
      + "reason = excluded.reason, changed_at = excluded.changed_at";
  public static final String UPSERT_DEVICE = "INSERT INTO custody_device (device_id, supplier, batch, region) "
      + "VALUES (?, ?, ?, ?) ON CONFLICT (device_id) DO UPDATE SET supplier = excluded.supplier, "
      + "batch = excluded.batch, region = excluded.region";
  public static final String CHANGE_STATE =
      "UPDATE custody_key SET state = ?, changed_at = ? WHERE device_id = ? AND role = ? AND version = ? AND state = ?";

  private CustodySql() {}

  /** Binds one key row from parameter {@code p}; returns the next parameter index. */
  public static final String SELECT_DEVICE = "SELECT device_id, supplier, batch, region FROM custody_device WHERE device_id = ?";

  public static DeviceRecord device(ResultSet rs) throws SQLException {
    return new DeviceRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4));
  }

  public static int bindKey(PreparedStatement ps, int p, KeyRecord k) throws SQLException {
    ps.setString(p++, k.deviceId());
    ps.setString(p++, k.role());
    ps.setInt(p++, k.version());
    ps.setString(p++, k.state());
    ps.setString(p++, k.provenance());
    ps.setString(p++, k.backend());
    ps.setString(p++, k.kek());
    ps.setString(p++, k.wrapMethod());
    ps.setBytes(p++, k.wrapped());
    ps.setLong(p++, Micros.of(k.created()));
    ps.setLong(p++, Micros.of(k.changed()));
    return p;
  }

  public static KeyRecord key(ResultSet rs) throws SQLException {
    return new KeyRecord(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getString(5),
        rs.getString(6), rs.getString(7), rs.getString(8), rs.getBytes(9),
        Micros.toInstant(rs.getLong(10)), Micros.toInstant(rs.getLong(11)));
  }

  public static void bindCampaign(PreparedStatement ps, CampaignRecord c) throws SQLException {
    ps.setString(1, c.id());
    ps.setString(2, c.spec());
    ps.setString(3, c.status());
    ps.setString(4, c.cursor());
    ps.setLong(5, c.devicesDone());
    ps.setLong(6, c.devicesTotal());
    ps.setLong(7, c.devicesSkipped());
    ps.setLong(8, c.keysDelivered());
    ps.setString(9, c.reason());
    ps.setLong(10, Micros.of(c.created()));
    ps.setLong(11, Micros.of(c.changed()));
  }

  public static CampaignRecord campaign(ResultSet rs) throws SQLException {
    return new CampaignRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
        rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getString(9), Micros.toInstant(rs.getLong(10)), Micros.toInstant(rs.getLong(11)));
  }

  /**
   * The page query of {@code selectDevices} ({@code limit} > 0) or the count of
   * {@code countDevices} (limit 0), with its parameters in order. Key-driven when the filter
   * looks only at keys (a device needs no record), device-driven otherwise.
   */
  public static Query select(DeviceFilter filter, String after, int limit) {
    List<Object> params = new ArrayList<>();
    StringBuilder keyCondition = new StringBuilder();
    StringBuilder sql = new StringBuilder();
    if (!filter.byDevice()) {
      sql.append(limit > 0 ? "SELECT DISTINCT device_id FROM custody_key WHERE device_id > ?"
          : "SELECT COUNT(DISTINCT device_id) FROM custody_key WHERE device_id > ?");
      params.add(after);
      keyFilter(filter, "", keyCondition, params);
      sql.append(keyCondition);
    } else {
      sql.append(limit > 0 ? "SELECT d.device_id FROM custody_device d WHERE d.device_id > ?"
          : "SELECT COUNT(*) FROM custody_device d WHERE d.device_id > ?");
      params.add(after);
      eq(filter.supplier(), "d.supplier", sql, params);
      eq(filter.batch(), "d.batch", sql, params);
      eq(filter.region(), "d.region", sql, params);
      sql.append(" AND EXISTS (SELECT 1 FROM custody_key k WHERE k.device_id = d.device_id");
      keyFilter(filter, "k.", sql, params);
      sql.append(")");
    }
    if (limit > 0) {
      sql.append(filter.byDevice() ? " ORDER BY d.device_id LIMIT ?" : " ORDER BY device_id LIMIT ?");
      params.add(limit);
    }
    return new Query(sql.toString(), params);
  }

  private static void keyFilter(DeviceFilter filter, String alias, StringBuilder sql, List<Object> params) {
    eq(filter.keyProvenance(), alias + "provenance", sql, params);
    eq(filter.keyState(), alias + "state", sql, params);
  }

  private static void eq(Optional<String> value, String column, StringBuilder sql, List<Object> params) {
    value.ifPresent(v -> {
      sql.append(" AND ").append(column).append(" = ?");
      params.add(v);
    });
  }

  /** SQL and its parameters (strings and integers). */
  public record Query(String sql, List<Object> params) {
    public void bind(PreparedStatement ps) throws SQLException {
      for (int i = 0; i < params.size(); i++) {
        if (params.get(i) instanceof Integer n) {
          ps.setInt(i + 1, n);
        } else {
          ps.setString(i + 1, (String) params.get(i));
        }
      }
    }
  }
}

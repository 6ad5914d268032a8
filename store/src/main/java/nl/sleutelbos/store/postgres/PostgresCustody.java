package nl.sleutelbos.store.postgres;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import nl.sleutelbos.store.CustodyStorage;
import nl.sleutelbos.store.internal.CustodySql;
import nl.sleutelbos.store.internal.Micros;

/**
 * The custody tables of the PostgreSQL backend. A chunk of keys is one JDBC batch, which the
 * driver rewrites into multi-row inserts ({@code reWriteBatchedInserts}), in one transaction.
 */
final class PostgresCustody implements CustodyStorage {
  /** SQLSTATE of a unique violation: a (device, role, version) taken already. */
  private static final String UNIQUE_VIOLATION = "23505";

  private final Pool pool;

  PostgresCustody(Pool pool) {
    this.pool = pool;
  }

  @FunctionalInterface
  private interface Tx {
    boolean run(Connection c) throws SQLException;
  }

  /** Runs the work in one transaction; false (or a unique violation) rolls everything back. */
  private boolean transaction(String what, Tx work) {
    try (Connection c = pool.connection()) {
      c.setAutoCommit(false);
      try {
        if (work.run(c)) {
          c.commit();
          return true;
        }
        c.rollback();
        return false;
      } catch (SQLException e) {
        c.rollback();
        if (UNIQUE_VIOLATION.equals(e.getSQLState())
            || e.getNextException() != null && UNIQUE_VIOLATION.equals(e.getNextException().getSQLState())) {
          return false;
        }
        throw e;
      } catch (RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw Pool.failure(what + " failed", e);
    }
  }

  @Override
  public boolean insertKeys(List<KeyRecord> keys) {
    if (keys.isEmpty()) {
      return true;
    }
    return transaction("insert custody keys", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO custody_key (" + CustodySql.KEY_COLUMNS + ") VALUES " + CustodySql.KEY_ROW)) {
        for (KeyRecord k : keys) {
          CustodySql.bindKey(ps, 1, k);
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return true;
    });
  }

  @Override
  public boolean changeStates(List<StateChange> changes) {
    if (changes.isEmpty()) {
      return true;
    }
    return transaction("change custody key states", c -> {
      try (PreparedStatement ps = c.prepareStatement(CustodySql.CHANGE_STATE)) {
        for (StateChange s : changes) {
          ps.setString(1, s.to());
          ps.setLong(2, Micros.of(s.at()));
          ps.setString(3, s.deviceId());
          ps.setString(4, s.role());
          ps.setInt(5, s.version());
          ps.setString(6, s.from());
          if (ps.executeUpdate() != 1) {
            return false;
          }
        }
      }
      return true;
    });
  }

  @Override
  public List<KeyRecord> keys(Collection<String> deviceIds) {
    if (deviceIds.isEmpty()) {
      return List.of();
    }
    String[] ids = new TreeSet<>(deviceIds).toArray(String[]::new);
    return pool.read("read custody keys", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + CustodySql.KEY_COLUMNS
          + " FROM custody_key WHERE device_id = ANY(?) ORDER BY device_id, role, version")) {
        Array array = c.createArrayOf("text", ids);
        ps.setArray(1, array);
        List<KeyRecord> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(CustodySql.key(rs));
          }
        }
        return out;
      }
    });
  }

  @Override
  public void putDevices(List<DeviceRecord> devices) {
    if (devices.isEmpty()) {
      return;
    }
    transaction("store device records", c -> {
      try (PreparedStatement ps = c.prepareStatement(CustodySql.UPSERT_DEVICE)) {
        for (DeviceRecord d : devices) {
          ps.setString(1, d.deviceId());
          ps.setString(2, d.supplier());
          ps.setString(3, d.batch());
          ps.setString(4, d.region());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return true;
    });
  }

  @Override
  public Optional<DeviceRecord> device(String deviceId) {
    return pool.read("read device record", c -> {
      try (PreparedStatement ps = c.prepareStatement(CustodySql.SELECT_DEVICE)) {
        ps.setString(1, deviceId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(CustodySql.device(rs)) : Optional.<DeviceRecord>empty();
        }
      }
    });
  }

  @Override
  public List<String> selectDevices(DeviceFilter filter, String after, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit < 1: " + limit);
    }
    CustodySql.Query q = CustodySql.select(filter, after, limit);
    return pool.read("select devices", c -> {
      try (PreparedStatement ps = c.prepareStatement(q.sql())) {
        q.bind(ps);
        List<String> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(rs.getString(1));
          }
        }
        return out;
      }
    });
  }

  @Override
  public long countDevices(DeviceFilter filter) {
    CustodySql.Query q = CustodySql.select(filter, "", 0);
    return pool.read("count devices", c -> {
      try (PreparedStatement ps = c.prepareStatement(q.sql())) {
        q.bind(ps);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    });
  }

  @Override
  public void putCampaign(CampaignRecord campaign) {
    pool.autocommit("store campaign", c -> {
      try (PreparedStatement ps = c.prepareStatement(CustodySql.UPSERT_CAMPAIGN)) {
        CustodySql.bindCampaign(ps, campaign);
        ps.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public Optional<CampaignRecord> campaign(String id) {
    return pool.read("read campaign", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT " + CustodySql.CAMPAIGN_COLUMNS + " FROM custody_campaign WHERE campaign_id = ?")) {
        ps.setString(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(CustodySql.campaign(rs)) : Optional.<CampaignRecord>empty();
        }
      }
    });
  }

  @Override
  public List<CampaignRecord> campaigns() {
    return pool.read("read campaigns", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT " + CustodySql.CAMPAIGN_COLUMNS + " FROM custody_campaign ORDER BY campaign_id");
          ResultSet rs = ps.executeQuery()) {
        List<CampaignRecord> out = new ArrayList<>();
        while (rs.next()) {
          out.add(CustodySql.campaign(rs));
        }
        return out;
      }
    });
  }
}

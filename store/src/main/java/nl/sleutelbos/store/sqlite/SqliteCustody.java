package nl.sleutelbos.store.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import nl.sleutelbos.store.CustodyStorage;
import nl.sleutelbos.store.internal.CustodySql;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The custody tables of the SQLite backend. Writes go through the writer's group commit, so a
 * campaign's chunk of keys is one multi-row insert inside one durable commit.
 */
final class SqliteCustody implements CustodyStorage {
  /** Rows per multi-row INSERT: 64 × 11 parameters, well inside SQLite's limit. */
  private static final int ROWS = 64;
  /** Device ids per read; a shorter list is padded with NULL, which matches nothing. */
  private static final int IDS = 128;

  private final WriterThread writer;
  private final SqliteDocuments.Reads reads;

  SqliteCustody(WriterThread writer, SqliteDocuments.Reads reads) {
    this.writer = writer;
    this.reads = reads;
  }

  /** Thrown inside a writer task to roll back its savepoint: the caller answers false. */
  private static final class Conflict extends RuntimeException {
    Conflict() {
      super(null, null, false, false);
    }
  }

  @Override
  public boolean insertKeys(List<KeyRecord> keys) {
    if (keys.isEmpty()) {
      return true;
    }
    try {
      return writer.submit(c -> {
        try {
          int i = 0;
          PreparedStatement many = c.prepare("INSERT INTO custody_key (" + CustodySql.KEY_COLUMNS + ") VALUES "
              + String.join(", ", Collections.nCopies(ROWS, CustodySql.KEY_ROW)));
          for (; i + ROWS <= keys.size(); i += ROWS) {
            int p = 1;
            for (KeyRecord k : keys.subList(i, i + ROWS)) {
              p = CustodySql.bindKey(many, p, k);
            }
            many.executeUpdate();
          }
          PreparedStatement one = c.prepare("INSERT INTO custody_key (" + CustodySql.KEY_COLUMNS + ") VALUES " + CustodySql.KEY_ROW);
          for (KeyRecord k : keys.subList(i, keys.size())) {
            CustodySql.bindKey(one, 1, k);
            one.executeUpdate();
          }
          return true;
        } catch (SQLiteException e) {
          if ((e.getErrorCode() & 0xff) == SQLiteErrorCode.SQLITE_CONSTRAINT.code) { // the primary key: a taken version
            throw new Conflict();
          }
          throw e;
        }
      });
    } catch (Conflict e) {
      return false;
    }
  }

  @Override
  public boolean changeStates(List<StateChange> changes) {
    if (changes.isEmpty()) {
      return true;
    }
    try {
      return writer.submit(c -> {
        PreparedStatement ps = c.prepare(CustodySql.CHANGE_STATE);
        for (StateChange s : changes) {
          ps.setString(1, s.to());
          ps.setLong(2, nl.sleutelbos.store.internal.Micros.of(s.at()));
          ps.setString(3, s.deviceId());
          ps.setString(4, s.role());
          ps.setInt(5, s.version());
          ps.setString(6, s.from());
          if (ps.executeUpdate() != 1) {
            throw new Conflict();
          }
        }
        return true;
      });
    } catch (Conflict e) {
      return false;
    }
  }

  @Override
  public List<KeyRecord> keys(Collection<String> deviceIds) {
    List<String> ids = new ArrayList<>(new TreeSet<>(deviceIds));
    if (ids.isEmpty()) {
      return List.of();
    }
    String sql = "SELECT " + CustodySql.KEY_COLUMNS + " FROM custody_key WHERE device_id IN ("
        + String.join(", ", Collections.nCopies(IDS, "?")) + ") ORDER BY device_id, role, version";
    return reads.withReader(c -> {
      PreparedStatement ps = c.prepare(sql);
      List<KeyRecord> out = new ArrayList<>();
      for (int from = 0; from < ids.size(); from += IDS) {
        for (int j = 0; j < IDS; j++) {
          ps.setString(j + 1, from + j < ids.size() ? ids.get(from + j) : null);
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(CustodySql.key(rs));
          }
        }
      }
      return out;
    });
  }

  @Override
  public void putDevices(List<DeviceRecord> devices) {
    if (devices.isEmpty()) {
      return;
    }
    writer.submit(c -> {
      PreparedStatement ps = c.prepare(CustodySql.UPSERT_DEVICE);
      for (DeviceRecord d : devices) {
        ps.setString(1, d.deviceId());
        ps.setString(2, d.supplier());
        ps.setString(3, d.batch());
        ps.setString(4, d.region());
        ps.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public Optional<DeviceRecord> device(String deviceId) {
    return reads.withReader(c -> {
      PreparedStatement ps = c.prepare(CustodySql.SELECT_DEVICE);
      ps.setString(1, deviceId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(CustodySql.device(rs)) : Optional.<DeviceRecord>empty();
      }
    });
  }

  @Override
  public List<String> selectDevices(DeviceFilter filter, String after, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit < 1: " + limit);
    }
    CustodySql.Query q = CustodySql.select(filter, after, limit);
    return reads.withReader(c -> {
      PreparedStatement ps = c.prepare(q.sql());
      q.bind(ps);
      List<String> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    });
  }

  @Override
  public long countDevices(DeviceFilter filter) {
    CustodySql.Query q = CustodySql.select(filter, "", 0);
    return reads.withReader(c -> {
      PreparedStatement ps = c.prepare(q.sql());
      q.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  @Override
  public void putCampaign(CampaignRecord campaign) {
    writer.submit(c -> {
      PreparedStatement ps = c.prepare(CustodySql.UPSERT_CAMPAIGN);
      CustodySql.bindCampaign(ps, campaign);
      ps.executeUpdate();
      return null;
    });
  }

  @Override
  public Optional<CampaignRecord> campaign(String id) {
    return reads.withReader(c -> {
      PreparedStatement ps = c.prepare("SELECT " + CustodySql.CAMPAIGN_COLUMNS + " FROM custody_campaign WHERE campaign_id = ?");
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(CustodySql.campaign(rs)) : Optional.<CampaignRecord>empty();
      }
    });
  }

  @Override
  public List<CampaignRecord> campaigns() {
    return reads.withReader(c -> {
      List<CampaignRecord> out = new ArrayList<>();
      try (ResultSet rs = c.prepare("SELECT " + CustodySql.CAMPAIGN_COLUMNS + " FROM custody_campaign ORDER BY campaign_id").executeQuery()) {
        while (rs.next()) {
          out.add(CustodySql.campaign(rs));
        }
      }
      return out;
    });
  }
}

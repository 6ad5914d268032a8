package nl.sleutelbos.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import nl.sleutelbos.store.ChangeFeed;
import nl.sleutelbos.store.EntityChange;
import nl.sleutelbos.store.Outcome;
import nl.sleutelbos.store.StoredEntity;
import nl.sleutelbos.store.internal.Changes;
import nl.sleutelbos.store.internal.FeedEntries;

/**
 * One attempt at {@link PostgresEntityStore#apply}, inside a transaction the caller commits.
 *
 * <p>The rows of every id in the call are locked and read with one {@code SELECT ... FOR UPDATE}
 * (in id order, so two calls lock shared rows in the same order), the mutations run in Java over
 * that state, and only the net difference per id is written, in JDBC batches. An id that was
 * absent is written with a plain {@code INSERT}: if another transaction created it meanwhile the
 * insert fails with a unique violation and the caller reruns the whole call, whose mutations then
 * see the new row. An upsert there would silently overwrite that row (a lost update).
 *
 * <p>In careful mode each put's values are first tried alone under a savepoint, so a document
 * PostgreSQL refuses (not JSON, or <code>&#92;u0000</code>) rejects that change only. The caller switches
 * to careful mode when a fast attempt failed with a data exception.
 */
final class ApplyTransaction {
  private final Connection c;
  private final String tenant;
  private final boolean careful;
  private final boolean tenantKnown;
  private boolean wrote;

  /**
   * @param tenantKnown the tenant's row is known to be committed already, so a write need not
   *     insert it again
   */
  ApplyTransaction(Connection c, String tenant, boolean careful, boolean tenantKnown) {
    this.c = c;
    this.tenant = tenant;
    this.careful = careful;
    this.tenantKnown = tenantKnown;
  }

  /** Whether the call put an entity, and so created its tenant if it was new. */
  boolean wrote() {
    return wrote;
  }

  List<Outcome> run(List<EntityChange> changes) throws SQLException {
    Set<String> ids = new LinkedHashSet<>();
    for (EntityChange change : changes) {
      ids.add(change.entityId());
    }
    Map<String, StoredEntity> before = lockAndRead(ids);
    Map<String, Optional<StoredEntity>> after = new HashMap<>();
    List<Outcome> outcomes = new ArrayList<>(changes.size());
    List<ChangeFeed.Change> feed = new ArrayList<>();
    PostgresGeoIndex geo = new PostgresGeoIndex(c, tenant);
    for (EntityChange change : changes) {
      String id = change.entityId();
      Optional<StoredEntity> current = after.computeIfAbsent(id, k -> Optional.ofNullable(before.get(k)));
      Outcome outcome = Changes.run(change, current);
      if (careful && outcome instanceof Outcome.Put put) {
        outcome = tryAlone(put);
      }
      switch (outcome) {
        case Outcome.Put put -> {
          after.put(id, Optional.of(put.entity()));
          geo.set(id, put.derived().extents());
          wrote = true;
        }
        case Outcome.Remove remove -> {
          after.put(id, Optional.empty());
          geo.set(id, List.of());
        }
        case Outcome.Unchanged unchanged -> { }
        case Outcome.Rejected rejected -> { }
      }
      FeedEntries.of(tenant, outcome, current, java.time.Instant.now()).ifPresent(feed::add);
      outcomes.add(outcome);
    }
    write(before, after);
    PostgresHistory.write(c, tenant, outcomes);
    PostgresFeed.append(c, feed);
    geo.write();
    if (wrote && !tenantKnown) {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO tenant (name, created_at) VALUES (?, now()) ON CONFLICT (name) DO NOTHING")) {
        ps.setString(1, tenant);
        ps.executeUpdate();
      }
    }
    return outcomes;
  }

  private Map<String, StoredEntity> lockAndRead(Set<String> ids) throws SQLException {
    Map<String, StoredEntity> rows = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT " + PostgresEntityStore.COLUMNS
        + " FROM entity WHERE tenant = ? AND id = ANY (?) ORDER BY id FOR UPDATE")) {
      ps.setString(1, tenant);
      ps.setArray(2, c.createArrayOf("text", ids.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          StoredEntity e = PostgresEntityStore.row(rs);
          rows.put(e.id(), e);
        }
      }
    }
    return rows;
  }

  /** Checks under a savepoint that PostgreSQL accepts the put's values; rejects the change if not. */
  private Outcome tryAlone(Outcome.Put put) throws SQLException {
    StoredEntity e = put.entity();
    Savepoint savepoint = c.setSavepoint();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT CAST(? AS jsonb) IS NULL, length(?), cardinality(?)")) {
      ps.setString(1, e.document());
      ps.setString(2, e.id());
      ps.setArray(3, c.createArrayOf("text", e.types().toArray()));
      ps.executeQuery().close();
      c.releaseSavepoint(savepoint);
      return put;
    } catch (SQLException refused) {
      c.rollback(savepoint);
      if (!PostgresEntityStore.isDataException(refused)) {
        throw refused;
      }
      return Outcome.rejected(new IllegalArgumentException(
          "PostgreSQL refused entity " + e.id() + ": " + refused.getMessage(), refused));
    }
  }

  /** Writes the net change of each id, in id order. */
  private void write(Map<String, StoredEntity> before, Map<String, Optional<StoredEntity>> after)
      throws SQLException {
    try (PreparedStatement insert = c.prepareStatement(
            "INSERT INTO entity (tenant, id, types, created_at, modified_at, doc) "
                + "VALUES (?, ?, ?, ?, ?, CAST(? AS jsonb))");
        PreparedStatement update = c.prepareStatement(
            "UPDATE entity SET types = ?, created_at = ?, modified_at = ?, doc = CAST(? AS jsonb) "
                + "WHERE tenant = ? AND id = ?");
        PreparedStatement delete = c.prepareStatement("DELETE FROM entity WHERE tenant = ? AND id = ?");
        PreparedStatement addType = c.prepareStatement(
            "INSERT INTO entity_type (tenant, type, id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING");
        PreparedStatement dropType = c.prepareStatement(
            "DELETE FROM entity_type WHERE tenant = ? AND type = ? AND id = ?")) {
      int inserts = 0;
      int updates = 0;
      int deletes = 0;
      int typeAdds = 0;
      int typeDrops = 0;
      for (String id : new TreeSet<>(after.keySet())) {
        StoredEntity old = before.get(id);
        StoredEntity now = after.get(id).orElse(null);
        if (Objects.equals(old, now)) {
          continue;
        }
        if (now == null) {
          delete.setString(1, tenant);
          delete.setString(2, id);
          delete.addBatch();
          deletes++;
        } else if (old == null) {
          insert.setString(1, tenant);
          insert.setString(2, id);
          insert.setArray(3, c.createArrayOf("text", now.types().toArray()));
          insert.setObject(4, time(now.createdAt()));
          insert.setObject(5, time(now.modifiedAt()));
          insert.setString(6, now.document());
          insert.addBatch();
          inserts++;
        } else {
          update.setArray(1, c.createArrayOf("text", now.types().toArray()));
          update.setObject(2, time(now.createdAt()));
          update.setObject(3, time(now.modifiedAt()));
          update.setString(4, now.document());
          update.setString(5, tenant);
          update.setString(6, id);
          update.addBatch();
          updates++;
        }
        Set<String> oldTypes = old == null ? Set.of() : new HashSet<>(old.types());
        Set<String> newTypes = now == null ? Set.of() : new HashSet<>(now.types());
        for (String type : oldTypes) {
          if (!newTypes.contains(type)) {
            typeRow(dropType, type, id);
            typeDrops++;
          }
        }
        for (String type : newTypes) {
          if (!oldTypes.contains(type)) {
            typeRow(addType, type, id);
            typeAdds++;
          }
        }
      }
      // Entity rows first: a lost insert race shows up as a unique violation before any type row.
      execute(delete, deletes);
      execute(update, updates);
      execute(insert, inserts);
      execute(dropType, typeDrops);
      execute(addType, typeAdds);
    }
  }

  private void typeRow(PreparedStatement ps, String type, String id) throws SQLException {
    ps.setString(1, tenant);
    ps.setString(2, type);
    ps.setString(3, id);
    ps.addBatch();
  }

  private static void execute(PreparedStatement ps, int rows) throws SQLException {
    if (rows > 0) {
      ps.executeBatch();
    }
  }

  /** Microsecond precision, truncated like the SQLite backend, never rounded up by the driver. */
  static OffsetDateTime time(java.time.Instant instant) {
    return OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
  }
}

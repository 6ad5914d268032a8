package nl.sleutelbos.app.audit;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import nl.sleutelbos.audit.AuditEntry;
import nl.sleutelbos.audit.StoredAuditLog;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.ngsild.context.LdContext;
import nl.sleutelbos.ngsild.entity.BatchItem;
import nl.sleutelbos.ngsild.entity.BatchResult;
import nl.sleutelbos.ngsild.entity.EntityReader;
import nl.sleutelbos.ngsild.entity.EntityService;
import nl.sleutelbos.store.DocumentStore;

/**
 * The audit log as NGSI-LD entities, for search: one {@code AuditEntry} entity per log entry
 * ({@code urn:ngsi-ld:AuditEntry:<sequence>}), so that an auditor finds "every act of vendor X
 * last week" with an ordinary NGSI-LD query. The Merkle log stays the truth; these entities are a
 * read model that follows it in order, in batches, from a durable cursor, and carry each entry's
 * leaf hash so a hit can be checked against an inclusion proof. They lag the log by at most one
 * poll. The policy keeps them read-only for every subject (see the default policy set).
 */
public final class AuditEntities implements AutoCloseable {
  public static final String TYPE = "AuditEntry";
  private static final Logger LOG = Logger.getLogger(AuditEntities.class.getName());
  private static final String CURSOR = "audit-entities";
  private static final int BATCH = 500;

  private final StoredAuditLog log;
  private final EntityService entities;
  private final DocumentStore documents;
  private final EntityReader reader;
  private final Duration idle;
  private volatile boolean closed;
  private Thread follower;

  public AuditEntities(StoredAuditLog log, EntityService entities, DocumentStore documents, LdContext context,
      Duration idle) {
    this.log = requireNonNull(log, "log is null");
    this.entities = requireNonNull(entities, "entities is null");
    this.documents = requireNonNull(documents, "documents is null");
    this.reader = new EntityReader(context);
    this.idle = requireNonNull(idle, "idle is null");
  }

  public static String id(long sequence) {
    return "urn:ngsi-ld:" + TYPE + ":" + sequence;
  }

  /** Follows the log in the background until closed. */
  public AuditEntities start() {
    follower = Thread.ofVirtual().name("audit entities").start(this::follow);
    return this;
  }

  private void follow() {
    while (!closed) {
      try {
        if (catchUp() == 0) {
          Thread.sleep(idle);
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (closed) {
          return;
        }
        LOG.log(Level.WARNING, "audit entities: cannot follow the log, retrying: " + e.getMessage(), e);
        try {
          Thread.sleep(idle.multipliedBy(10));
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  /** Writes the entities of the next batch of entries not yet shown; returns how many. */
  public int catchUp() {
    long next = documents.get(CURSOR, "next").map(Long::parseLong).orElse(0L);
    long end = Math.min(log.size(), next + BATCH);
    if (end <= next) {
      return 0;
    }
    List<BatchItem> items = new ArrayList<>();
    for (AuditEntry entry : log.entries(next, end)) {
      items.add(new BatchItem.Valid((ObjectNode) reader.entity(entity(entry))));
    }
    // Replacing upserts make a retry after a crash between the write and the cursor harmless.
    BatchResult result = entities.batchUpsert("", items, true);
    if (!result.errors().isEmpty()) {
      throw new IllegalStateException("cannot write audit entity " + result.errors().getFirst().entityId() + ": "
          + result.errors().getFirst().error().getMessage());
    }
    documents.put(CURSOR, "next", Long.toString(end));
    return items.size();
  }

  private static ObjectNode entity(AuditEntry entry) {
    ObjectNode e = Json.object();
    e.put("id", id(entry.sequence()));
    e.put("type", TYPE);
    property(e, "sequence").put("value", entry.sequence());
    property(e, "time").set("value", Json.object().put("@type", "DateTime").put("@value", entry.time().toString()));
    property(e, "actorSubject").put("value", entry.actor().subject());
    property(e, "actorOrganisation").put("value", entry.actor().organisation());
    property(e, "action").put("value", entry.action());
    property(e, "target").put("value", entry.target());
    property(e, "outcome").put("value", entry.outcome().name());
    if (!entry.reason().isEmpty()) {
      property(e, "reason").put("value", entry.reason());
    }
    property(e, "requestId").put("value", entry.requestId());
    property(e, "detailsSha256").put("value", entry.detailsSha256());
    property(e, "leafHash").put("value", HexFormat.of().formatHex(entry.leafHash()));
    return e;
  }

  private static ObjectNode property(ObjectNode entity, String name) {
    ObjectNode p = entity.putObject(name);
    p.put("type", "Property");
    return p;
  }

  @Override
  public void close() {
    closed = true;
    if (follower != null) {
      follower.interrupt();
      try {
        follower.join(Duration.ofSeconds(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}

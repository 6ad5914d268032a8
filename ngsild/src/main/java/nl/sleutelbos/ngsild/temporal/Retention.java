package nl.sleutelbos.ngsild.temporal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.store.DocumentStore;
import nl.sleutelbos.store.History;

/**
 * Applies the {@link RetentionPolicy}s: keeps them in the store's documents and deletes expired
 * history in the background.
 *
 * <p>A sweep deletes in batches of {@code batch} instances, each batch its own short transaction
 * (on SQLite one task of the writer's group commit), and yields between batches, so that writers
 * never wait for more than one batch. An attribute's own policy wins over its type's policy for
 * every attribute: the type-wide sweep leaves those attributes alone.
 */
public final class Retention implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Retention.class.getName());
  private static final String COLLECTION = "retention";

  private final DocumentStore documents;
  private final History history;
  private final Clock clock;
  private final int batch;
  private volatile Thread sweeper;
  private volatile boolean closed;

  public Retention(DocumentStore documents, History history, Clock clock, int batch) {
    if (batch < 1) {
      throw new IllegalArgumentException("batch < 1: " + batch);
    }
    this.documents = documents;
    this.history = history;
    this.clock = clock;
    this.batch = batch;
  }

  public void put(RetentionPolicy policy) {
    documents.put(COLLECTION, policy.key(), Json.write(policy.toJson()));
  }

  public Optional<RetentionPolicy> get(String tenant, String type, Optional<String> attribute) {
    return documents.get(COLLECTION, RetentionPolicy.key(tenant, type, attribute))
        .map(body -> RetentionPolicy.fromJson(Json.parseStored(body)));
  }

  public boolean delete(String tenant, String type, Optional<String> attribute) {
    return documents.delete(COLLECTION, RetentionPolicy.key(tenant, type, attribute));
  }

  /** Every policy, ordered by tenant, type and attribute. */
  public List<RetentionPolicy> list() {
    List<RetentionPolicy> out = new ArrayList<>();
    for (DocumentStore.Document d : documents.list(COLLECTION)) {
      out.add(RetentionPolicy.fromJson(Json.parseStored(d.body())));
    }
    return out;
  }

  /**
   * Deletes every instance the policies say has expired, now.
   *
   * @return how many instances were deleted
   */
  public long sweep() {
    Instant now = clock.instant();
    List<RetentionPolicy> policies = list();
    long deleted = 0;
    for (RetentionPolicy p : policies) {
      Instant cutoff = p.maxAge().before(now);
      if (p.attribute().isPresent()) {
        deleted += expire(p, p.attribute(), cutoff);
        continue;
      }
      // A type-wide policy: every attribute except those with their own policy.
      List<String> own = policies.stream()
          .filter(q -> q.tenant().equals(p.tenant()) && q.type().equals(p.type()) && q.attribute().isPresent())
          .map(q -> q.attribute().get()).toList();
      if (own.isEmpty()) {
        deleted += expire(p, Optional.empty(), cutoff);
      } else {
        for (String attribute : attributesOfType(p)) {
          if (!own.contains(attribute)) {
            deleted += expire(p, Optional.of(attribute), cutoff);
          }
        }
      }
    }
    return deleted;
  }

  /** The attributes the type's entities have history of. */
  private List<String> attributesOfType(RetentionPolicy p) {
    java.util.Set<String> out = new java.util.TreeSet<>();
    Optional<String> after = Optional.empty();
    while (true) {
      List<History.Subject> chunk = history.subjects(p.tenant(), java.util.Set.of(), java.util.Set.of(p.type()), after, 256);
      for (History.Subject s : chunk) {
        history.read(p.tenant(), s.id(), java.util.Set.of(), History.Span.ALL, 1, true)
            .forEach(i -> out.add(i.attribute()));
      }
      if (chunk.size() < 256) {
        return new ArrayList<>(out);
      }
      after = Optional.of(chunk.get(chunk.size() - 1).id());
    }
  }

  private long expire(RetentionPolicy p, Optional<String> attribute, Instant cutoff) {
    long deleted = 0;
    while (!closed) {
      int n = history.expire(p.tenant(), p.type(), attribute, cutoff, batch);
      deleted += n;
      if (n < batch) {
        break;
      }
      Thread.yield(); // let waiting writers in between batches
    }
    return deleted;
  }

  /** Sweeps every {@code interval} on a virtual thread until closed. */
  public void start(Duration interval) {
    sweeper = Thread.ofVirtual().name("retention").start(() -> {
      while (!closed) {
        try {
          long n = sweep();
          if (n > 0) {
            LOG.info("retention deleted " + n + " expired history instances");
          }
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "retention sweep failed; trying again next interval", e);
        }
        try {
          Thread.sleep(interval);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
  }

  @Override
  public void close() {
    closed = true;
    Thread t = sweeper;
    if (t != null) {
      t.interrupt();
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}

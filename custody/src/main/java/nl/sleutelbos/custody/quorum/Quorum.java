package nl.sleutelbos.custody.quorum;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import nl.sleutelbos.store.DocumentStore;

/**
 * M-of-N approval of sensitive key operations: an operation is requested, approved by distinct
 * security officers other than the requester, and runs once {@code required} approvals are in.
 * Requests and approvals are documents ({@code custody.operations}), so a pending operation
 * survives a restart. One process decides on approvals (they are serialised here).
 *
 * <p>A request waits for its approvals for a window ({@link Rule#window()}, a day by default) and
 * then expires: approvals gathered one at a time over weeks are not the deliberate joint decision
 * the rule stands for, and a forgotten pending request should not be waiting for someone to
 * happen upon it. An expired operation is only ever read as {@link Status#EXPIRED}; nothing has
 * to run for it to expire.
 *
 * <p>Every request, approval and execution goes to the {@link Recorder} before it is acknowledged;
 * if recording fails, nothing changes.
 */
public final class Quorum {
  static final String COLLECTION = "custody.operations";
  /** The role an approver must hold. */
  public static final String OFFICER_ROLE = "security-officer";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * How many approvals an operation needs, and from whom.
   *
   * @param required M, the approvals needed
   * @param officers the N designated officers' subject ids; empty: any subject with the
   *     security-officer role may approve
   * @param window how long a request waits for its approvals before it expires
   */
  public record Rule(int required, Set<String> officers, Duration window) {
    /** How long a request waits for approvals unless the rule says otherwise. */
    public static final Duration DEFAULT_WINDOW = Duration.ofHours(24);
    /** Two approvals, from any security officers, within a day. */
    public static final Rule DEFAULT = new Rule(2, Set.of());

    /** A rule with the default window. */
    public Rule(int required, Set<String> officers) {
      this(required, officers, DEFAULT_WINDOW);
    }

    public Rule {
      officers = Set.copyOf(officers);
      requireNonNull(window, "window is null");
      if (required < 1) {
        throw new IllegalArgumentException("required < 1: " + required);
      }
      if (window.isNegative() || window.isZero()) {
        throw new IllegalArgumentException("the approval window must be positive: " + window);
      }
      if (!officers.isEmpty() && officers.size() < required) {
        throw new IllegalArgumentException("fewer officers (" + officers.size() + ") than required approvals (" + required + ")");
      }
    }
  }

  /** The sensitive operations; exporting a key in plaintext is not one of them, nor is there any. */
  public enum Kind {
    /** A new operator signing key (ECDSA P-256) for a purpose. */
    GENERATE_SIGNING_KEY,
    /** A new signing key for a purpose replaces the current one, which is retired. */
    ROTATE_SIGNING_KEY,
    /** A new storage KEK becomes current for new device keys; old ones stay for unwrapping. */
    ROTATE_STORAGE_KEK,
    /** The emergency firmware-update signing key becomes usable. */
    ACTIVATE_EMERGENCY_UPDATE_KEY
  }

  public enum Status { PENDING, EXECUTED, FAILED, EXPIRED }

  public record Approval(String officer, Instant at) {}

  /**
   * One operation and where it stands; {@code result} says what it made (labels, key ids), never
   * material; {@code expires} is when a pending operation stops accepting approvals.
   */
  public record Operation(String id, Kind kind, String purpose, String requester, Instant requested,
      Instant expires, List<Approval> approvals, int required, Status status, String result) {}

  /** Runs an approved operation; returns what to report (labels, key ids). */
  @FunctionalInterface
  public interface Executor {
    String execute(Operation operation);
  }

  /** Where every request, approval and execution is recorded before it takes effect. */
  public interface Recorder {
    void record(String actor, String action, Operation operation, boolean succeeded, String reason);
  }

  /** A refusal the caller can act on. */
  public static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public enum Why { NOT_AN_OFFICER, OWN_REQUEST, ALREADY_APPROVED, NOT_PENDING, EXPIRED, UNKNOWN }

    private final Why why;

    Refused(Why why, String message) {
      super(message);
      this.why = why;
    }

    public Why why() {
      return why;
    }
  }

  private final DocumentStore documents;
  private final Rule rule;
  private final Executor executor;
  private final Recorder recorder;
  private final Clock clock;

  public Quorum(DocumentStore documents, Rule rule, Executor executor, Recorder recorder, Clock clock) {
    this.documents = requireNonNull(documents, "documents is null");
    this.rule = requireNonNull(rule, "rule is null");
    this.executor = requireNonNull(executor, "executor is null");
    this.recorder = requireNonNull(recorder, "recorder is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  public Rule rule() {
    return rule;
  }

  /** Records a request; it waits for approvals. */
  public synchronized Operation request(Kind kind, String purpose, String requester) {
    Instant now = clock.instant();
    Operation op = new Operation(UUID.randomUUID().toString(), kind, purpose, requester, now, now.plus(rule.window()),
        List.of(), rule.required(), Status.PENDING, "");
    recorder.record(requester, "keys.operation.request", op, true, "");
    save(op);
    return op;
  }

  /**
   * Adds an officer's approval; the operation runs in this call when it reaches the quorum. The
   * requester cannot approve their own request, and an officer counts once.
   */
  public synchronized Operation approve(String id, String officer, Set<String> roles) {
    Operation op = get(id).orElseThrow(() -> new Refused(Refused.Why.UNKNOWN, "no operation " + id));
    Refused refusal = null;
    if (op.status() == Status.EXPIRED) {
      refusal = new Refused(Refused.Why.EXPIRED, "operation " + id + " expired at " + op.expires()
          + " without its approvals; request it again");
    } else if (op.status() != Status.PENDING) {
      refusal = new Refused(Refused.Why.NOT_PENDING, "operation " + id + " is " + op.status() + ", not PENDING");
    } else if (!roles.contains(OFFICER_ROLE) || (!rule.officers().isEmpty() && !rule.officers().contains(officer))) {
      refusal = new Refused(Refused.Why.NOT_AN_OFFICER, officer + " is not one of the security officers who approve key operations");
    } else if (officer.equals(op.requester())) {
      refusal = new Refused(Refused.Why.OWN_REQUEST, "the requester may not approve their own request");
    } else if (op.approvals().stream().anyMatch(a -> a.officer().equals(officer))) {
      refusal = new Refused(Refused.Why.ALREADY_APPROVED, officer + " approved this operation already; an officer counts once");
    }
    if (refusal != null) {
      recorder.record(officer, "keys.operation.approve", op, false, refusal.getMessage());
      throw refusal;
    }
    List<Approval> approvals = new ArrayList<>(op.approvals());
    approvals.add(new Approval(officer, clock.instant()));
    Operation approved = with(op, approvals, Status.PENDING, "");
    recorder.record(officer, "keys.operation.approve", approved, true, approvals.size() + " of " + op.required());
    save(approved);
    if (approvals.size() < op.required()) {
      return approved;
    }
    Operation done;
    try {
      done = with(approved, approvals, Status.EXECUTED, executor.execute(approved));
    } catch (RuntimeException e) {
      done = with(approved, approvals, Status.FAILED, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
    recorder.record(officer, "keys.operation.execute", done, done.status() == Status.EXECUTED, done.result());
    save(done);
    return done;
  }

  public Optional<Operation> get(String id) {
    return documents.get(COLLECTION, id).map(this::read);
  }

  /** Every operation, oldest id order is not time order: sorted by request time. */
  public List<Operation> list() {
    return documents.list(COLLECTION).stream().map(d -> read(d.body()))
        .sorted(java.util.Comparator.comparing(Operation::requested)).toList();
  }

  private static Operation with(Operation op, List<Approval> approvals, Status status, String result) {
    return new Operation(op.id(), op.kind(), op.purpose(), op.requester(), op.requested(), op.expires(),
        List.copyOf(approvals), op.required(), status, result);
  }

  private void save(Operation op) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", op.id()).put("kind", op.kind().name()).put("purpose", op.purpose()).put("requester", op.requester())
        .put("requested", op.requested().toString()).put("expires", op.expires().toString())
        .put("required", op.required()).put("status", op.status().name())
        .put("result", op.result());
    ArrayNode a = o.putArray("approvals");
    op.approvals().forEach(x -> a.addObject().put("officer", x.officer()).put("at", x.at().toString()));
    documents.put(COLLECTION, op.id(), o.toString());
  }

  /** The stored operation as it stands now: a pending one past its window reads as expired. */
  private Operation read(String body) {
    try {
      JsonNode o = JSON.readTree(body);
      List<Approval> approvals = new ArrayList<>();
      o.get("approvals").forEach(x -> approvals.add(new Approval(x.get("officer").asText(), Instant.parse(x.get("at").asText()))));
      Instant requested = Instant.parse(o.get("requested").asText());
      // Operations stored before there were windows get the default one.
      Instant expires = o.hasNonNull("expires") ? Instant.parse(o.get("expires").asText())
          : requested.plus(Rule.DEFAULT_WINDOW);
      Status status = Status.valueOf(o.get("status").asText());
      if (status == Status.PENDING && !clock.instant().isBefore(expires)) {
        status = Status.EXPIRED;
      }
      return new Operation(o.get("id").asText(), Kind.valueOf(o.get("kind").asText()), o.get("purpose").asText(),
          o.get("requester").asText(), requested, expires, List.copyOf(approvals), o.get("required").asInt(),
          status, o.get("result").asText());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a stored operation is not JSON", e);
    }
  }
}

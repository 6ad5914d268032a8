package nl.sleutelbos.custody;

import java.util.HashMap;
import java.util.Map;
import nl.sleutelbos.store.DocumentStore;

/**
 * DLMS invocation counters, persisted so that none is ever used twice or lowered, across restarts
 * and crashes. GCM with a repeated IV under one key gives away the authentication key's secrecy,
 * so this is a hard rule.
 *
 * <p>Sending: counters are reserved in blocks; the end of the block is durable before the first
 * counter of it is handed out, so after a crash the unused rest of a block is skipped, never
 * reused. Receiving: a counter is accepted only above the last accepted one, which is durable
 * before the message is handed on.
 *
 * <p>A counter id names one key of one party (e.g. {@code E0051/GLOBAL_UNICAST_ENCRYPTION/3}); a
 * new key starts a new id. One process owns the counters (the document store has no compare-and-set).
 */
public final class InvocationCounters {
  /** The invocation counter is 4 bytes on the wire. */
  public static final long MAX = 0xFFFF_FFFFL;
  static final String SENT = "custody.counters.sent";
  static final String RECEIVED = "custody.counters.received";
  private final DocumentStore documents;
  private final int block;
  private final Map<String, long[]> sending = new HashMap<>();

  /** {@code block} counters are reserved per durable write; 1 writes every counter. */
  public InvocationCounters(DocumentStore documents, int block) {
    if (block < 1) {
      throw new IllegalArgumentException("block < 1: " + block);
    }
    this.documents = documents;
    this.block = block;
  }

  /** The next counter to send with, never handed out before. */
  public synchronized long next(String counterId) {
    long[] state = sending.computeIfAbsent(counterId, id -> {
      long reserved = stored(SENT, id);
      return new long[] {reserved, reserved};
    });
    if (state[0] >= state[1]) {
      long end = Math.min(MAX + 1, state[1] + block);
      if (state[0] > MAX) {
        throw new CustodyException(CustodyException.Reason.INVALID, "invocation counters of " + counterId + " are used up; replace the key");
      }
      documents.put(SENT, counterId, Long.toString(end));
      state[1] = end;
    }
    return state[0]++;
  }

  /** Makes the next sent counter at least {@code value}; never lowers it. */
  public synchronized void raiseTo(String counterId, long value) {
    if (value < 0 || value > MAX) {
      throw new IllegalArgumentException("invocation counter out of range: " + value);
    }
    long current = sending.containsKey(counterId) ? sending.get(counterId)[0] : stored(SENT, counterId);
    if (value > current) {
      documents.put(SENT, counterId, Long.toString(value));
      sending.put(counterId, new long[] {value, value});
    }
  }

  /**
   * Records a received counter once its message verified. Fails with {@code INVALID} unless it is
   * above every counter accepted before from this party.
   */
  public synchronized void accept(String counterId, long received) {
    requireFresh(counterId, received);
    documents.put(RECEIVED, counterId, Long.toString(received + 1));
  }

  /** Fails with {@code INVALID} if the counter was seen or is below one that was. */
  public synchronized void requireFresh(String counterId, long received) {
    if (received < stored(RECEIVED, counterId)) {
      throw new CustodyException(CustodyException.Reason.INVALID, "invocation counter " + received + " of " + counterId + " was seen or is stale");
    }
  }

  private long stored(String collection, String counterId) {
    return documents.get(collection, counterId).map(Long::parseLong).orElse(0L);
  }
}

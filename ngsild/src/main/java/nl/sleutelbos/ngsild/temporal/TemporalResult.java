package nl.sleutelbos.ngsild.temporal;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The answer of a temporal read.
 *
 * @param entities the temporal entities, in id order
 * @param partial when the server left instances out (more than it answers at once), the range of
 *     times the answer covers completely; the client asks again from its end (clause 6.3.10)
 * @param count how many entities match in all, or -1 when not asked
 */
public record TemporalResult(List<TemporalEntity> entities, Optional<Range> partial, long count) {
  public TemporalResult {
    entities = List.copyOf(entities);
    requireNonNull(partial, "partial is null");
  }

  /** The times a partial answer covers, and the lastN it answers if one was asked. */
  public record Range(Instant from, Instant to, OptionalInt lastN) {
    /** The {@code Content-Range} header value: {@code date-time <from>-<to>/<lastN or *>}. */
    public String contentRange() {
      return "date-time " + from + "-" + to + "/" + (lastN.isPresent() ? Integer.toString(lastN.getAsInt()) : "*");
    }
  }
}

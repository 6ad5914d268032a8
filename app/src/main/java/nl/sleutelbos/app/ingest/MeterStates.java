package nl.sleutelbos.app.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import nl.sleutelbos.metering.validation.MeterState;

/**
 * What validation needs to know of each meter before its next telegram — the time and energy
 * registers of its newest reading, and its connection's capacity — kept in memory for the meters
 * seen last, at most {@code capacity} of them (least recently used go first). A meter not held is
 * loaded from the store (its newest reading, its entity), one read for all such meters of a batch,
 * so a restart or an eviction loses nothing. A write that changes a meter's
 * {@code connectionCapacity} drops the meter ({@link #forget}), so the next batch loads it again.
 */
final class MeterStates {
  /**
   * A meter's state: what the validator compares its next telegram with ({@code last}: the time and
   * energy registers of its newest reading; empty when it has none yet), and the capacity its entity
   * states. Kept in the validator's own form, so that judging a telegram makes nothing of it.
   */
  record State(Optional<MeterState> last, Optional<JsonNode> capacity) {
    static final State NONE = new State(Optional.empty(), Optional.empty());

    Optional<Instant> time() {
      return last.map(MeterState::lastTimestamp);
    }

    /** The state after an accepted, not late, reading of {@code time} with these energy registers. */
    State after(Instant time, Map<String, BigDecimal> registers) {
      return new State(Optional.of(new MeterState(time, registers)), capacity);
    }
  }

  static boolean isRegister(Reading.Measure m) {
    return m.attribute().equals("energyConsumed") || m.attribute().equals("energyProduced");
  }

  private final int capacity;
  private final LinkedHashMap<String, State> states;

  MeterStates(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity < 1: " + capacity);
    }
    this.capacity = capacity;
    this.states = new LinkedHashMap<>(1024, 0.75f, true);
  }

  /** The states of the meters; those not held come from {@code load}, called once with all of them. */
  Map<String, State> get(Collection<String> meters, Function<Collection<String>, Map<String, State>> load) {
    Map<String, State> out = new HashMap<>();
    List<String> missing = new ArrayList<>();
    synchronized (states) {
      for (String m : meters) {
        State s = states.get(m);
        if (s == null) {
          missing.add(m);
        } else {
          out.put(m, s);
        }
      }
    }
    if (!missing.isEmpty()) {
      Map<String, State> loaded = load.apply(missing);
      for (String m : missing) {
        out.put(m, loaded.getOrDefault(m, State.NONE));
      }
      // Not kept here: kept by remember() after the batch's commit, when the state has moved on.
    }
    return out;
  }

  /** Keeps the meters' states after a committed batch; a state never goes back in time. */
  void remember(Map<String, State> after) {
    synchronized (states) {
      for (Map.Entry<String, State> e : after.entrySet()) {
        State old = states.get(e.getKey());
        State next = e.getValue();
        if (old == null || old.last().isEmpty() || next.last().isPresent()
            && !next.last().get().lastTimestamp().isBefore(old.last().get().lastTimestamp())) {
          states.put(e.getKey(), next);
        }
      }
      while (states.size() > capacity) {
        states.pollFirstEntry();
      }
    }
  }

  /** Drops a meter, so that its state is loaded again. */
  void forget(String meter) {
    synchronized (states) {
      states.remove(meter);
    }
  }

  int size() {
    synchronized (states) {
      return states.size();
    }
  }
}

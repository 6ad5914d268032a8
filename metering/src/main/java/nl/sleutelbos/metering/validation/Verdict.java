package nl.sleutelbos.metering.validation;

import java.util.List;
import java.util.Objects;
import java.util.Set;

import nl.sleutelbos.metering.dsmr.Telegram;
import nl.sleutelbos.metering.dsmr.TelegramException;

/** The outcome of validating one telegram: accepted (perhaps with flags) or rejected. */
public sealed interface Verdict {

  /**
   * Stored, with its flags (empty when nothing is odd); {@code details} say what was found, one
   * line per finding; {@code next} is the meter's state to keep for the next telegram.
   */
  record Accepted(Telegram telegram, Set<QualityFlag> flags, List<String> details, MeterState next)
      implements Verdict {
    public Accepted {
      Objects.requireNonNull(telegram, "telegram is null");
      flags = Set.copyOf(flags);
      details = List.copyOf(details);
      Objects.requireNonNull(next, "next is null");
    }

    public boolean isFlagged() {
      return !flags.isEmpty();
    }
  }

  /** Not stored as a reading: a CRC failure or a telegram that cannot be parsed (counted, never silent). */
  record Rejected(TelegramException.Reason reason, String message) implements Verdict {
    public Rejected {
      Objects.requireNonNull(reason, "reason is null");
      Objects.requireNonNull(message, "message is null");
    }

    public static Rejected of(TelegramException e) {
      return new Rejected(e.reason(), e.getMessage());
    }
  }
}

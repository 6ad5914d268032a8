package nl.sleutelbos.app.ingest;

import java.time.Instant;

/** Reads one telegram into a {@link Reading}, or says why it cannot be kept. */
@FunctionalInterface
interface Decoder {
  Reading decode(int slot, Submission telegram) throws Refusal;

  /** A telegram that cannot be kept, with the reason that is counted. */
  final class Refusal extends Exception {
    private final TelegramResult.Reason reason;
    private final String meterId;

    Refusal(TelegramResult.Reason reason, String detail, String meterId) {
      super(detail, null, false, false);
      this.reason = reason;
      this.meterId = meterId;
    }

    TelegramResult.Reason reason() {
      return reason;
    }

    /** The meter the telegram names, if it could be read that far; null otherwise. */
    String meterId() {
      return meterId;
    }
  }
}

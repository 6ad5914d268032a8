package nl.sleutelbos.metering.dsmr;

import java.util.Objects;

/**
 * A P1 telegram that cannot be accepted as it is: its {@link #reason()}, the 1-based
 * {@link #line()} it was found on (the header is line 1; 0 when it concerns the whole telegram),
 * and a message that names both. The parser throws nothing else, whatever the input.
 */
public final class TelegramException extends Exception {

  /** Why a telegram was refused. */
  public enum Reason {
    /** No {@code /} header, no {@code !} end, or something after the CRC. */
    FRAMING,
    /** The CRC after {@code !} does not match the content. */
    CRC_MISMATCH,
    /** A DSMR 4 or later telegram (version 40 and up) without a CRC. */
    CRC_MISSING,
    /** A line that is not an OBIS reference followed by bracketed values. */
    MALFORMED_LINE,
    /** A value that is not of the form its OBIS object requires (digits, timestamp, hex, ...). */
    BAD_VALUE,
    /** A value with a unit other than the one its OBIS object requires. */
    BAD_UNIT,
    /** A known OBIS object that occurs twice. */
    DUPLICATE_OBJECT
  }

  private final Reason reason;
  private final int line;

  public TelegramException(Reason reason, int line, String detail) {
    // No stack trace: the reason and line say where, and a flood of bad telegrams stays cheap to refuse.
    super((line > 0 ? "line " + line + ": " : "") + detail + " [" + reason + "]", null, false, false);
    this.reason = Objects.requireNonNull(reason, "reason is null");
    this.line = line;
  }

  public Reason reason() {
    return reason;
  }

  /** 1-based line number in the telegram, or 0 when the problem is not on one line. */
  public int line() {
    return line;
  }
}

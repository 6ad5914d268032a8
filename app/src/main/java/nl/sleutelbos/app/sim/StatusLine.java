package nl.sleutelbos.app.sim;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * One line that tells how the fleet is doing, rewritten in place with a carriage return:
 * meters, telegrams per second (over the last interval), sent, rejected, flagged.
 */
public final class StatusLine {
  /** What the line shows; rejected and flagged come from the ingest's answers or its metrics. */
  public record Counts(long sent, long accepted, long flagged, long rejected, long failed, String lastError) {}

  private final PrintStream out;
  private final int meters;
  private final String transport;
  private final Supplier<Counts> counts;
  private long lastSent;
  private long lastNanos = System.nanoTime();
  private int width;

  public StatusLine(PrintStream out, int meters, String transport, Supplier<Counts> counts) {
    this.out = out;
    this.meters = meters;
    this.transport = transport;
    this.counts = counts;
  }

  /** Rewrites the line; call about once a second. */
  public synchronized void update() {
    Counts c = counts.get();
    long now = System.nanoTime();
    double rate = (c.sent() - lastSent) / Math.max(1e-9, (now - lastNanos) / 1e9);
    lastSent = c.sent();
    lastNanos = now;
    String line = String.format(Locale.ROOT, "%,d meters over %s | %,.0f telegrams/s | sent %,d | accepted %,d | flagged %,d | rejected %,d",
        meters, transport, rate, c.sent(), c.accepted(), c.flagged(), c.rejected());
    if (c.failed() > 0) {
      line += String.format(Locale.ROOT, " | failed %,d (%s)", c.failed(), c.lastError());
    }
    int pad = Math.max(0, width - line.length());
    width = line.length();
    out.print("\r" + line + " ".repeat(pad));
    out.flush();
  }

  /** Ends the line, so what is printed next starts on a new one. */
  public synchronized void finish() {
    update();
    out.println();
  }
}

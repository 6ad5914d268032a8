package nl.sleutelbos.app.sim;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import nl.sleutelbos.metering.sim.FleetSettings;
import nl.sleutelbos.metering.sim.FleetSimulator;
import nl.sleutelbos.metering.sim.SimClock;

/**
 * A running fleet: the simulator paced on its own thread, the transport, and the status line
 * rewritten every second. {@link #close()} stops the fleet, waits for answers to what was sent,
 * ends the status line and closes the transport — what Ctrl-C runs.
 */
public final class FleetSession implements AutoCloseable {
  private final FleetRunner runner;
  private final Thread thread;
  private final Transport transport;
  private final StatusLine status;
  private final ScheduledExecutorService ticker;
  private boolean closed;

  private FleetSession(FleetRunner runner, Transport transport, StatusLine status) {
    this.runner = runner;
    this.transport = transport;
    this.status = status;
    this.thread = Thread.ofPlatform().name("fleet").daemon().unstarted(runner);
    this.ticker = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("status").daemon().unstarted(r));
  }

  /**
   * Starts a fleet.
   *
   * @param limit stop after this many telegrams ({@link Long#MAX_VALUE}: until closed)
   * @param status the line to keep up to date, or null for none
   */
  public static FleetSession start(FleetSettings settings, double speed, Transport transport, int batch, long limit,
      StatusLine status) {
    requireNonNull(transport, "transport is null");
    FleetSimulator fleet = new FleetSimulator(settings);
    FleetRunner runner = new FleetRunner(fleet, new SimClock(settings.start(), speed, Clock.systemUTC()), transport, batch, limit);
    FleetSession session = new FleetSession(runner, transport, status);
    session.thread.start();
    if (status != null) {
      session.ticker.scheduleAtFixedRate(status::update, 1, 1, TimeUnit.SECONDS);
    }
    return session;
  }

  public SendStats stats() {
    return transport.stats();
  }

  /** Waits until the fleet has sent its limit, at most {@code timeout}; true if it has. */
  public boolean awaitFinished(Duration timeout) throws InterruptedException {
    return thread.join(timeout) && runner.finished();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    runner.stop();
    try {
      thread.join(Duration.ofSeconds(5));
      transport.drain(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ticker.shutdownNow();
    if (status != null) {
      status.finish();
    }
    transport.close();
  }
}

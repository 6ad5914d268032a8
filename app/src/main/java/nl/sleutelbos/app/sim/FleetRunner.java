package nl.sleutelbos.app.sim;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import nl.sleutelbos.metering.sim.FleetSimulator;
import nl.sleutelbos.metering.sim.SimClock;
import nl.sleutelbos.metering.sim.SimTelegram;

/**
 * Paces a simulated fleet by its clock: takes every telegram whose simulated time has come, in
 * batches, and hands them to the transport; sleeps until the next is due. When the transport
 * cannot keep up the fleet falls behind its clock and catches up as fast as it can.
 */
public final class FleetRunner implements Runnable {
  private final FleetSimulator fleet;
  private final SimClock clock;
  private final Transport transport;
  private final int batchSize;
  private final long limit;
  private volatile boolean stopped;

  /**
   * @param limit stop after this many telegrams ({@link Long#MAX_VALUE}: run until stopped)
   */
  public FleetRunner(FleetSimulator fleet, SimClock clock, Transport transport, int batchSize, long limit) {
    this.fleet = requireNonNull(fleet, "fleet is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.transport = requireNonNull(transport, "transport is null");
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize < 1: " + batchSize);
    }
    this.batchSize = batchSize;
    this.limit = limit;
  }

  public void stop() {
    stopped = true;
  }

  public boolean finished() {
    return fleet.position() >= limit;
  }

  @Override
  public void run() {
    try {
      List<SimTelegram> batch = new ArrayList<>(batchSize);
      while (!stopped && fleet.position() < limit) {
        long wait = clock.millisUntil(fleet.nextTime());
        if (wait > 0) {
          Thread.sleep(Math.min(wait, 100));
          continue;
        }
        java.time.Instant now = clock.now();
        while (batch.size() < batchSize && fleet.position() < limit && !fleet.nextTime().isAfter(now)) {
          batch.add(fleet.next());
        }
        transport.send(List.copyOf(batch));
        batch.clear();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

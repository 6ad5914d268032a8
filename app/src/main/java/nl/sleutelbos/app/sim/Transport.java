package nl.sleutelbos.app.sim;

import java.time.Duration;
import java.util.List;
import nl.sleutelbos.metering.sim.SimTelegram;

/** How simulated telegrams reach Sleutelbos: as the head-end posting them over HTTP, or the meters publishing over MQTT. */
public sealed interface Transport extends AutoCloseable permits HttpTransport, MqttTransport {
  /** Hands a batch over; blocks while too many are unanswered, so a slow server slows the fleet. */
  void send(List<SimTelegram> batch) throws InterruptedException;

  /** Waits until every telegram handed over is answered, at most {@code timeout}. */
  void drain(Duration timeout) throws InterruptedException;

  SendStats stats();

  /** A word for the status line: {@code http} or {@code mqtt}. */
  String name();

  @Override
  void close();
}
